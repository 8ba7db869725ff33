"""The register behind the indicators: who counts in a denominator on a given day.

A resident counts while their record is live (not deleted or merged away) and not ended on or
before the day: someone who died, moved away or was lost to follow-up stays in the register,
and their services still count, but they are no longer among the people to be served.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from server.core.scope import Actor, scoped
from server.domain.registry.model import TAGS, Household, Resident
from server.domain.registry.tags import tag_condition


def active_on(day: date) -> ColumnElement[bool]:
    """SQL for "a live resident whose record had not ended by `day`"."""
    return and_(
        Resident.deleted.is_(False),
        or_(Resident.ended_on.is_(None), Resident.ended_on > day),
    )


def _count(session: Session, user: Actor, *conditions: Any) -> int:
    stmt = scoped(
        select(func.count(Resident.id)).outerjoin(Household, Resident.household_id == Household.id),
        Resident,
        user,
    ).where(*conditions)
    return int(session.scalar(stmt) or 0)


def population(session: Session, user: Actor, day: date) -> dict[str, Any]:
    """Active residents in the caller's area on `day`, by tag (the denominators), and the ended."""
    live = Resident.deleted.is_(False)
    return {
        "on": day.isoformat(),
        "active": _count(session, user, active_on(day)),
        "ended": _count(session, user, live, Resident.ended_on <= day),
        "by_tag": [
            {"tag": tag, "count": _count(session, user, active_on(day), tag_condition(tag, day))}
            for tag in TAGS
        ],
    }
