"""Is this person already registered? Checked across the whole county, not only one village.

A resident moves house, or two assistants register the same grandmother: the ID number, or the
name plus the birth date, finds the earlier record so the app can offer "this is the same person"
instead of creating a second one. What is shown about a match outside the caller's own area is
kept to the village, so the check cannot be used to look people up elsewhere.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, selectinload

from server.core.org import OrgUnit
from server.core.scope import unit_ids_in_scope
from server.domain.accounts.model import User
from server.domain.registry.idnumber import mask
from server.domain.registry.model import Resident

BY_ID_NUMBER = "id_number"
BY_NAME_AND_BIRTH_DATE = "name_birth_date"


@dataclass(frozen=True)
class Duplicate:
    """An existing live resident and why it matched (ID number first when both apply)."""

    resident: Resident
    reason: str


def county_id_of(user: User) -> int:
    """The county at the root of the caller's path ("/1/4/17/" -> 1)."""
    return int(user.org_unit.path.strip("/").split("/")[0])


def find_duplicates(
    session: Session,
    *,
    id_number: str | None,
    name: str | None,
    birth_date: date | None,
    exclude_id: uuid.UUID | None = None,
    county_id: int | None = None,
) -> list[Duplicate]:
    """Live residents with the same ID number, or the same name and birth date.

    `county_id` limits the search to one county's tree (a provincial server holds several);
    None searches every row. `exclude_id` leaves out the record being edited.
    """
    number = (id_number or "").strip().upper() or None
    clean_name = (name or "").strip() or None
    conditions = []
    if number:
        conditions.append(Resident.id_number == number)
    if clean_name and birth_date:
        conditions.append(and_(Resident.name == clean_name, Resident.birth_date == birth_date))
    if not conditions:
        return []
    stmt = (
        select(Resident)
        .where(or_(*conditions), Resident.deleted.is_(False))
        .options(selectinload(Resident.village))
        .order_by(Resident.created_at, Resident.id)
    )
    if exclude_id is not None:
        stmt = stmt.where(Resident.id != exclude_id)
    if county_id is not None:
        county_units = select(OrgUnit.id).where(
            or_(OrgUnit.id == county_id, OrgUnit.path.startswith(f"/{county_id}/"))
        )
        stmt = stmt.where(Resident.village_id.in_(county_units))
    found = []
    for resident in session.scalars(stmt).all():
        same_number = number is not None and resident.id_number == number
        found.append(Duplicate(resident, BY_ID_NUMBER if same_number else BY_NAME_AND_BIRTH_DATE))
    return found


def duplicates_of(session: Session, resident: Resident, county_id: int | None) -> list[Duplicate]:
    """Other live residents that may be the same person as `resident` (its stored number used
    on the server, so a caller who may not see it still gets the matches)."""
    return find_duplicates(
        session,
        id_number=resident.id_number,
        name=resident.name,
        birth_date=resident.birth_date,
        exclude_id=resident.id,
        county_id=county_id,
    )


def visible_village_ids(session: Session, user: User, village_ids: set[int]) -> set[int]:
    """Which of `village_ids` lie in the caller's scope (full details may be shown for those)."""
    if not village_ids:
        return set()
    stmt = select(OrgUnit.id).where(
        OrgUnit.id.in_(village_ids), OrgUnit.id.in_(unit_ids_in_scope(user))
    )
    return set(session.scalars(stmt).all())


def disclose(session: Session, user: User, matches: list[Duplicate]) -> list[dict[str, Any]]:
    """What the caller may learn about each match.

    Inside the caller's scope: enough to pick the record (id, name, sex, birth date, masked ID
    number, household). Outside it: only that a match exists, why, and in which village, so the
    assistant can call the township instead of registering the person twice.
    """
    visible = visible_village_ids(session, user, {m.resident.village_id for m in matches})
    out: list[dict[str, Any]] = []
    for match in matches:
        resident = match.resident
        entry: dict[str, Any] = {
            "in_scope": resident.village_id in visible,
            "reason": match.reason,
            "village": {"id": resident.village_id, "name": resident.village.name},
        }
        if entry["in_scope"]:
            entry |= {
                "id": resident.id,
                "name": resident.name,
                "sex": resident.sex,
                "birth_date": resident.birth_date,
                "id_number_masked": mask(resident.id_number),
                "household_id": resident.household_id,
            }
        out.append(entry)
    return out


def find_duplicates_many(
    session: Session,
    people: list[tuple[str | None, str | None, date | None]],
    *,
    county_id: int | None = None,
    chunk: int = 500,
) -> list[list[Duplicate]]:
    """`find_duplicates` for many people at once (an import): the same rule, a few queries.

    `people` holds (id_number, name, birth_date); the answer is each one's matches, in order.
    """
    keys = [((n or "").strip().upper() or None, (m or "").strip() or None, b) for n, m, b in people]
    numbers = sorted({n for n, _, _ in keys if n})
    names = sorted({m for _, m, b in keys if m and b})
    found: dict[uuid.UUID, Resident] = {}
    county_units = None
    if county_id is not None:
        county_units = select(OrgUnit.id).where(
            or_(OrgUnit.id == county_id, OrgUnit.path.startswith(f"/{county_id}/"))
        )
    for column, values in ((Resident.id_number, numbers), (Resident.name, names)):
        for start in range(0, len(values), chunk):
            stmt = (
                select(Resident)
                .where(column.in_(values[start : start + chunk]), Resident.deleted.is_(False))
                .options(selectinload(Resident.village))
            )
            if county_units is not None:
                stmt = stmt.where(Resident.village_id.in_(county_units))
            found.update((r.id, r) for r in session.scalars(stmt))
    by_number: dict[str, list[Resident]] = {}
    by_name: dict[tuple[str, date], list[Resident]] = {}
    for resident in sorted(found.values(), key=lambda r: (r.created_at, str(r.id))):
        if resident.id_number:
            by_number.setdefault(resident.id_number, []).append(resident)
        by_name.setdefault((resident.name, resident.birth_date), []).append(resident)
    answers = []
    for number, name, birth in keys:
        matches: dict[uuid.UUID, Duplicate] = {}
        for resident in by_number.get(number or "", []):
            matches[resident.id] = Duplicate(resident, BY_ID_NUMBER)
        for resident in by_name.get((name or "", birth), []) if name and birth else []:
            matches.setdefault(resident.id, Duplicate(resident, BY_NAME_AND_BIRTH_DATE))
        answers.append(list(matches.values()))
    return answers
