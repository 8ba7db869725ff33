"""An administrator's edits of the tree one unit at a time: add, rename, remove when empty.

A unit is removed only when nothing hangs on it (no units below it, no accounts, households,
residents, service records, feed entries or conflicts), because every one of those rows is
scoped by it. Each edit is
written to the audit trail.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.core.audit import record_audit
from server.core.org import OrgUnit
from server.core.problems import (
    ORG_CODE_INVALID,
    ORG_CODE_OUTSIDE_PARENT,
    ORG_NAME_INVALID,
    ORG_POPULATION_INVALID,
    ORG_UNIT_CODE_TAKEN,
    ORG_UNIT_LEVEL_INVALID,
    ORG_UNIT_NOT_EMPTY,
    Problem,
)
from server.domain.accounts.model import User
from server.domain.orgs.codes import fits_parent, level_of_code
from server.domain.orgs.importing import unit_state
from server.domain.orgs.rows import MAX_NAME
from server.domain.orgs.tree import add_unit
from server.domain.records.model import ServiceRecord
from server.domain.registry.model import Household, Resident
from sync.models import Change, Conflict

# What may hang on a unit, in the words of the refusal (the workspace words the code).
CONTENTS = (
    ("units", OrgUnit, OrgUnit.parent_id),
    ("accounts", User, User.org_unit_id),
    ("households", Household, Household.village_id),
    ("residents", Resident, Resident.village_id),
    ("service records", ServiceRecord, ServiceRecord.village_id),
    # Rows that left the village still have their feed entries (phones' history) and conflicts.
    ("sync changes", Change, Change.village_id),
    ("conflicts", Conflict, Conflict.village_id),
)


def contents_of(session: Session, unit: OrgUnit) -> dict[str, int]:
    """How many rows of each kind hang on the unit (kinds with none left out)."""
    counts = {}
    for label, model, column in CONTENTS:
        count = session.scalar(select(func.count()).select_from(model).where(column == unit.id))
        if count:
            counts[label] = int(count)
    return counts


def _check_name(name: str) -> str:
    name = name.strip()
    if not 1 <= len(name) <= MAX_NAME:
        raise Problem(ORG_NAME_INVALID, errors={"name": [ORG_NAME_INVALID.message]})
    return name


def _check_population(population: int) -> int:
    if population < 0:
        message = ORG_POPULATION_INVALID.message.format(value=population)
        raise Problem(ORG_POPULATION_INVALID, errors={"population": [message]}, value=population)
    return population


def _audit(session: Session, actor: User, unit: OrgUnit, action: str, before, after) -> None:
    record_audit(
        session,
        actor_id=actor.id,
        device_id=None,
        entity="org_unit",
        entity_id=unit.id,
        action=action,
        before=before,
        after=after,
    )


def add_child(
    session: Session, actor: User, parent: OrgUnit, *, code: str, name: str, population: int
) -> OrgUnit:
    """A new township or village under `parent`, with a code of the right level and prefix."""
    code = code.strip()
    level = level_of_code(code)
    expected = parent.child_level()
    if level is None:
        message = ORG_CODE_INVALID.message.format(code=code)
        raise Problem(ORG_CODE_INVALID, errors={"code": [message]}, code=code)
    if level != expected:
        params = {"expected": expected or "nothing", "level": level}
        message = ORG_UNIT_LEVEL_INVALID.message.format(**params)
        raise Problem(ORG_UNIT_LEVEL_INVALID, errors={"code": [message]}, **params)
    if not fits_parent(code, parent.code, level):
        params = {"code": code, "parent_code": parent.code}
        message = ORG_CODE_OUTSIDE_PARENT.message.format(**params)
        raise Problem(ORG_CODE_OUTSIDE_PARENT, errors={"code": [message]}, **params)
    if session.scalar(select(OrgUnit.id).where(OrgUnit.code == code)) is not None:
        message = ORG_UNIT_CODE_TAKEN.message.format(code=code)
        raise Problem(ORG_UNIT_CODE_TAKEN, errors={"code": [message]}, code=code)
    unit = add_unit(session, parent, level, code, _check_name(name), _check_population(population))
    unit.resident_population = {}
    _audit(session, actor, unit, "create", None, unit_state(unit))
    return unit


def update_unit(
    session: Session,
    actor: User,
    unit: OrgUnit,
    *,
    name: str | None = None,
    population: int | None = None,
) -> OrgUnit:
    """Rename a unit or correct its population; the code, a national one, never changes."""
    before = unit_state(unit)
    if name is not None:
        unit.name = _check_name(name)
    if population is not None:
        unit.population = _check_population(population)
    session.flush()
    _audit(session, actor, unit, "update", before, unit_state(unit))
    return unit


def remove_unit(session: Session, actor: User, unit: OrgUnit) -> dict[str, Any]:
    """Delete an empty unit; one with anything on it is refused, saying what is there."""
    found = contents_of(session, unit)
    if found:
        contents = ", ".join(f"{count} {label}" for label, count in found.items())
        raise Problem(ORG_UNIT_NOT_EMPTY, errors={"contents": found}, contents=contents)
    before = unit_state(unit)
    _audit(session, actor, unit, "delete", before, None)
    session.delete(unit)
    session.flush()
    return before
