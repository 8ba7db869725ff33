"""Queries behind the registry read endpoints: residents and households a supervisor may see.

Everything starts from `scoped()`, so a filter can only narrow the caller's own subtree. Tombstoned
(deleted or merged-away) rows are left out of lists and answer 404 on detail.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, selectinload

from server.core.paging import Page, paginate
from server.core.problems import (
    HOUSEHOLD_NOT_FOUND,
    PARTIAL_ID_NUMBER_SEARCH,
    RESIDENT_NOT_FOUND,
    SEARCH_TOO_SHORT,
    TAG_UNKNOWN,
    Problem,
)
from server.core.scope import get_in_scope, scoped
from server.domain.accounts.model import User
from server.domain.records.model import ServiceRecord
from server.domain.registry.idnumber import is_full_number, mask, sees_full_numbers
from server.domain.registry.model import SENSITIVE_TAGS, Household, Resident
from server.domain.registry.pinyin import is_pinyin_query, normalise_query
from server.domain.registry.privacy import care_condition
from server.domain.registry.tags import TAGS, age_condition, tag_condition

MIN_DIGITS = 3  # fewer digits than this match too many phones and ID numbers to be useful
PHONE_DIGITS = 11  # a mobile number; a longer string of digits is part of an ID number
_DIGITS = re.compile(r"\d+X?")  # a phone fragment or the tail of an ID number (may end in X)


@dataclass(frozen=True)
class ResidentFilters:
    village_id: int | None = None
    tag: str | None = None
    age_min: int | None = None
    age_max: int | None = None
    low_income: bool | None = None
    q: str | None = None
    status: str = "active"


# Which records a list holds: active ones (ended left out, the default), ended ones, or all.
STATUSES = ("active", "ended", "all")


@dataclass(frozen=True)
class ResidentDetail:
    """A resident with their service timeline; reads through to the resident's attributes."""

    resident: Resident
    services: list[ServiceRecord]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.resident, name)


@dataclass(frozen=True)
class HouseholdDetail:
    """A household with its members; reads through to the household's attributes."""

    household: Household
    members: list[Resident]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.household, name)


def search_condition(query: str, *, partial_ids: bool = False) -> Any:
    """Name, full pinyin, pinyin initials, phone, or the household's address or head.

    ID digits: with `partial_ids` (a role that sees full numbers) the last digits of the ID
    number match too; anyone else finds a resident by ID number only by typing all of it, a number
    they already hold, so answers never tell them a digit they did not know. Digit strings longer
    than a phone number, or ending in X, can only be part of an ID number: refused for them.
    Callers select from Resident outer-joined to Household.
    """
    text = query.strip()
    if is_pinyin_query(text):
        key = normalise_query(text)
        return or_(
            Resident.name_pinyin.contains(key, autoescape=True),
            Resident.name_initials.contains(key, autoescape=True),
        )
    digits = text.replace(" ", "").upper()
    if _DIGITS.fullmatch(digits):
        if len(digits) < MIN_DIGITS:
            raise Problem(SEARCH_TOO_SHORT, errors={"q": ["Too short."]}, min_digits=MIN_DIGITS)
        phone = Resident.phone.contains(digits, autoescape=True)
        if partial_ids:
            return or_(phone, Resident.id_number.endswith(digits, autoescape=True))
        if is_full_number(digits):
            return or_(phone, Resident.id_number == digits)
        if len(digits) > PHONE_DIGITS or digits.endswith("X"):
            raise Problem(
                PARTIAL_ID_NUMBER_SEARCH,
                errors={"q": ["Type the whole ID number, or a name, pinyin or phone."]},
            )
        return phone
    return or_(
        Resident.name.icontains(text, autoescape=True),  # as the phone: any letter case
        Household.address.contains(text, autoescape=True),
        Household.head_name.contains(text, autoescape=True),
    )


def id_number_search(query: str, role: str) -> dict[str, Any] | None:
    """What the audit keeps of a search that can match ID numbers, or None for one that cannot.

    A role that sees full numbers matches the tail of a number with any run of digits; anyone
    else only with a whole, valid number. The row keeps the number masked and a tail's length,
    never its digits (an admin reading the trail may not see them).
    """
    digits = (query or "").strip().replace(" ", "").upper()
    if not _DIGITS.fullmatch(digits) or len(digits) < MIN_DIGITS:
        return None
    if is_full_number(digits):
        return {"kind": "full_number", "id_number": mask(digits)}
    if sees_full_numbers(role):
        return {"kind": "tail", "digits": len(digits)}
    return None


