"""Account management by staff: who may create, reset, deactivate and revoke whom.

A supervisor manages the assistants of the villages in their township; an admin manages the
supervisors (and assistants) of their county. Nobody manages an account of their own rank or
above, so a supervisor cannot lock out a colleague and an admin cannot lock out another admin.
Every change is written to the audit trail.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.core.audit import record_audit
from server.core.db import utcnow
from server.core.org import OrgUnit
from server.core.problems import (
    DEVICE_NOT_FOUND,
    ORG_UNIT_NOT_IN_AREA,
    ROLE_LEVEL_MISMATCH,
    ROLE_NOT_MANAGEABLE,
    USER_NOT_FOUND,
    VALIDATION_ERROR,
    Problem,
)
from server.core.scope import get_in_scope, unit_in_scope
from server.domain.accounts import auth
from server.domain.accounts.model import MANAGES, ROLE_LEVEL, Device, TokenFamily, User
from server.domain.accounts.passwords import check_new_password, hash_password
from server.domain.accounts.revocation import REVOKE_CHOICES
from server.domain.accounts.usernames import check_username_available


def session_device_id(session: Session, family_id: str | None) -> int | None:
    """The device behind the caller's token family, so audit rows say where an action came from."""
    try:
        family = session.get(TokenFamily, uuid.UUID(str(family_id)))
    except ValueError:
        return None
    return family.device_id if family else None


def snapshot(user: User) -> dict[str, Any]:
    """What the audit trail keeps of an account (never the password hash)."""
    return {
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "org_unit_id": user.org_unit_id,
        "active": user.active,
        "must_change_password": user.must_change_password,
    }


def _audit(
    session: Session,
    actor: User,
    device_id: int | None,
    user: User,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    comment: str | None = None,
) -> None:
    record_audit(
        session,
        actor_id=actor.id,
        device_id=device_id,
        entity="user",
        entity_id=str(user.id),
        action=action,
        before=before,
        after=after,
        comment=comment,
        unit_id=user.org_unit_id,
    )


def _check_manages(actor: User, role: str) -> None:
    if role not in MANAGES.get(actor.role, ()):
        raise Problem(ROLE_NOT_MANAGEABLE, actor_role=actor.role, role=role)


def _check_password(password: str, username: str) -> None:
    """A password staff choose for someone meets the same policy as one chosen for oneself."""
    check_new_password(password, username, "password")


def managed_user(session: Session, actor: User, user_id: int) -> User:
    """An account the actor may manage: 404 outside their scope, 403 above their rank."""
    user = get_in_scope(session, User, user_id, actor, USER_NOT_FOUND)
    _check_manages(actor, user.role)
    return user


def check_new_account(
    session: Session, actor: User, *, username: str, role: str, org_unit_id: int
) -> OrgUnit:
    """The unit of an account `actor` may create, or the refusal (the one set of rules for
    the form, the API and the staff import)."""
    _check_manages(actor, role)
    unit = _placement(session, actor, role, org_unit_id)
    username = username.strip()
    check_username_available(session, actor, username)
    return unit


def create_account(
    session: Session,
    actor: User,
    *,
    username: str,
    role: str,
    org_unit_id: int,
    password: str,
    full_name: str = "",
    device_id: int | None = None,
    phone: str | None = None,
) -> User:
    """A new account that must change its password at first sign-in."""
    unit = check_new_account(session, actor, username=username, role=role, org_unit_id=org_unit_id)
    _check_password(password, username.strip())
    user = User(
        username=username.strip(),
        full_name=full_name.strip(),
        role=role,
        org_unit_id=unit.id,
        password_hash=hash_password(password),
        must_change_password=True,
        phone=phone,
    )
    session.add(user)
    session.flush()
    _audit(session, actor, device_id, user, "create", None, snapshot(user))
    return user


def _placement(session: Session, actor: User, role: str, org_unit_id: int) -> OrgUnit:
    """The unit an account of `role` may be placed in by `actor` (in their area, right level)."""
    unit = session.get(OrgUnit, org_unit_id)
    if unit is None or not unit_in_scope(session, org_unit_id, actor):
        raise Problem(ORG_UNIT_NOT_IN_AREA, errors={"org_unit_id": [ORG_UNIT_NOT_IN_AREA.message]})
    if unit.level != ROLE_LEVEL[role]:
        mismatch = {"role": role, "expected": ROLE_LEVEL[role], "level": unit.level}
        wrong = ROLE_LEVEL_MISMATCH.message.format(**mismatch)
        raise Problem(ROLE_LEVEL_MISMATCH, errors={"org_unit_id": [wrong]}, **mismatch)
    return unit


