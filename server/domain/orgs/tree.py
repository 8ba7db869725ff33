"""Building the org-unit tree; paths are kept right here so scoping can trust them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.core.org import LEVELS, OrgUnit
from server.core.problems import ORG_UNIT_LEVEL_INVALID, Problem


def add_unit(
    session: Session, parent: OrgUnit | None, level: str, code: str, name: str, population: int
) -> OrgUnit:
    """Create a unit under `parent`; a county has no parent, a village has a township."""
    expected = "county" if parent is None else parent.child_level()
    if level not in LEVELS or level != expected:
        raise Problem(
            ORG_UNIT_LEVEL_INVALID,
            errors={"level": [f"Not a {level}."]},
            expected=expected,
            level=level,
        )
    unit = OrgUnit(
        parent_id=parent.id if parent else None,
        level=level,
        code=code,
        name=name,
        population=population,
    )
    session.add(unit)
    session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    session.flush()
    return unit


def move_unit(session: Session, unit: OrgUnit, parent: OrgUnit) -> None:
    """Put `unit` (and its subtree) under `parent`: every path below it is rewritten."""
    old, new = unit.path, f"{parent.path}{unit.id}/"
    unit.parent_id = parent.id
    for below in session.scalars(select(OrgUnit).where(OrgUnit.path.startswith(old))):
        below.path = new + below.path[len(old) :]
    session.flush()
