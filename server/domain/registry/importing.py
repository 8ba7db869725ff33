"""Importing a county's existing registers (households and residents) from a spreadsheet.

A county starts with paper or Excel registers; typing them into phones one by one would take the
assistants weeks. One row per resident, grouped into households by village code and household
number. Each person is checked for a duplicate as the phone checks it (`duplicates.py`: the same
ID number, or the same name and birth date, anywhere in the county); a suspected duplicate is
reported with its line and, unless the import is told to keep them, left out. Everything is
written in one transaction, so the new households and residents
reach the phones through the pull feed like any other server write (`publish_created`: the
same feed entry, snapshot and audit row per row as `server_write`, in bulk), and the import
itself is one more audit row.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.core.audit import record_audit
from server.core.clock import local_today
from server.core.db import new_uuid
from server.core.org import OrgUnit
from server.core.problems import (
    IMPORT_DUPLICATE_ROW,
    IMPORT_VALUE_REQUIRED,
    ORG_UNIT_CODE_UNKNOWN,
    ORG_UNIT_LEVEL_INVALID,
    ORG_UNIT_NOT_IN_AREA,
    TAG_UNKNOWN,
)
from server.core.scope import unit_ids_in_scope
from server.core.sheets import Issue, Sheet, check_columns, import_failed, is_yes
from server.domain.accounts.model import User
from server.domain.registry.duplicates import county_id_of, find_duplicates_many
from server.domain.registry.idnumber import birth_date_of, id_number_problem
from server.domain.registry.model import TAGS, Household, Resident
from server.domain.registry.registersheet import (  # noqa: F401  (ALIASES: the commands read it here)
    ALIASES,
    REQUIRED,
    SEXES,
    HouseholdRow,
    Person,
    RegisterPlan,
    invalid_value,
    parse_date,
    tags_of,
)
from server.domain.registry.synced import HOUSEHOLD, RESIDENT
from server.domain.registry.tagfollow import tag_origin
from sync.changes import lock_feed, publish_created


def plan_register_import(
    session: Session, actor: User, sheet: Sheet, *, keep_duplicates: bool = False
) -> RegisterPlan:
    """Every row checked and every person looked up for duplicates; nothing written."""
    plan = RegisterPlan(keep_duplicates=keep_duplicates)
    if not check_columns(sheet, REQUIRED, plan.issues):
        return plan
    villages = {u.code: u for u in session.scalars(select(OrgUnit))}
    in_scope = set(session.scalars(unit_ids_in_scope(actor)))
    county_id = county_id_of(actor)
    today = local_today()
    numbers: dict[str, int] = {}
    people: dict[tuple[str, date], int] = {}  # (name, birth date) -> first line in the file
    for row in sheet.rows:
        issues: list[Issue] = []
        for column in REQUIRED:
            if not row.get(column):
                issues.append(Issue(row.line, column, IMPORT_VALUE_REQUIRED, {"column": column}))
        village = villages.get(row.get("village_code"))
        if row.get("village_code") and village is None:
            params = {"code": row.get("village_code")}
            issues.append(Issue(row.line, "village_code", ORG_UNIT_CODE_UNKNOWN, params))
        elif village is not None and village.level != "village":
            params = {"expected": "village", "level": village.level}
            issues.append(Issue(row.line, "village_code", ORG_UNIT_LEVEL_INVALID, params))
        elif village is not None and village.id not in in_scope:
            issues.append(Issue(row.line, "village_code", ORG_UNIT_NOT_IN_AREA))
        sex = SEXES.get(row.get("sex").lower())
        if row.get("sex") and sex is None:
            issues.append(invalid_value(row.line, "sex", row.get("sex"), "男 or 女 (M or F)"))
        number = row.get("id_number").upper() or None
        if number and (reason := id_number_problem(number)):
            issues.append(invalid_value(row.line, "id_number", number[:4] + "…", reason))
            number = None
        elif number and number in numbers:
            params = {
                "column": "id_number",
                "value": "…" + number[-4:],
                "first_line": numbers[number],
            }
            issues.append(Issue(row.line, "id_number", IMPORT_DUPLICATE_ROW, params))
        elif number:
            numbers[number] = row.line
        born = parse_date(row.get("birth_date")) if row.get("birth_date") else None
        if row.get("birth_date") and (born is None or born > today):
            told = row.get("birth_date")
            issues.append(invalid_value(row.line, "birth_date", told, "YYYY-MM-DD"))
        elif born and number and birth_date_of(number) != born:
            expected = f"the birth date in the ID number, {birth_date_of(number)}"
            issues.append(invalid_value(row.line, "birth_date", row.get("birth_date"), expected))
        tags, unknown = tags_of(row.get("tags"))
        if unknown:
            issues.append(Issue(row.line, "tags", TAG_UNKNOWN, {"tags": ", ".join(TAGS)}))
        phone = row.get("phone") or None
        if phone and len(phone) > 32:
            issues.append(invalid_value(row.line, "phone", phone[:12], "a phone number"))
        if issues or village is None or sex is None or born is None:
            plan.issues.extend(issues)
            continue
        key = (village.id, row.get("household_no"))
        household = plan.households.setdefault(
            key, HouseholdRow(row.line, village, key[1], row.get("address"))
        )
        head = is_yes(row.get("head")) or row.get("relation") in {"户主", "本人"}
        person = Person(row.line, key, row.get("name"), sex, born, number, phone, tags, head)
        first = people.setdefault((person.name, born), row.line)
        if first != row.line:
            person.duplicates.append({"reason": "name_birth_date", "line": first})
        household.members.append(person)
    everyone = [p for h in plan.households.values() for p in h.members]
    found = find_duplicates_many(
        session, [(p.id_number, p.name, p.birth_date) for p in everyone], county_id=county_id
    )
    for person, matches in zip(everyone, found, strict=True):
        earlier = [{"reason": m.reason, "village": m.resident.village.name} for m in matches]
        person.duplicates[:0] = earlier
    return plan


def apply_register_import(
    session: Session, actor: User, plan: RegisterPlan, *, source: str
) -> dict[str, Any]:
    """Create the households and residents (the caller commits); any bad row writes nothing."""
    if plan.issues:
        raise import_failed(plan.issues)
    lock_feed(session)
    report = plan.report()
    households, residents = [], []
    for household_row, members in plan.to_create():
        head = next((p for p in members if p.head), members[0])
        household = Household(
            id=new_uuid(),
            village_id=household_row.village.id,
            address=household_row.address,
            head_name=head.name,
            low_income=any("low_income" in p.tags for p in members),
            created_by_id=actor.id,
            updated_by_id=actor.id,
        )
        households.append(household)
        residents.extend(
            Resident(
                id=new_uuid(),
                household_id=household.id,
                village_id=household_row.village.id,
                name=person.name,
                sex=person.sex,
                birth_date=person.birth_date,
                id_number=person.id_number,
                phone=person.phone,
                tags=[t for t in person.tags if t != "low_income"],
                created_by_id=actor.id,
                updated_by_id=actor.id,
            )
            for person in members
        )
    session.add_all(households)
    session.flush()
    session.add_all(residents)
    with tag_origin(session, "import"):
        session.flush()
    publish_created(
        session,
        [
            *((HOUSEHOLD, h, actor.id) for h in households),
            *((RESIDENT, r, actor.id) for r in residents),
        ],
        comment=f"import {source}",
    )
    record_audit(
        session,
        actor_id=actor.id,
        device_id=None,
        entity="import",
        entity_id="residents",
        action="import_residents",
        before=None,
        after={"source": source, **report["summary"]},
    )
    return report
