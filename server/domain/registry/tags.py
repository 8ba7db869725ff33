"""Tags that drive services: derived where the data decides them, stored where only people can.

`child_0_6` (under seven) and `elderly_65` (65 and over) follow from the birth date and
`low_income` from the household, so they are never trusted from storage: a child turns seven
without anyone editing the record. Pregnancy, postpartum and the chronic conditions are held by
spans (`resident_tag`, see tagspans.py): told to the assistant, set by a form, confirmed by the
centre, each from a day to a day. Programme tags are what clinical follow-up series start from:
a confirmable condition counts there only once the centre has confirmed it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import String, and_, cast, or_, select, true
from sqlalchemy.sql.elements import ColumnElement

from server.domain.registry.model import CONFIRMABLE_TAGS, TAGS, Household, Resident, ResidentTag
from server.domain.registry.tagspans import Span, as_stored, held_tags

AGE_UNITS = ("days", "weeks", "months", "years")
CHILD_UNDER = 7
ELDERLY_FROM = 65


def age_on(birth_date: date, today: date) -> int:
    """Completed years on `today` (a 29 February birthday counts on 1 March in other years)."""
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - int(before_birthday)


def months_on(birth_date: date, on: date) -> int:
    """Completed calendar months on `on`: a 31 January birth has 1 month on 1 March."""
    months = (on.year - birth_date.year) * 12 + on.month - birth_date.month
    return months - int(on.day < birth_date.day)


def age_in(birth_date: date, on: date, unit: str) -> int:
    """Completed `unit`s (days, weeks, months or years) on `on`; years equal `age_on`'s."""
    if unit == "days":
        return (on - birth_date).days
    if unit == "weeks":
        return (on - birth_date).days // 7
    if unit == "months":
        return months_on(birth_date, on)
    if unit == "years":
        return months_on(birth_date, on) // 12
    raise ValueError(f"Unknown age unit {unit!r}")


def age_point(birth_date: date, value: int, unit: str) -> date:
    """The first day on which a person born on `birth_date` is `value` `unit`s old."""
    if unit in ("days", "weeks"):
        return birth_date + timedelta(days=value * (7 if unit == "weeks" else 1))
    if unit not in ("months", "years"):
        raise ValueError(f"Unknown age unit {unit!r}")
    year, month = divmod(birth_date.month - 1 + value * (12 if unit == "years" else 1), 12)
    year, month = birth_date.year + year, month + 1
    try:
        return date(year, month, birth_date.day)
    except ValueError:  # no such day that month (31 April, 29 February): the 1st of the next
        return date(year + month // 12, month % 12 + 1, 1)


def years_before(today: date, years: int) -> date:
    """The latest birth date that is `years` old on `today` (29 February maps to 28 February)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return date(today.year - years, 2, 28)


def derived_tags(resident: Resident, today: date) -> list[str]:
    """The tags that follow from birth date and household, in catalogue order."""
    found: set[str] = set()
    age = age_on(resident.birth_date, today)
    if 0 <= age < CHILD_UNDER:
        found.add("child_0_6")
    if age >= ELDERLY_FROM:
        found.add("elderly_65")
    household = resident.household
    if household is not None and household.low_income:
        found.add("low_income")
    elif household is None and "low_income" in (resident.tags or []):
        found.add("low_income")  # no household to decide it: keep what the assistant recorded
    return [tag for tag in TAGS if tag in found]


def _in_order(found: set[str]) -> list[str]:
    return [tag for tag in TAGS if tag in found] + sorted(found - set(TAGS))


def effective_tags(
    resident: Resident, today: date, spans: Iterable[Span] | None = None
) -> list[str]:
    """Derived tags and the tags with a span in effect on `today`, in catalogue order.

    `spans` defaults to the resident's stored ones; the register's list is applied as the next
    write stores it (for a resident not written yet, such as one built in memory).
    """
    stored = as_stored(resident.tags or [], resident.tag_spans if spans is None else spans, today)
    return _in_order(held_tags(stored, today) | set(derived_tags(resident, today)))


def programme_tags(
    resident: Resident, today: date, spans: Iterable[Span] | None = None
) -> list[str]:
    """The effective tags a clinical programme acts on: a confirmable condition only with a
    confirmed span in effect (a reported one asks the centre first)."""
    stored = as_stored(resident.tags or [], resident.tag_spans if spans is None else spans, today)
    held = held_tags(stored, today, confirmed_only=True)
    return _in_order(held | set(derived_tags(resident, today)))


def age_condition(
    today: date, age_min: int | None = None, age_max: int | None = None
) -> ColumnElement[bool]:
    """SQL for "aged between age_min and age_max completed years on today" (either may be None)."""
    parts = []
    if age_min is not None:
        parts.append(Resident.birth_date <= years_before(today, age_min))
    if age_max is not None:
        parts.append(Resident.birth_date > years_before(today, age_max + 1))
    return and_(true(), *parts)


def span_condition(tag: str, today: date, confirmed: bool = False) -> ColumnElement[bool]:
    """SQL for "a span of `tag` in effect on `today`".

    An uncorrelated `IN`: SQLite reads the tag's spans once (ix_resident_tag_tag) instead of
    probing ix_resident_tag_resident_tag for every resident as a correlated EXISTS does (a
    quarter of the CPU time on 60,000 residents, docs/benchmarks.md); PostgreSQL plans both as
    a semi-join.
    """
    held = select(ResidentTag.resident_id).where(
        ResidentTag.tag == tag,
        ResidentTag.deleted.is_(False),
        or_(ResidentTag.start_on.is_(None), ResidentTag.start_on <= today),
        or_(ResidentTag.end_on.is_(None), ResidentTag.end_on > today),
    )
    if confirmed:
        held = held.where(ResidentTag.source == "confirmed")
    return Resident.id.in_(held)


def tag_condition(tag: str, today: date, programme: bool = False) -> ColumnElement[bool]:
    """SQL selecting residents whose effective tags include `tag` (needs Household outer-joined);
    `programme`: their programme tags (a confirmable tag needs a confirmed span)."""
    if tag == "child_0_6":
        return age_condition(today, 0, CHILD_UNDER - 1)
    if tag == "elderly_65":
        return age_condition(today, ELDERLY_FROM)
    if tag == "low_income":
        stored = cast(Resident.tags, String).contains(f'"{tag}"', autoescape=True)
        return or_(Household.low_income.is_(True), and_(Resident.household_id.is_(None), stored))
    return span_condition(tag, today, confirmed=programme and tag in CONFIRMABLE_TAGS)
