"""Sign-in sessions: token families, refresh rotation with reuse detection, revocation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from flask_jwt_extended import create_access_token, create_refresh_token, get_jti
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from server.core.db import utcnow
from server.core.problems import ApiError
from server.domain.accounts.model import Device, RefreshToken, TokenFamily, User
from server.domain.accounts.passwords import verify_password

BAD_CREDENTIALS = "Wrong username or password."
# Refusals after which the phone wipes its local data (revocation.py says when they are given).
DEVICE_REVOKED = "device_revoked"
ACCOUNT_DEACTIVATED = "account_deactivated"


def device_revoked() -> ApiError:
    return ApiError(403, DEVICE_REVOKED, "This device has been revoked; ask your supervisor.")


def account_deactivated() -> ApiError:
    return ApiError(403, ACCOUNT_DEACTIVATED, "This account has been deactivated.")


@dataclass
class TokenPair:
    access_token: str
    refresh_token: str


def authenticate(session: Session, username: str, password: str) -> User:
    """The user for these credentials; one message for unknown users and wrong passwords."""
    user = session.scalars(select(User).where(User.username == username)).first()
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None:
        raise ApiError(401, "invalid_credentials", BAD_CREDENTIALS)
    if not user.active:
        # The right password of a deactivated account: say so, so its phone wipes itself.
        raise account_deactivated()
    return user


def register_device(session: Session, user: User, client_id: str, label: str) -> Device:
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
    session.flush()
    return device


def _issue_pair(session: Session, family: TokenFamily, refresh_lifetime: timedelta) -> TokenPair:
    user = family.user
    claims = {"fam": str(family.id), "role": user.role}
    identity = str(user.id)
    access = create_access_token(identity=identity, additional_claims=claims)
    refresh = create_refresh_token(identity=identity, additional_claims=claims)
    session.add(
        RefreshToken(
            jti=get_jti(refresh), family_id=family.id, expires_at=utcnow() + refresh_lifetime
        )
    )
    return TokenPair(access, refresh)


def start_session(
    session: Session, user: User, device: Device, refresh_lifetime: timedelta
) -> TokenPair:
    family = TokenFamily(user=user, device=device)
    session.add(family)
    session.flush()
    return _issue_pair(session, family, refresh_lifetime)


def rotate(session: Session, payload: dict, refresh_lifetime: timedelta) -> TokenPair:
    """Exchange a refresh token for a new pair; a second use of the same token is theft.

    The row is claimed with a conditional UPDATE so two racing refreshes cannot both win.
    """
    now = utcnow()
    claimed = session.execute(
        update(RefreshToken)
        .where(RefreshToken.jti == payload["jti"], RefreshToken.rotated_at.is_(None))
        .values(rotated_at=now)
    ).rowcount
    family = session.get(TokenFamily, uuid.UUID(payload["fam"]))
    if family is None:
        raise ApiError(401, "invalid_token", "This session is unknown; sign in again.")
    if not claimed:
        revoke_family(session, family, "refresh_reuse")
        session.commit()
        raise ApiError(
            401,
            "refresh_token_reused",
            "This refresh token was already used; the session has been ended. Sign in again.",
        )
    if family.device is not None:
        family.device.last_seen_at = now
    return _issue_pair(session, family, refresh_lifetime)


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


def revoke_device(session: Session, device: Device) -> None:
    """Revoking a device ends every session it holds, at once."""
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
