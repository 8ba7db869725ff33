"""Suspected duplicates as a supervisor's work-list: found, then merged or set aside for good.

Two assistants register the same grandmother, or one registers her again after she moved.
A pair is noted when a resident reaches the server (`registration`: a phone's create;
`upload`: an edit of name, birth date, ID number or household) and by the periodic scan
(`flask --app wsgi duplicates scan`, safe to run any number of times). Rules, first match wins:

- `id_number`: the same ID number;
- `name_birth_date`: the same name and birth date;
- `name_household_head`: the same name, households with the same head, and birth dates at most
  `CLOSE_DAYS` apart (a birth date typed a few days off).

A pair is stored once whatever finds it again; "not the same person" keeps it (dismissed), so
it is never suggested again. Only residents of one county are paired.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from server.core.db import utcnow
from server.core.org import OrgUnit
from server.domain.registry.model import Household, Resident, SuspectedDuplicate

CLOSE_DAYS = 31
FOUND_BY_OP = {"create": "registration", "update": "upload"}


def ordered(a: uuid.UUID, b: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
    return (a, b) if str(a) < str(b) else (b, a)


def reason_between(one: dict[str, Any], other: dict[str, Any]) -> str | None:
    """Why two residents (as plain values) may be one person, or None: the rules above."""
    if one.get("id_number") and one.get("id_number") == other.get("id_number"):
        return "id_number"
    if not one.get("name") or one.get("name") != other.get("name"):
        return None
    born, other_born = one.get("birth_date"), other.get("birth_date")
    if born and born == other_born:
        return "name_birth_date"
    head = (one.get("head_name") or "").strip()
    if (
        head
        and head == (other.get("head_name") or "").strip()
        and born
        and other_born
        and abs((born - other_born).days) <= CLOSE_DAYS
    ):
        return "name_household_head"
    return None


def _county_units(session: Session, village_id: int):
    path = session.scalar(select(OrgUnit.path).where(OrgUnit.id == village_id)) or ""
    county = path.strip("/").split("/")[0]
    return select(OrgUnit.id).where(OrgUnit.path.startswith(f"/{county}/"))


def _values(resident: Resident, head_name: str | None) -> dict[str, Any]:
    return {
        "id": resident.id,
        "name": resident.name,
        "birth_date": resident.birth_date,
        "id_number": resident.id_number,
        "head_name": head_name,
    }


def suspects_of(session: Session, resident: Resident) -> list[tuple[uuid.UUID, str]]:
    """Other live residents of the county that may be this one, with the rule that matched."""
    head = resident.household.head_name if resident.household else None
    conditions = [Resident.name == resident.name]
    if resident.id_number:
        conditions.append(Resident.id_number == resident.id_number)
    stmt = (
        select(Resident, Household.head_name)
        .outerjoin(Household, Household.id == Resident.household_id)
        .where(
            or_(*conditions),
            Resident.deleted.is_(False),
            Resident.id != resident.id,
            Resident.village_id.in_(_county_units(session, resident.village_id)),
        )
    )
    mine = _values(resident, head)
    found = []
    for other, other_head in session.execute(stmt):
        reason = reason_between(mine, _values(other, other_head))
        if reason:
            found.append((other.id, reason))
    return found


def note_pairs(
    session: Session, pairs: list[tuple[uuid.UUID, uuid.UUID, str]], found_by: str
) -> int:
    """Store the pairs not stored yet (whatever their status); answers how many were new."""
    rows = {}
    for a, b, reason in pairs:
        first, second = ordered(a, b)
        rows.setdefault((first, second), reason)
    if not rows:
        return 0
    known = set(
        session.execute(
            select(SuspectedDuplicate.first_id, SuspectedDuplicate.second_id).where(
                or_(
                    *(
                        and_(SuspectedDuplicate.first_id == f, SuspectedDuplicate.second_id == s)
                        for f, s in rows
                    )
                )
            )
        ).all()
    )
    fresh = [
        {
            "first_id": f,
            "second_id": s,
            "reason": r,
            "found_by": found_by,
            "found_at": utcnow(),
            "status": "open",
        }
        for (f, s), r in rows.items()
        if (f, s) not in known
    ]
    if not fresh:
        return 0
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    # Two pushes may find the same pair at once: the unique pair makes the second a no-op.
    stmt = dialect.insert(SuspectedDuplicate).on_conflict_do_nothing(
        index_elements=["first_id", "second_id"]
    )
    session.execute(stmt, fresh)
    return len(fresh)


def note_resident(session: Session, resident_id: uuid.UUID, found_by: str) -> int:
    """Look for the suspects of one resident that has just been written, and note them."""
    resident = session.get(Resident, resident_id)
    if resident is None or resident.deleted:
        return 0
    pairs = [(resident.id, other, reason) for other, reason in suspects_of(session, resident)]
    return note_pairs(session, pairs, found_by)


WATCHED = ("name", "birth_date", "id_number", "household_id")


def after_resident_write(ctx: Any, spec: Any, row_id: Any, op: str, state: dict[str, Any]) -> None:
    """The sync engine's hook (bulk and single-row path): a registration or an upload that
    touched what the rules read is checked against the county."""
    if op not in FOUND_BY_OP or state.get("deleted"):
        return
    note_resident(ctx.session, uuid.UUID(str(row_id)), FOUND_BY_OP[op])


def scan(session: Session) -> int:
    """Every rule over every live resident; answers how many new pairs were noted."""
    a, b = aliased(Resident), aliased(Resident)
    ha, hb = aliased(Household), aliased(Household)
    live = and_(a.deleted.is_(False), b.deleted.is_(False), a.id < b.id)
    by_number = select(a.id, b.id).join(b, and_(a.id_number == b.id_number, live))
    by_name = (
        select(a.id, b.id, a.birth_date, b.birth_date, ha.head_name, hb.head_name)
        .join(b, and_(a.name == b.name, live))
        .outerjoin(ha, ha.id == a.household_id)
        .outerjoin(hb, hb.id == b.household_id)
        .where(or_(a.birth_date == b.birth_date, ha.head_name == hb.head_name))
    )
    county = dict(session.execute(select(OrgUnit.id, OrgUnit.path)).all())
    village = dict(session.execute(select(Resident.id, Resident.village_id)).all())

    def same_county(x: uuid.UUID, y: uuid.UUID) -> bool:
        top = [county.get(village[i], "").strip("/").split("/")[0] for i in (x, y)]
        return top[0] == top[1]

    pairs: list[tuple[uuid.UUID, uuid.UUID, str]] = []
    for x, y in session.execute(by_number.where(a.id_number.is_not(None))):
        pairs.append((x, y, "id_number"))
    for x, y, born_x, born_y, head_x, head_y in session.execute(by_name):
        reason = reason_between(
            {"name": "n", "birth_date": born_x, "head_name": head_x},
            {"name": "n", "birth_date": born_y, "head_name": head_y},
        )
        if reason:
            pairs.append((x, y, reason))
    return note_pairs(session, [p for p in pairs if same_county(p[0], p[1])], "scan")


def close_pairs_of(session: Session, resident_id: uuid.UUID, actor_id: int) -> None:
    """After a merge, every open pair naming the merged-away resident is closed as merged."""
    for pair in session.scalars(
        select(SuspectedDuplicate).where(
            SuspectedDuplicate.status == "open",
            or_(
                SuspectedDuplicate.first_id == resident_id,
                SuspectedDuplicate.second_id == resident_id,
            ),
        )
    ):
        pair.status = "merged"
        pair.decided_by_id = actor_id
        pair.decided_at = utcnow()
