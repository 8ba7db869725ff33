"""Auditing a read: the view has answered from its read transaction; the row gets its own.

A GET that shows personal data to staff (a detail view, a search by ID digits, a duplicate
look-up) writes one audit row. SQLite cannot turn a reading transaction into a writing one
safely (server/transactions.py), so the row is written in a short write transaction after the
reads. The objects the view loaded are kept as they were read (not expired by that commit), so
they are serialised as shown, without reading them again.
"""

from __future__ import annotations

from typing import Any

from flask_jwt_extended import get_jwt

from server.api.access import me
from server.core.audit import record_audit
from server.domain.accounts.staff import session_device_id
from server.domain.audit.trail import READ_SENSITIVE
from server.extensions import db
from server.transactions import write_transaction


def audit_read(
    *, action: str, entity: str, entity_id: Any, unit_id: int | None, after: dict[str, Any]
) -> None:
    """One audit row for what the caller was just shown (masked numbers only in `after`)."""
    audit_reads(
        [
            {
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "unit_id": unit_id,
                "after": after,
            }
        ]
    )


def audit_reads(rows: list[dict[str, Any]]) -> None:
    """Audit rows (action, entity, entity_id, unit_id, after) for one answer, together."""
    if not rows:
        return
    user = me()
    device_id = session_device_id(db.session, get_jwt().get("fam"))
    session = db.session()
    keep = session.expire_on_commit
    session.expire_on_commit = False
    try:
        with write_transaction(session):
            for row in rows:
                record_audit(session, actor_id=user.id, device_id=device_id, before=None, **row)
    finally:
        session.expire_on_commit = keep


def sensitive_read(
    *, surface: str, entity: str, entity_id: Any, unit_id: int | None, count: int
) -> list[dict[str, Any]]:
    """The `read.sensitive` row (for `audit_reads`) of an answer that showed `count` sensitive
    facts (registry/privacy.py), or none. A list or an export writes one row with its count;
    the row names no tag, since admins, who may not see them, read the trail."""
    if not count:
        return []
    return [
        {
            "action": READ_SENSITIVE,
            "entity": entity,
            "entity_id": entity_id,
            "unit_id": unit_id,
            "after": {"surface": surface, "count": count},
        }
    ]


def audit_detail_read(
    *,
    action: str,
    entity: str,
    entity_id: Any,
    unit_id: int | None,
    after: dict[str, Any],
    surface: str,
    sensitive: int,
) -> None:
    """A detail view's read row, with its `read.sensitive` row when it showed `sensitive` facts."""
    where = {"entity": entity, "entity_id": entity_id, "unit_id": unit_id}
    rows = [{"action": action, "after": after, **where}]
    audit_reads(rows + sensitive_read(surface=surface, count=sensitive, **where))


def audit_sensitive_list(*, surface: str, entity: str, unit_id: int | None, count: int) -> None:
    """One `read.sensitive` row for a page of a list that showed `count` sensitive items."""
    audit_reads(
        sensitive_read(
            surface=surface, entity=entity, entity_id="list", unit_id=unit_id, count=count
        )
    )
