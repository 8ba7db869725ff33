"""People who sign in, the devices they use, and the token families issued to them."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.core.db import Base, Timestamped, new_uuid, utcnow
from server.core.org import OrgUnit

ROLES = ("assistant", "supervisor", "admin")
# A username: what the sign-in form and the staff import accept.
USERNAME_PATTERN = r"^[A-Za-z0-9_.-]+$"
USERNAME_LENGTH = (3, 64)
ROLE_LEVEL = {"assistant": "village", "supervisor": "township", "admin": "county"}
# Roles that work in the township or county workspace rather than in a village.
STAFF_ROLES = ("supervisor", "admin")
# Which roles each staff role may create and manage.
MANAGES: dict[str, tuple[str, ...]] = {
    "supervisor": ("assistant",),
    "admin": ("assistant", "supervisor"),
}


class User(Timestamped, Base):
    __tablename__ = "user_account"
    __scope_column__ = "org_unit_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(100), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    phone: Mapped[str | None] = mapped_column(String(32))

    org_unit: Mapped[OrgUnit] = relationship()


class Device(Base):
    """A phone or browser; `client_id` is what the client sends, unique per user."""

    __tablename__ = "device"
    __table_args__ = (UniqueConstraint("user_id", "client_id", name="uq_device_user_client"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    client_id: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(120), default="")
    # The browser's User-Agent at its latest sign-in: the model and browser shown to people.
    user_agent: Mapped[str | None] = mapped_column(String(400))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sync_at: Mapped[datetime | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()
    last_push_at: Mapped[datetime | None] = mapped_column()
    # What the phone said was waiting in its outbox at its last push or pull (None: never said).
    queued: Mapped[int | None] = mapped_column()
    # "Stop after upload": set by the supervisor; the device is revoked once it reports queued 0.
    revoke_after_upload_at: Mapped[datetime | None] = mapped_column()

    user: Mapped[User] = relationship()


class TokenFamily(Base):
    """One sign-in: every access and refresh token it spawns carries its id (`fam` claim).

    Revoking the family ends the session on the spot; rotation keeps the family.
    """

    __tablename__ = "token_family"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("device.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column()
    revoked_reason: Mapped[str | None] = mapped_column(String(32))

    user: Mapped[User] = relationship()
    device: Mapped[Device | None] = relationship()


class RefreshToken(Base):
    """Each refresh token issued; `rotated_at` set once it has been exchanged for a new pair."""

    __tablename__ = "refresh_token"

    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("token_family.id"), index=True)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    rotated_at: Mapped[datetime | None] = mapped_column()
