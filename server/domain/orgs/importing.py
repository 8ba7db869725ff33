"""Importing a county's org tree (county → township → village) from a spreadsheet.

The county's list is the truth for names and populations, so a re-import renames units and
updates populations, and adds the units that are new. It never deletes: a unit missing from the
file is left alone (it may hold residents and records). A unit found under another parent is
moved only when the row (column `move`) or the whole import says so, since a move changes who
sees the unit's people. Every row is checked before anything is written, and the plan is applied
in one transaction or not at all.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.core.audit import record_audit
from server.core.org import LEVELS, OrgUnit
from server.core.problems import (
    ORG_CODE_OUTSIDE_PARENT,
    ORG_PARENT_REQUIRED,
    ORG_PARENT_UNKNOWN,
    ORG_UNIT_LEVEL_INVALID,
    ORG_UNIT_MOVE_NOT_CONFIRMED,
    ORG_UNIT_NOT_IN_AREA,
)
from server.core.sheets import Issue, Sheet, check_columns, import_failed
from server.domain.orgs.codes import fits_parent
from server.domain.orgs.rows import (
    REQUIRED,
    OrgImportPlan,
    Outcome,
    UnitRow,
    parse_rows,
)
from server.domain.orgs.tree import add_unit, move_unit


def plan_org_import(
    session: Session, sheet: Sheet, *, scope: OrgUnit | None = None, allow_moves: bool = False
) -> OrgImportPlan:
    """What importing `sheet` would change; nothing is written.

    `scope`: the importing administrator's unit (every row must lie in its subtree); None for
    the command line, which may also create a county. `allow_moves` confirms every move at once.
    """
    plan = OrgImportPlan()
    if not check_columns(sheet, REQUIRED, plan.issues):
        return plan
    rows = parse_rows(sheet, plan.issues)
    existing = {unit.code: unit for unit in session.scalars(select(OrgUnit))}
    code_of = {unit.id: unit.code for unit in existing.values()}
    in_file = {row.code: row for row in rows}

    def parent_of(code: str) -> str | None:
        if code in in_file:
            return in_file[code].parent_code or None
        unit = existing.get(code)
        return code_of.get(unit.parent_id) if unit and unit.parent_id else None

    def in_scope(code: str) -> bool:
        unit = existing.get(code)
        if scope is not None and unit is not None and not unit.path.startswith(scope.path):
            return False  # another county's unit stays there, whatever parent the row names
        seen: set[str] = set()
        current: str | None = code
        while current and current not in seen:
            if scope is not None and current == scope.code:
                return True
            seen.add(current)
            current = parent_of(current)
        return scope is None

    for row in rows:
        issue = _placement_issue(row, in_file, existing, code_of, allow_moves)
        if issue is None and not in_scope(row.code):
            issue = Issue(row.line, "code", ORG_UNIT_NOT_IN_AREA)
        if issue is not None:
            plan.issues.append(issue)
            continue
        unit = existing.get(row.code)
        if unit is None:
            plan.added.append(Outcome(row))
            continue
        outcome = Outcome(row, _changes(unit, row, code_of))
        (plan.updated if outcome.changes else plan.unchanged).append(outcome)
    plan.not_in_file = sum(
        1 for code in existing if code not in in_file and (scope is None or in_scope(code))
    )
    return plan


def _placement_issue(
    row: UnitRow,
    in_file: dict[str, UnitRow],
    existing: dict[str, OrgUnit],
    code_of: dict[int, str],
    allow_moves: bool,
) -> Issue | None:
    """Is the row's unit under a parent of the right level, with a code that fits it?"""
    if not row.parent_code:
        if row.level != "county":
            return Issue(row.line, "parent_code", ORG_PARENT_REQUIRED, {"level": row.level})
    else:
        parent = in_file.get(row.parent_code) or existing.get(row.parent_code)
        if parent is None:
            params = {"parent_code": row.parent_code}
            return Issue(row.line, "parent_code", ORG_PARENT_UNKNOWN, params)
        index = LEVELS.index(parent.level) + 1
        expected = LEVELS[index] if index < len(LEVELS) else "nothing"
        if expected != row.level:
            params = {"expected": expected, "level": row.level}
            return Issue(row.line, "code", ORG_UNIT_LEVEL_INVALID, params)
        if not fits_parent(row.code, row.parent_code, row.level):
            params = {"code": row.code, "parent_code": row.parent_code}
            return Issue(row.line, "code", ORG_CODE_OUTSIDE_PARENT, params)
    unit = existing.get(row.code)
    if unit is None:
        return None
    if unit.level != row.level:
        params = {"expected": unit.level, "level": row.level}
        return Issue(row.line, "code", ORG_UNIT_LEVEL_INVALID, params)
    current = code_of.get(unit.parent_id) if unit.parent_id else None
    if (current or "") != row.parent_code and not (allow_moves or row.move):
        params = {"code": row.code, "current_parent": current, "parent_code": row.parent_code}
        return Issue(row.line, "parent_code", ORG_UNIT_MOVE_NOT_CONFIRMED, params)
    return None


