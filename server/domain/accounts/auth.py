"""Sign-in sessions: token families, refresh rotation with reuse detection, revocation.

Signing the tokens is the web layer's (it holds the JWT keys): it hands a `Mint` in, so this
module stays Flask-free.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from server.core.db import utcnow
from server.core.problems import (
    ACCOUNT_DEACTIVATED,
    DEVICE_REVOKED,
    INVALID_CREDENTIALS,
    INVALID_TOKEN,
    REFRESH_TOKEN_REUSED,
    Problem,
)
from server.domain.accounts import auth_audit
from server.domain.accounts.model import Device, RefreshToken, TokenFamily, User
from server.domain.accounts.passwords import verify_password

# (identity, claims) -> (access token, refresh token, the refresh token's jti)
Mint = Callable[[str, dict[str, Any]], tuple[str, str, str]]


def device_revoked() -> Problem:
    """Refusals after which the phone wipes its local data (revocation.py says when)."""
    return Problem(DEVICE_REVOKED)


def account_deactivated() -> Problem:
    return Problem(ACCOUNT_DEACTIVATED)


@dataclass
class TokenPair:
    access_token: str
    refresh_token: str


def authenticate(session: Session, username: str, password: str) -> User:
    """The user for these credentials; one message for unknown users and wrong passwords.

    The read transaction ends before the hash is checked (tens of milliseconds of argon2), so
    sign-in never holds a snapshot, or a lock, while it computes.
    """
    user = session.scalars(select(User).where(User.username == username)).first()
    password_hash, active = (user.password_hash, user.active) if user else (None, False)
    session.commit()
    ok = verify_password(password_hash, password)
    if not ok or user is None:
        raise Problem(INVALID_CREDENTIALS)
    if not active:
        # The right password of a deactivated account: say so, so its phone wipes itself.
        raise account_deactivated()
    return user


def register_device(
    session: Session, user: User, client_id: str, label: str, user_agent: str | None = None
) -> Device:
    device = session.scalars(
        select(Device).where(Device.user_id == user.id, Device.client_id == client_id)
    ).first()
    if device is None:
        device = Device(user_id=user.id, client_id=client_id, label=label)
        session.add(device)
    elif device.revoked_at is not None:
        raise device_revoked()
    device.last_seen_at = utcnow()
    if label:
        device.label = label
    if user_agent:
        device.user_agent = user_agent[:400]  # shown as phone model and browser
    session.flush()
    return device


def _issue_pair(
    session: Session, family: TokenFamily, refresh_lifetime: timedelta, mint: Mint
) -> TokenPair:
    user = family.user
    claims = {"fam": str(family.id), "role": user.role}
    access, refresh, jti = mint(str(user.id), claims)
    session.add(RefreshToken(jti=jti, family_id=family.id, expires_at=utcnow() + refresh_lifetime))
    return TokenPair(access, refresh)


def start_session(
    session: Session, user: User, device: Device, refresh_lifetime: timedelta, mint: Mint
) -> TokenPair:
    family = TokenFamily(user=user, device=device)
    session.add(family)
    session.flush()
    return _issue_pair(session, family, refresh_lifetime, mint)


def rotate(
    session: Session,
    payload: dict,
    refresh_lifetime: timedelta,
    mint: Mint,
    address: str | None = None,
) -> TokenPair:
    """Exchange a refresh token for a new pair; a second use of the same token is theft.

    The row is claimed with a conditional UPDATE so two racing refreshes cannot both win. A
    reuse ends the session and is audited (committed before the refusal is raised).
    """
    now = utcnow()
    claimed = session.execute(
        update(RefreshToken)
        .where(RefreshToken.jti == payload["jti"], RefreshToken.rotated_at.is_(None))
        .values(rotated_at=now)
    ).rowcount
    family = session.get(TokenFamily, uuid.UUID(payload["fam"]))
    if family is None:
        raise Problem(INVALID_TOKEN, reason="this session is unknown; sign in again.")
    if not claimed:
        revoke_family(session, family, "refresh_reuse")
        auth_audit.refresh_reuse(session, family.user_id, family.device_id, str(family.id), address)
        session.commit()
        raise Problem(REFRESH_TOKEN_REUSED)
    if family.device is not None:
        family.device.last_seen_at = now
    return _issue_pair(session, family, refresh_lifetime, mint)


def revoke_family(session: Session, family: TokenFamily, reason: str) -> None:
    if family.revoked_at is None:
        family.revoked_at = utcnow()
        family.revoked_reason = reason


def revoke_user_sessions(session: Session, user_id: int, reason: str) -> None:
    session.execute(
        update(TokenFamily)
        .where(TokenFamily.user_id == user_id, TokenFamily.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_reason=reason)
    )


def revoke_device(
    session: Session,
    device: Device,
    *,
    actor_id: int | None = None,
    actor_device_id: int | None = None,
    how: str = "revoke",
) -> None:
    """Revoking a device ends every session it holds, at once (audited as auth.device_revoked)."""
    if device.revoked_at is None:
        auth_audit.device_revoked(
            session, device, actor_id=actor_id, actor_device_id=actor_device_id, how=how
        )
    device.revoked_at = device.revoked_at or utcnow()
    session.execute(
        update(TokenFamily)
        .where(TokenFamily.device_id == device.id, TokenFamily.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_reason="device_revoked")
    )


def is_revoked(session: Session, payload: dict) -> bool:
    """Checked from the database on every authenticated request."""
    try:
        family_id = uuid.UUID(payload["fam"])
    except (KeyError, ValueError):
        return True
    row = session.execute(
        select(TokenFamily.revoked_at, User.active, Device.revoked_at)
        .join(User, User.id == TokenFamily.user_id)
        .outerjoin(Device, Device.id == TokenFamily.device_id)
        .where(TokenFamily.id == family_id)
    ).first()
    if row is None:
        return True
    family_revoked, user_active, device_revoked = row
    return family_revoked is not None or not user_active or device_revoked is not None
