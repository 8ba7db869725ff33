"""Households and residents: the register a village keeps.

Primary keys are UUIDs made on the phone, so a record created offline keeps its id for life.
`version` counts accepted writes; `deleted` keeps a tombstone that the pull feed can carry.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.core.db import Base, JsonType, Versioned, new_uuid, utcnow
from server.core.org import OrgUnit
from server.domain.registry.pinyin import pinyin_keys

SEXES = ("M", "F")
# Tags that drive services; child_0_6, elderly_65 and low_income are also derived.
TAGS = (
    "pregnant",
    "postpartum",
    "child_0_6",
    "elderly_65",
    "hypertension",
    "diabetes",
    "severe_mental_disorder",
    "tuberculosis",
    "low_income",
)
# Why a record was ended: it stays in the register but leaves the active lists and denominators.
END_REASONS = ("died", "moved_away", "lost_to_follow_up")
# Conditions the spec manages only once the centre confirms them: told by a family, they are
# `reported`, which asks a supervisor to confirm rather than starting a follow-up series.
CONFIRMABLE_TAGS = ("hypertension", "diabetes", "severe_mental_disorder", "tuberculosis")
# Shown only to the resident's own assistants and the centre's staff; masked for others.
SENSITIVE_TAGS = ("severe_mental_disorder", "tuberculosis")
TAG_SOURCES = ("reported", "confirmed")
# Where a tag span came from: the register's tag list, a form's effect, staff, an import, or
# the tags a resident had before spans existed.
TAG_ORIGINS = ("register", "form", "staff", "import", "legacy")


class Household(Versioned, Base):
    __tablename__ = "household"
    __scope_column__ = "village_id"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    village_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    address: Mapped[str] = mapped_column(String(255))
    head_name: Mapped[str] = mapped_column(String(100), default="")
    low_income: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    village: Mapped[OrgUnit] = relationship()


class Resident(Versioned, Base):
    __tablename__ = "resident"
    __scope_column__ = "village_id"
    # Suspected duplicates are looked for by name at every registration (suspects.py).
    __table_args__ = (Index("ix_resident_name_birth_date", "name", "birth_date"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    household_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("household.id"), index=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    # Search keys derived from `name` on every write (see _fill_pinyin_keys); synced to phones.
    name_pinyin: Mapped[str] = mapped_column(String(255), default="", index=True)
    name_initials: Mapped[str] = mapped_column(String(64), default="", index=True)
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date] = mapped_column()
    id_number: Mapped[str | None] = mapped_column(String(18), index=True)
    phone: Mapped[str | None] = mapped_column(String(32))
    tags: Mapped[list[str]] = mapped_column(JsonType, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Set on the tombstone of a merged duplicate: records phones made for it offline follow.
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("resident.id"))
    # The end of the record (died, moved away, lost to follow-up): kept, but no longer active.
    ended_on: Mapped[date | None] = mapped_column()
    end_reason: Mapped[str | None] = mapped_column(String(32))
    end_destination: Mapped[str | None] = mapped_column(String(200))
    # A newborn's mother, a resident of the same village.
    mother_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("resident.id"), index=True)

    household: Mapped[Household | None] = relationship()
    village: Mapped[OrgUnit] = relationship()
    # Read-only view of the spans; they are written as rows of their own (tagfollow.py).
    tag_spans: Mapped[list[ResidentTag]] = relationship(
        primaryjoin="and_(Resident.id == foreign(ResidentTag.resident_id), "
        "ResidentTag.deleted.is_(False))",
        viewonly=True,
        order_by="ResidentTag.created_at",
    )

    @property
    def active(self) -> bool:
        """Still in the register's active lists: not deleted, merged away or ended."""
        return not self.deleted and self.ended_on is None


@event.listens_for(Resident, "before_insert")
@event.listens_for(Resident, "before_update")
def _fill_pinyin_keys(_mapper, _connection, resident: Resident) -> None:
    """Keep the pinyin keys in step with the name, whichever code path wrote the row."""
    keys = pinyin_keys(resident.name)
    resident.name_pinyin = keys.full[:255]
    resident.name_initials = keys.initials[:64]


SUSPECT_REASONS = ("id_number", "name_birth_date", "name_household_head")
SUSPECT_STATUSES = ("open", "merged", "dismissed")


class SuspectedDuplicate(Base):
    """Two live residents that may be one person, kept until a supervisor decides.

    The pair is stored once (`first_id` sorts before `second_id`); "not the same person"
    (`dismissed`) stays, so the pair is never suggested again, and a merge closes it.
    """

    __tablename__ = "suspected_duplicate"
    __table_args__ = (UniqueConstraint("first_id", "second_id", name="uq_suspected_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    first_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("resident.id"), index=True)
    second_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("resident.id"), index=True)
    reason: Mapped[str] = mapped_column(String(32))
    found_by: Mapped[str] = mapped_column(String(16))  # registration | upload | scan
    found_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column()

    first: Mapped[Resident] = relationship(foreign_keys=[first_id])
    second: Mapped[Resident] = relationship(foreign_keys=[second_id])


class ResidentTag(Versioned, Base):
    """One span of one stored tag: who said so (`source`), where from, and from when to when.

    A tag is in effect on a day inside [start_on, end_on) (an open end: still in effect; no
    start: since before spans existed). Phones receive spans read-only; the register's tag
    list, forms' effects and staff decisions open and end them on the server.
    """

    __tablename__ = "resident_tag"
    __scope_column__ = "village_id"
    __table_args__ = (Index("ix_resident_tag_resident_tag", "resident_id", "tag"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    resident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("resident.id"), index=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    tag: Mapped[str] = mapped_column(String(32), index=True)
    source: Mapped[str] = mapped_column(String(16), default="reported")
    origin: Mapped[str] = mapped_column(String(16), default="register")
    start_on: Mapped[date | None] = mapped_column()
    end_on: Mapped[date | None] = mapped_column()
    # The record whose form effect set it (origin "form").
    record_id: Mapped[uuid.UUID | None] = mapped_column()
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column()
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str | None] = mapped_column(String(500))

    # Not viewonly: the flush then inserts a new resident before its spans.
    resident: Mapped[Resident] = relationship()
