"""A lost or revoked phone: the coded refusal it gets, and "stop after upload".

A phone reacts to the codes here, and only to them, by wiping its local data (docs/security.md,
"A lost phone"), so they are distinct from the plain 401s of an expired or ended session, after
which the phone keeps its data and asks the user to sign in again.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.core.audit import record_audit
from server.core.db import utcnow
from server.core.problems import Problem
from server.domain.accounts import auth
from server.domain.accounts.auth import account_deactivated, device_revoked
from server.domain.accounts.model import Device, TokenFamily, User

# What a supervisor may choose when revoking a device; each is the audit action it writes.
REVOKE_CHOICES = ("revoke", "revoke_after_upload", "revoke_and_reset")
REVOKED_AFTER_UPLOAD = "revoked_after_upload"


def refusal(user_active: bool, device_revoked_at: datetime | None) -> Problem | None:
    """The wiping refusal for a session's current state; None when the phone may keep its data.

    Deactivation wins: it concerns every device of the user, and reactivating lifts it (the old
    sessions stay ended, which is a plain 401).
    """
    if not user_active:
        return account_deactivated()
    if device_revoked_at is not None:
        return device_revoked()
    return None


def session_refusal(session: Session, payload: dict) -> Problem | None:
    """The wiping refusal for the token family in `payload`, from the database."""
    try:
        family_id = uuid.UUID(str(payload["fam"]))
    except (KeyError, ValueError):
        return None
    row = session.execute(
        select(User.active, Device.revoked_at)
        .select_from(TokenFamily)
        .join(User, User.id == TokenFamily.user_id)
        .outerjoin(Device, Device.id == TokenFamily.device_id)
        .where(TokenFamily.id == family_id)
    ).first()
    return refusal(row[0], row[1]) if row else None


def revokes_now(pending: bool, queued: int | None, carrying: int) -> bool:
    """Whether a contact completes a "stop after upload".

    Only when the phone says its outbox is empty (`queued` counts every change still on it,
    refused ones included, as it sends the request) and the request carries no changes: a phone
    that does not report stays pending, so nothing it holds is wiped unseen.
    """
    return pending and queued == 0 and carrying == 0


def note_contact(
    session: Session, device: Device, queued: int | None, *, carrying: int = 0, push: bool = False
) -> None:
    """Store what the phone reported; raise `device_revoked` once a pending revocation completes.

    The revocation is committed before raising, so the refusal and the state agree.
    """
    if queued is not None:
        device.queued = queued
    if push:
        device.last_push_at = utcnow()
    if not revokes_now(device.revoke_after_upload_at is not None, queued, carrying):
        return
    auth.revoke_device(session, device, how=REVOKED_AFTER_UPLOAD)
    record_audit(
        session,
        actor_id=None,
        device_id=device.id,
        entity="user",
        entity_id=str(device.user_id),
        action=REVOKED_AFTER_UPLOAD,
        before={"device_id": device.id, "revoked_at": None},
        after={"device_id": device.id, "revoked_at": device.revoked_at.isoformat()},
        comment="The device reported an empty outbox.",
        unit_id=device.user.org_unit_id,
    )
    session.commit()
    raise device_revoked()