def update_account(
    session: Session,
    actor: User,
    user: User,
    *,
    full_name: str | None = None,
    role: str | None = None,
    org_unit_id: int | None = None,
    device_id: int | None = None,
) -> User:
    """Rename an account, or move it to another unit or role within the actor's area.

    The actor must manage both the old and the new role. A change of role or unit changes what
    the account may see, so its sessions end and it signs in again with the new scope. Audited
    as `update` with the account before and after.
    """
    _check_manages(actor, user.role)
    new_role = role or user.role
    _check_manages(actor, new_role)
    new_unit = org_unit_id or user.org_unit_id
    if new_role != user.role or new_unit != user.org_unit_id:
        _placement(session, actor, new_role, new_unit)
    before = snapshot(user)
    if full_name is not None:
        user.full_name = full_name.strip()
    moved = (new_role, new_unit) != (user.role, user.org_unit_id)
    user.role, user.org_unit_id = new_role, new_unit
    session.flush()
    session.refresh(user, ["org_unit"])
    if moved:
        auth.revoke_user_sessions(session, user.id, "account_moved")
    after = snapshot(user)
    if after != before:
        _audit(session, actor, device_id, user, "update", before, after)
    return user


def reset_password(
    session: Session, actor: User, user: User, password: str, device_id: int | None = None
) -> User:
    """Set a temporary password: the user's sessions end and the next sign-in must change it."""
    _check_manages(actor, user.role)
    _check_password(password, user.username)
    before = snapshot(user)
    user.password_hash = hash_password(password)
    user.must_change_password = True
    auth.revoke_user_sessions(session, user.id, "password_reset")
    _audit(session, actor, device_id, user, "reset_password", before, snapshot(user))
    return user


def set_active(
    session: Session, actor: User, user: User, active: bool, device_id: int | None = None
) -> User:
    """Deactivating ends every session of the user at once; reactivating lets them sign in again."""
    _check_manages(actor, user.role)
    before = snapshot(user)
    user.active = active
    if not active:
        auth.revoke_user_sessions(session, user.id, "deactivated")
    _audit(
        session,
        actor,
        device_id,
        user,
        "activate" if active else "deactivate",
        before,
        snapshot(user),
    )
    return user


def devices_of(session: Session, actor: User, user: User) -> list[Device]:
    """The user's devices, most recently seen first."""
    _check_manages(actor, user.role)
    stmt = (
        select(Device)
        .where(Device.user_id == user.id)
        .order_by(Device.last_seen_at.desc(), Device.id.desc())
    )
    return list(session.scalars(stmt))


def _device_state(device: Device) -> dict[str, Any]:
    return {
        "device_id": device.id,
        "label": device.label,
        "revoked_at": device.revoked_at.isoformat() if device.revoked_at else None,
        "revoke_after_upload": device.revoke_after_upload_at is not None,
        "queued": device.queued,
    }


def revoke_user_device(
    session: Session,
    actor: User,
    user: User,
    device_pk: int,
    device_id: int | None = None,
    *,
    choice: str = "revoke",
    password: str | None = None,
) -> Device:
    """Revoke one device of the user, in one of three ways (the audit action names which).

    `revoke`: its sessions end now and it cannot sign in again; on its next contact it wipes.
    `revoke_after_upload`: it keeps working until it reports an empty outbox, then the same.
    `revoke_and_reset`: revoke now and set a temporary password, for a phone lost with the
    password (a thief who knows it could otherwise sign in from another device).
    """
    _check_manages(actor, user.role)
    if choice not in REVOKE_CHOICES:
        raise Problem(VALIDATION_ERROR, errors={"choice": [f"One of {', '.join(REVOKE_CHOICES)}."]})
    device = session.get(Device, device_pk)
    if device is None or device.user_id != user.id:
        raise Problem(DEVICE_NOT_FOUND)
    if device.revoked_at is not None:
        return device
    if choice == "revoke_and_reset":
        if not password:
            raise Problem(
                VALIDATION_ERROR, errors={"password": ["A temporary password is required."]}
            )
        _check_password(password, user.username)
    before = {**_device_state(device), "account": snapshot(user)}
    if choice == "revoke_after_upload":
        device.revoke_after_upload_at = device.revoke_after_upload_at or utcnow()
    else:
        auth.revoke_device(
            session, device, actor_id=actor.id, actor_device_id=device_id, how=choice
        )
    if choice == "revoke_and_reset":
        user.password_hash = hash_password(password or "")
        user.must_change_password = True
        auth.revoke_user_sessions(session, user.id, "password_reset")
    after = {**_device_state(device), "account": snapshot(user)}
    _audit(session, actor, device_id, user, choice, before, after)
    return device
