"""Tables the sync engine keeps beside the registry: ledger, feed, versions, conflicts.

Entity ids are stored as strings so later synced entities (tasks, notices) with other key types
share the same tables.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.core.db import Base, BigId, JsonType, utcnow

CONFLICT_STATUSES = ("open", "resolved")


class AppliedMutation(Base):
    """The ledger: one row per mutation ever applied, keyed by the client's mutation_id.

    The primary key makes a second insert of the same id fail, which is what turns two
    concurrent requests carrying one mutation into one write. `result` is the first answer,
    replayed verbatim (as `duplicate`) to every retry, forever.
    """

    __tablename__ = "sync_mutation"

    mutation_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    payload_hash: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("device.id"))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict[str, Any]] = mapped_column(JsonType)
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)


class FeedCounter(Base):
    """A single row whose value is the last change sequence handed out.

    Taking a sequence is `UPDATE ... SET value = value + 1 RETURNING value`: the row lock is held
    until the writing transaction ends, so sequences commit in the order they were taken and a
    reader can never see sequence n+1 before n (see docs/sync-protocol.md).
    """

    __tablename__ = "sync_counter"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class Change(Base):
    """The change feed: each synced row appears once per village it has lived in.

    The entry of the row's current village sits at the sequence of its latest write; the entry
    of a village the row left is a `delete` at the sequence of the write that moved it, so that
    village's phones drop their copy. Keeping only the latest change per row and village keeps
    the feed as small as the registry (plus one entry per move), so a pull costs the same at ten
    thousand or a million records.
    """

    __tablename__ = "sync_change"
    __scope_column__ = "village_id"
    __table_args__ = (
        UniqueConstraint("entity", "entity_id", "village_id", name="uq_sync_change_entity_village"),
        Index("ix_sync_change_village_seq", "village_id", "seq"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    village_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    version: Mapped[int] = mapped_column()
    op: Mapped[str] = mapped_column(String(8))  # upsert | delete
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class EntityVersion(Base):
    """The synced fields of a row at each version: the base of a three-way merge."""

    __tablename__ = "sync_entity_version"
    __table_args__ = (
        UniqueConstraint("entity", "entity_id", "version", name="uq_sync_entity_version"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column()
    data: Mapped[dict[str, Any]] = mapped_column(JsonType)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Conflict(Base):
    """A value that lost a concurrent edit; kept until a supervisor resolves it.

    `field` is a column name, `<field>.<key>` inside a nested JSON field, or `_deleted` when a
    delete met a row that had changed since the client's base.
    """

    __tablename__ = "sync_conflict"
    __scope_column__ = "village_id"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64), index=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    field: Mapped[str] = mapped_column(String(128))
    server_value: Mapped[Any] = mapped_column(JsonType, nullable=True)
    client_value: Mapped[Any] = mapped_column(JsonType, nullable=True)
    base_version: Mapped[int | None] = mapped_column()
    server_version: Mapped[int] = mapped_column()
    mutation_id: Mapped[str] = mapped_column(String(64), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("device.id"))
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    resolved_at: Mapped[datetime | None] = mapped_column()
    resolved_value: Mapped[Any] = mapped_column(JsonType, nullable=True)
