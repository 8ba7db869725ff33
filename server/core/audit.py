"""The audit trail: who changed or read which row, from which device, when, before and after.

Writes of synced rows, account changes, reviews and merges are audited with the write itself.
Reads of personal data by staff (a resident's or a record's detail, a full ID number, a search
by ID digits, a duplicate look-up, an export) are audited too: PIPL wants a record of who
processed whose data. Each row names the org unit its object lies in (`unit_id`), so that
`GET /api/audit` can show a supervisor the rows about their township (docs/security.md, "Audit").
ID numbers are kept masked in every row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from server.core.db import Base, BigId, JsonType, utcnow
from server.core.plain_insert import insert_rows


class AuditEntry(Base):
    """Who changed what, from which device, when, with the row before and after."""

    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entry_entity", "entity", "entity_id", "id"),
        Index("ix_audit_entry_action_at", "action", "at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("device.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    # The org unit the object lies in (a resident's village, an account's unit), when it has one.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    # The phone's clock when the user saved, as the phone sent it: shown, never trusted.
    client_time: Mapped[str | None] = mapped_column(String(40))
    before: Mapped[dict[str, Any] | None] = mapped_column(JsonType, nullable=True)
    after: Mapped[dict[str, Any] | None] = mapped_column(JsonType, nullable=True)
    comment: Mapped[str | None] = mapped_column(Text)


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
    unit_id: int | None = None,
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
        "unit_id": unit_id,
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
    unit_id: int | None = None,
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
            unit_id=unit_id,
        )
    )
    session.add(entry)
    return entry


def insert_audit_rows(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert rows built by `audit_row` with one statement (the bulk create path)."""
    insert_rows(session, AuditEntry.__table__, rows)


# Actions of rows that record a read, not a write: `read.resident`, `read.id_number`...
READ_PREFIX = "read."


def audit_entries(
    session: Session, entity: str, entity_id: Any, *, writes_only: bool = False
) -> list[AuditEntry]:
    """The audit history of one row, oldest first; `writes_only` leaves out who read it (a
    record's history counts its writes to name the version each made)."""
    session.flush()
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id))
        .order_by(AuditEntry.id)
    )
    if writes_only:
        stmt = stmt.where(~AuditEntry.action.startswith(READ_PREFIX, autoescape=True))
    return list(session.scalars(stmt))
