"""Audit rows of signing in and out: who, from which address and device, and what happened.

Actions are prefixed `auth.` so the audit reader can ask for them together. A row never holds a
password or a token (nor a token's id): only the username tried, the address, the device and
the outcome. Rows are added to the session like every audit row; the caller commits, and a
refused sign-in commits its row on its own before the refusal is answered.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.core.audit import AuditEntry, record_audit
from server.domain.accounts.model import Device, User

SIGN_IN = "auth.sign_in"
SIGN_IN_FAILED = "auth.sign_in_failed"
SIGN_OUT = "auth.sign_out"
PASSWORD_CHANGED = "auth.password_changed"
REFRESH_REUSE = "auth.refresh_reuse"
DEVICE_REVOKED = "auth.device_revoked"
ACTIONS = (SIGN_IN, SIGN_IN_FAILED, SIGN_OUT, PASSWORD_CHANGED, REFRESH_REUSE, DEVICE_REVOKED)

MAX_USERNAME = 64  # as sign-in accepts; the entity_id column holds 64 characters
MAX_ADDRESS = 64


def _where(address: str | None, device: Device | None = None) -> dict[str, Any]:
    where: dict[str, Any] = {"address": (address or "")[:MAX_ADDRESS] or None}
    if device is not None:
        where["device_id"] = device.id
        where["device_label"] = device.label
    return where


def sign_in(session: Session, user: User, device: Device, address: str | None) -> AuditEntry:
    return record_audit(
        session,
        actor_id=user.id,
        device_id=device.id,
        entity="user",
        entity_id=user.id,
        action=SIGN_IN,
        before=None,
        after={"username": user.username, **_where(address, device)},
    )


def sign_in_failed(session: Session, username: str, address: str | None, reason: str) -> AuditEntry:
    """A refused sign-in: `reason` is the problem code answered (wrong password, revoked device,
    deactivated account). The row is on the account when the username exists, else on the
    username itself (entity `username`), so attempts on unknown names are visible too."""
    tried = username.strip()[:MAX_USERNAME]
    user_id = session.scalars(select(User.id).where(User.username == tried)).first()
    return record_audit(
        session,
        actor_id=None,
        device_id=None,
        entity="user" if user_id is not None else "username",
        entity_id=user_id if user_id is not None else tried,
        action=SIGN_IN_FAILED,
        before=None,
        after={"username": tried, "reason": reason, **_where(address)},
    )


def sign_out(
    session: Session, user_id: int, device_id: int | None, address: str | None
) -> AuditEntry:
    return record_audit(
        session,
        actor_id=user_id,
        device_id=device_id,
        entity="user",
        entity_id=user_id,
        action=SIGN_OUT,
        before=None,
        after=_where(address),
    )


def password_changed(
    session: Session, user: User, device_id: int | None, address: str | None, ended: int
) -> AuditEntry:
    """One's own change; `ended` counts the other sessions it ended. Resets by staff are audited
    as `reset_password` by `staff.py`."""
    return record_audit(
        session,
        actor_id=user.id,
        device_id=device_id,
        entity="user",
        entity_id=user.id,
        action=PASSWORD_CHANGED,
        before=None,
        after={"other_sessions_ended": ended, **_where(address)},
    )


def refresh_reuse(
    session: Session, user_id: int, device_id: int | None, family_id: str, address: str | None
) -> AuditEntry:
    """A rotated refresh token came back: copied or stolen; its whole session was ended."""
    return record_audit(
        session,
        actor_id=None,
        device_id=device_id,
        entity="user",
        entity_id=user_id,
        action=REFRESH_REUSE,
        before=None,
        after={"session": family_id, "session_ended": True, **_where(address)},
    )


def device_revoked(
    session: Session,
    device: Device,
    *,
    actor_id: int | None,
    actor_device_id: int | None,
    how: str,
) -> AuditEntry:
    """A device's sessions ended and it may not sign in again; `how` says which way (the
    supervisor's choice, or `revoked_after_upload` when its empty outbox completed one)."""
    return record_audit(
        session,
        actor_id=actor_id,
        device_id=actor_device_id,
        entity="device",
        entity_id=device.id,
        action=DEVICE_REVOKED,
        before=None,
        after={"user_id": device.user_id, "label": device.label, "how": how},
    )
