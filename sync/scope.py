"""Which villages a user's sync covers: their org unit and everything below it.

The rule itself is `server.models.org.subtree_ids`, shared with the app's scope helper.
"""

from __future__ import annotations

from sqlalchemy import Select
from sqlalchemy.orm import Session

from server.models import OrgUnit, User
from server.models.org import subtree_ids


def unit_ids_in_scope(user: User) -> Select[tuple[int]]:
    """Ids of the user's org unit and its descendants, as a subquery."""
    return subtree_ids(user.org_unit)


def villages_in_scope(session: Session, user: User) -> set[int]:
    """The village ids the user may read and write through sync (a handful, so kept in memory)."""
    stmt = unit_ids_in_scope(user).where(OrgUnit.level == "village")
    return set(session.scalars(stmt))
