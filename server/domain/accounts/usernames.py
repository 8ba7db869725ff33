"""Whether a username may be given to a new account, and what the refusal may tell the caller."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.core.problems import USERNAME_TAKEN, Problem
from server.core.scope import unit_in_scope
from server.domain.accounts.model import User

# Names nobody may take: they read as the system's own, and a "not available" for them is what
# makes that answer say nothing about whether an account of that name exists elsewhere.
RESERVED_USERNAMES = frozenset(
    {"admin", "administrator", "root", "system", "operator", "support", "superuser", "vha"}
)
IN_AREA_CLASH = "An account in your area already uses this username."


def check_username_available(session: Session, actor: User, username: str) -> None:
    """409 `username_taken` for a name in use or reserved.

    Usernames are unique on the whole server, but the answer confirms an account only inside
    the caller's area (where they can see it in the list anyway): a clash elsewhere, or a
    reserved name, gets the same neutral "not available", so a supervisor cannot probe which
    usernames exist in other townships or counties.
    """
    clash = session.scalars(select(User).where(User.username == username)).first()
    if clash is None and username.lower() not in RESERVED_USERNAMES:
        return
    if clash is not None and unit_in_scope(session, clash.org_unit_id, actor):
        raise Problem(USERNAME_TAKEN, errors={"username": [IN_AREA_CLASH]})
    raise Problem(USERNAME_TAKEN, errors={"username": [USERNAME_TAKEN.message]})
