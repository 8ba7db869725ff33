"""Service records and the published form definitions they are filled with.

Form definitions: one row per (code, version), never edited once published.

A service record names the form version it was filled with, so every version that records may
still refer to stays in the table: `current` is what phones fill today, `accepted` is an older
version whose records remain valid, `retired` is no longer accepted from phones.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.core.db import Base, JsonType, Versioned, new_uuid, utcnow
from server.core.org import OrgUnit
from server.domain.registry.model import Resident

FORM_STATUSES = ("current", "accepted", "retired")
REVIEW_STATUSES = ("pending", "approved", "returned", "rejected")


class FormDefinition(Base):
    __tablename__ = "form_definition"
    __table_args__ = (UniqueConstraint("code", "version", name="uq_form_definition_code_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column()
    definition: Mapped[dict[str, Any]] = mapped_column(JsonType)
    # sha256 of the canonical JSON: detects edits in place and keys the schema cache.
    digest: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="current", index=True)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class ServiceRecord(Versioned, Base):
    """One filled form about one resident, or about an activity when `resident_id` is None."""

    __tablename__ = "service_record"
    __scope_column__ = "village_id"
    # For a township of 300,000 records (docs/benchmarks.md, bench/overview_bench.py): the queue
    # in its order within a status, the overview's month per village and per assistant, and the
    # backlog's ranking of pending records by arrival, a resident's previous record of a form.
    __table_args__ = (
        Index(
            "ix_service_record_status_created",
            "review_status",
            "created_at",
            "id",
            "village_id",
            "deleted",
        ),
        Index(
            "ix_service_record_status_area", "review_status", "deleted", "village_id", "updated_at"
        ),
        Index("ix_service_record_village_visit", "village_id", "visit_date"),
        Index("ix_service_record_author_visit", "author_id", "visit_date"),
        Index("ix_service_record_resident_form_visit", "resident_id", "form_code", "visit_date"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    resident_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("resident.id"), index=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    form_code: Mapped[str] = mapped_column(String(64), index=True)
    form_version: Mapped[int] = mapped_column()
    data: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    visit_date: Mapped[date] = mapped_column(index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("device.id"))
    review_status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    review_comment: Mapped[str | None] = mapped_column(String(1000))
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column()

    resident: Mapped[Resident | None] = relationship()
    village: Mapped[OrgUnit] = relationship()