def resident_query(user: User, filters: ResidentFilters, today: date) -> Select:
    """Live residents in scope matching every given filter, ordered for a stable list."""
    stmt = scoped(
        select(Resident).outerjoin(Household, Resident.household_id == Household.id),
        Resident,
        user,
    ).where(Resident.deleted.is_(False))
    if filters.status == "active":
        stmt = stmt.where(Resident.ended_on.is_(None))
    elif filters.status == "ended":
        stmt = stmt.where(Resident.ended_on.is_not(None))
    if filters.village_id is not None:
        stmt = stmt.where(Resident.village_id == filters.village_id)
    if filters.tag is not None:
        if filters.tag not in TAGS:
            raise Problem(
                TAG_UNKNOWN, errors={"tag": [f"One of {', '.join(TAGS)}."]}, tags=", ".join(TAGS)
            )
        stmt = stmt.where(tag_condition(filters.tag, today))
        if filters.tag in SENSITIVE_TAGS:  # a hidden tag finds only whom the caller cares for
            stmt = stmt.where(care_condition(Resident.village_id, user))
    if filters.age_min is not None or filters.age_max is not None:
        stmt = stmt.where(age_condition(today, filters.age_min, filters.age_max))
    if filters.low_income is not None:
        low = tag_condition("low_income", today)
        stmt = stmt.where(low if filters.low_income else ~low)
    if filters.q and filters.q.strip():
        stmt = stmt.where(search_condition(filters.q, partial_ids=sees_full_numbers(user.role)))
    return stmt.order_by(Resident.name_pinyin, Resident.name, Resident.id)


def list_residents(
    session: Session, user: User, filters: ResidentFilters, today: date, page: int, per_page: int
) -> Page:
    stmt = resident_query(user, filters, today).options(
        selectinload(Resident.household),
        selectinload(Resident.village),
        selectinload(Resident.tag_spans),  # the effective tags of each
    )
    return paginate(session, stmt, page, per_page)


def live_resident(session: Session, resident_id: uuid.UUID, user: User) -> Resident:
    """A resident the caller may see and that has not been deleted or merged away (else 404)."""
    resident = get_in_scope(session, Resident, resident_id, user, RESIDENT_NOT_FOUND)
    if resident.deleted:
        raise Problem(RESIDENT_NOT_FOUND)
    return resident


def timeline(session: Session, resident: Resident, user: User) -> list[ServiceRecord]:
    """The resident's service records the caller may see, newest visit first."""
    stmt = scoped(select(ServiceRecord), ServiceRecord, user).where(
        ServiceRecord.resident_id == resident.id, ServiceRecord.deleted.is_(False)
    )
    stmt = stmt.order_by(
        ServiceRecord.visit_date.desc(), ServiceRecord.created_at.desc(), ServiceRecord.id
    )
    return list(session.scalars(stmt).all())


def resident_detail(session: Session, resident_id: uuid.UUID, user: User) -> ResidentDetail:
    """One live resident in scope with every service record the caller may see."""
    resident = live_resident(session, resident_id, user)
    return ResidentDetail(resident, timeline(session, resident, user))


def household_query(
    user: User, village_id: int | None, low_income: bool | None, q: str | None
) -> Select:
    stmt = scoped(select(Household), Household, user).where(Household.deleted.is_(False))
    if village_id is not None:
        stmt = stmt.where(Household.village_id == village_id)
    if low_income is not None:
        stmt = stmt.where(Household.low_income.is_(low_income))
    if q and q.strip():
        text = q.strip()
        stmt = stmt.where(
            or_(
                Household.address.contains(text, autoescape=True),
                Household.head_name.contains(text, autoescape=True),
            )
        )
    return stmt.order_by(Household.village_id, Household.address, Household.id)


def live_household(session: Session, household_id: uuid.UUID, user: User) -> Household:
    household = get_in_scope(session, Household, household_id, user, HOUSEHOLD_NOT_FOUND)
    if household.deleted:
        raise Problem(HOUSEHOLD_NOT_FOUND)
    return household


def members(session: Session, household: Household, user: User) -> list[Resident]:
    """Live residents of the household that the caller may see, eldest first."""
    stmt = scoped(select(Resident), Resident, user).where(
        Resident.household_id == household.id, Resident.deleted.is_(False)
    )
    return list(session.scalars(stmt.order_by(Resident.birth_date, Resident.name)).all())


def household_detail(session: Session, household_id: uuid.UUID, user: User) -> HouseholdDetail:
    household = live_household(session, household_id, user)
    return HouseholdDetail(household, members(session, household, user))
