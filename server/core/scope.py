"""The one place that decides what a caller may see: their org unit and everything below it.

Every query for scoped data goes through `scoped()` or `get_in_scope()`. A model names the
column that ties it to the tree in `__scope_column__`. Out of scope answers 404, exactly as if
the object did not exist, so ids in other units cannot be probed.
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from server.core.org import OrgUnit, subtree_ids
from server.core.problems import Problem, ProblemType

T = TypeVar("T")


class Actor(Protocol):
    """Whoever is asking: the kernel needs only their id, role and place in the tree."""

    id: int
    role: str
    org_unit: OrgUnit


def unit_ids_in_scope(user: Actor) -> Select[tuple[int]]:
    """Ids of the caller's org unit and all its descendants, as a subquery."""
    return subtree_ids(user.org_unit)


def scope_condition(model: type, user: Actor) -> Any:
    column = getattr(model, model.__scope_column__)
    return column.in_(unit_ids_in_scope(user))


def scoped(stmt: Select, model: type, user: Actor) -> Select:
    """Restrict a SELECT over `model` to the caller's subtree."""
    return stmt.where(scope_condition(model, user))


def get_in_scope(
    session: Session, model: type[T], ident: Any, user: Actor, missing: ProblemType
) -> T:
    """Load one object the caller may see, or raise `missing` (a 404) that reveals nothing.

    The caller names the problem (`resident_not_found`...): the same for an id that does not
    exist and for one outside the caller's area, so neither can be told from the other.
    """
    stmt = scoped(select(model), model, user).where(
        model.__mapper__.primary_key[0] == ident  # type: ignore[attr-defined]
    )
    obj = session.scalars(stmt).first()
    if obj is None:
        raise Problem(missing)
    return obj


def unit_in_scope(session: Session, unit_id: int, user: Actor) -> bool:
    stmt = scoped(select(OrgUnit.id), OrgUnit, user).where(OrgUnit.id == unit_id)
    return session.scalar(stmt) is not None


def villages_in_scope(session: Session, user: Actor) -> set[int]:
    """The village ids the user may read and write through sync (a handful, so kept in memory)."""
    stmt = unit_ids_in_scope(user).where(OrgUnit.level == "village")
    return set(session.scalars(stmt))
