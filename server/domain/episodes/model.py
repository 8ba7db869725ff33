"""Episodes: the dates that schedules are anchored on, kept as a span per resident.

A pregnancy carries its LMP, EDD, booking, delivery, discharge, outcome and babies; a TB
treatment its notification, start, regimen, phase and supervisor; severe mental disorder
management the latest classification relayed from the centre; a chronic enrolment the centre's
confirmation. Forms open, update and close them (a definition's `effects`), so the server
derives every episode from the resident's records and phones receive them read-only.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from server.core.db import Base, JsonType, Versioned, new_uuid

EPISODE_KINDS = ("pregnancy", "tb_treatment", "smd_management", "chronic_enrolment")
EPISODE_STATUSES = ("open", "closed")


class Episode(Versioned, Base):
    __tablename__ = "episode"
    __scope_column__ = "village_id"
    __table_args__ = (Index("ix_episode_resident_kind", "resident_id", "kind", "status"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    resident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("resident.id"), index=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    # chronic_enrolment names its condition (hypertension, diabetes); other kinds leave it None.
    condition: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="open")
    opened_on: Mapped[date] = mapped_column()
    closed_on: Mapped[date | None] = mapped_column()
    close_reason: Mapped[str | None] = mapped_column(String(32))
    # The kind's dates and facts, JSON values (ISO dates as strings): lmp, edd, delivery_date …
    facts: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    # The record whose effect opened it, and the last one that changed it.
    opened_by_record_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("service_record.id"))
    updated_by_record_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("service_record.id"))
