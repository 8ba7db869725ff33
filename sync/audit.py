"""The audit trail: who changed which row, from which device, when, before and after."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models.base import utcnow
from sync.models import AuditEntry
from sync.plain_insert import insert_rows


def audit_row(
    *,
    actor_id: int | None,
    device_id: int | None,
    entity: str,
    entity_id: Any,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    comment: str | None = None,
    at: datetime | None = None,
    client_time: Any = None,
) -> dict[str, Any]:
    """The columns of one audit row.

    Every audit write, one at a time (`record_audit`) or in bulk (sync/bulk.py), builds its row
    here, so this is the one place a test can make the n-th audit write of a request fail.
    """
    return {
        "actor_id": actor_id,
        "device_id": device_id,
        "at": at or utcnow(),
        "entity": entity,
        "entity_id": str(entity_id),
        "action": action,
        "before": before,
        "after": after,
        "comment": comment,
        "client_time": as_client_time(client_time),
    }


def as_client_time(value: Any) -> str | None:
    """What a phone said its clock read, kept as sent (a string, cut to the column), or None.

    Phone clocks are often wrong, so this is never parsed or used to order anything; people
    reading the trail compare it with `at`, the server's time.
    """
    return value[:40] if isinstance(value, str) and value else None


def record_audit(
    session: Session,
    *,
    actor_id: int | None,
    device_id: int | None,
    entity: str,
    entity_id: Any,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    comment: str | None = None,
    client_time: Any = None,
) -> AuditEntry:
    """Append one audit row (not committed: it lands or vanishes with the write it describes)."""
    entry = AuditEntry(
        **audit_row(
            actor_id=actor_id,
            device_id=device_id,
            entity=entity,
            entity_id=entity_id,
            action=action,
            before=before,
            after=after,
            comment=comment,
            client_time=client_time,
        )
    )
    session.add(entry)
    return entry


def insert_audit_rows(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert rows built by `audit_row` with one statement (the bulk create path)."""
    insert_rows(session, AuditEntry.__table__, rows)


def audit_entries(session: Session, entity: str, entity_id: Any) -> list[AuditEntry]:
    """The audit history of one row, oldest first."""
    session.flush()
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id))
        .order_by(AuditEntry.id)
    )
    return list(session.scalars(stmt))
