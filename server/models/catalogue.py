"""Published form definitions: one row per (code, version), never edited once published.

A service record names the form version it was filled with, so every version that records may
still refer to stays in the table: `current` is what phones fill today, `accepted` is an older
version whose records remain valid, `retired` is no longer accepted from phones.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, utcnow
from server.models.registry import JsonType

FORM_STATUSES = ("current", "accepted", "retired")


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
