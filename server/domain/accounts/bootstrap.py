"""The first administrator of a fresh install, made from the command line.

Nobody is signed in yet to create them, so the command is the actor (the audit row says so).
Their password is the one they typed, so they are not asked to change it at first sign-in.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.core.audit import record_audit
from server.core.org import OrgUnit
from server.core.problems import (
    IMPORT_VALUE_INVALID,
    ORG_UNIT_CODE_UNKNOWN,
    ROLE_LEVEL_MISMATCH,
    USERNAME_TAKEN,
    Problem,
)
from server.domain.accounts.model import ROLE_LEVEL, USERNAME_LENGTH, USERNAME_PATTERN, User
from server.domain.accounts.passwords import check_new_password, hash_password
from server.domain.accounts.staff import snapshot


def create_admin(
    session: Session, *, username: str, org_code: str, password: str, full_name: str = ""
) -> User:
    """An administrator of the county with code `org_code` (the caller commits)."""
    return create_by_command(
        session,
        username=username,
        role="admin",
        org_code=org_code,
        password=password,
        full_name=full_name,
    )


def create_by_command(
    session: Session,
    *,
    username: str,
    role: str,
    org_code: str,
    password: str,
    full_name: str = "",
) -> User:
    """An account of any role made from the command line (`create-admin`, `create-user`)."""
    unit = session.scalars(select(OrgUnit).where(OrgUnit.code == org_code)).first()
    if unit is None:
        raise Problem(ORG_UNIT_CODE_UNKNOWN, code=org_code)
    if unit.level != ROLE_LEVEL[role]:
        expected = ROLE_LEVEL[role]
        raise Problem(ROLE_LEVEL_MISMATCH, role=role, expected=expected, level=unit.level)
    low, high = USERNAME_LENGTH
    if not (low <= len(username) <= high and re.match(USERNAME_PATTERN, username)):
        expected = f"{low}-{high} letters, digits, _ . -"
        raise Problem(IMPORT_VALUE_INVALID, column="username", value=username, expected=expected)
    if session.scalars(select(User.id).where(User.username == username)).first() is not None:
        raise Problem(USERNAME_TAKEN)
    check_new_password(password, username)
    user = User(
        username=username,
        full_name=full_name,
        role=role,
        org_unit_id=unit.id,
        password_hash=hash_password(password),
        must_change_password=False,
    )
    session.add(user)
    session.flush()
    record_audit(
        session,
        actor_id=None,
        device_id=None,
        entity="user",
        entity_id=user.id,
        action=f"create_{role}" if role == "admin" else "create",
        before=None,
        after=snapshot(user),
        comment="flask create-admin" if role == "admin" else "flask create-user",
    )
    return user