def _changes(unit: OrgUnit, row: UnitRow, code_of: dict[int, str]) -> dict[str, list[Any]]:
    changes: dict[str, list[Any]] = {}
    if unit.name != row.name:
        changes["name"] = [unit.name, row.name]
    if unit.population != row.population:
        changes["population"] = [unit.population, row.population]
    before = dict(unit.resident_population or {})
    after = {**before, **row.resident}
    if after != before:
        changes["resident_population"] = [before, after]
    current = code_of.get(unit.parent_id) if unit.parent_id else None
    if (current or "") != row.parent_code:
        changes["parent_code"] = [current, row.parent_code]
    return changes


def apply_org_import(
    session: Session, plan: OrgImportPlan, *, actor_id: int | None, source: str
) -> dict[str, Any]:
    """Write the plan (the caller commits); a plan with any problem writes nothing."""
    if plan.issues:
        raise import_failed(plan.issues)
    units = {unit.code: unit for unit in session.scalars(select(OrgUnit))}
    order = {level: i for i, level in enumerate(LEVELS)}
    for outcome in sorted(plan.added, key=lambda o: order[o.row.level]):
        row = outcome.row
        parent = units.get(row.parent_code) if row.parent_code else None
        unit = add_unit(session, parent, row.level, row.code, row.name, row.population)
        unit.resident_population = dict(row.resident)
        units[row.code] = unit
        audit_unit(session, actor_id, unit, "import_create", None, unit_state(unit))
    for outcome in sorted(plan.updated, key=lambda o: order[o.row.level]):
        row, unit = outcome.row, units[outcome.row.code]
        before = unit_state(unit)
        unit.name, unit.population = row.name, row.population
        unit.resident_population = {**(unit.resident_population or {}), **row.resident}
        if "parent_code" in outcome.changes:
            move_unit(session, unit, units[row.parent_code])
        audit_unit(session, actor_id, unit, "import_update", before, unit_state(unit))
    report = plan.report()
    record_audit(
        session,
        actor_id=actor_id,
        device_id=None,
        entity="import",
        entity_id="org_units",
        action="import_org_units",
        before=None,
        after={"source": source, **report["summary"]},
    )
    session.flush()
    return report


def unit_state(unit: OrgUnit) -> dict[str, Any]:
    return {
        "code": unit.code,
        "name": unit.name,
        "level": unit.level,
        "parent_id": unit.parent_id,
        "population": unit.population,
        "resident_population": dict(unit.resident_population or {}),
    }


def audit_unit(
    session: Session,
    actor_id: int | None,
    unit: OrgUnit,
    action: str,
    before,
    after,
    unit_id: int | None = None,
) -> None:
    """One audit row of a change to a unit (a command's actor_id is None)."""
    record_audit(
        session,
        actor_id=actor_id,
        device_id=None,
        entity="org_unit",
        entity_id=unit.id,
        action=action,
        before=before,
        after=after,
        unit_id=unit_id,
    )
