"""Accounts within the caller's scope: list, create, reset password, deactivate, devices."""

from __future__ import annotations

import base64

from flask.views import MethodView
from flask_jwt_extended import get_jwt
from sqlalchemy import select

from server.api.access import STAFF, me, roles_required
from server.api.auth.schemas import UserSchema
from server.api.blueprint import Blueprint
from server.api.uploads import ImportFileSchema, sheet_of
from server.api.users.schemas import (
    DeviceSchema,
    NewUserSchema,
    PasswordResetSchema,
    RevokeSchema,
    StaffImportReportSchema,
    UserChangeSchema,
)
from server.core.db import utcnow
from server.core.problems import USER_NOT_FOUND
from server.core.scope import get_in_scope, scoped
from server.domain.accounts import staff, staffimport
from server.domain.accounts.model import User
from server.extensions import db

blp = Blueprint("users", __name__, url_prefix="/api", description="User accounts")


def _device_id() -> int | None:
    return staff.session_device_id(db.session, get_jwt().get("fam"))


@blp.route("/users")
class Users(MethodView):
    @roles_required(*STAFF)
    @blp.response(200, UserSchema(many=True))
    def get(self):
        """Accounts in the caller's township (supervisor) or county (admin)."""
        return db.session.scalars(scoped(select(User), User, me()).order_by(User.username)).all()

    @roles_required(*STAFF)
    @blp.arguments(NewUserSchema)
    @blp.response(201, UserSchema)
    def post(self, body):
        """Create an assistant (supervisor, admin) or a supervisor (admin) in the caller's area.

        The account starts with the given temporary password and must change it at first sign-in.
        """
        user = staff.create_account(db.session, me(), device_id=_device_id(), **body)
        db.session.commit()
        return user


@blp.route("/users/<int:user_id>")
class UserDetail(MethodView):
    @roles_required(*STAFF)
    @blp.response(200, UserSchema)
    def get(self, user_id: int):
        """One account in scope."""
        return get_in_scope(db.session, User, user_id, me(), USER_NOT_FOUND)

    @roles_required(*STAFF)
    @blp.arguments(UserChangeSchema)
    @blp.response(200, UserSchema)
    def patch(self, body, user_id: int):
        """Rename, or move to another role or unit within the caller's area (audited).

        A change of role or unit ends the account's sessions: it signs in again with its new
        scope.
        """
        user = staff.managed_user(db.session, me(), user_id)
        staff.update_account(db.session, me(), user, device_id=_device_id(), **body)
        db.session.commit()
        return user


@blp.route("/users/<int:user_id>/password")
class UserPassword(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(PasswordResetSchema)
    @blp.response(200, UserSchema)
    def post(self, body, user_id: int):
        """Reset the password: the user's sessions end and they must change it at next sign-in."""
        user = staff.managed_user(db.session, me(), user_id)
        staff.reset_password(db.session, me(), user, body["password"], _device_id())
        db.session.commit()
        return user


@blp.route("/users/<int:user_id>/deactivate")
class UserDeactivate(MethodView):
    @roles_required(*STAFF)
    @blp.response(200, UserSchema)
    def post(self, user_id: int):
        """Deactivate the account; every token it holds stops working at once."""
        user = staff.managed_user(db.session, me(), user_id)
        staff.set_active(db.session, me(), user, False, _device_id())
        db.session.commit()
        return user


@blp.route("/users/<int:user_id>/activate")
class UserActivate(MethodView):
    @roles_required(*STAFF)
    @blp.response(200, UserSchema)
    def post(self, user_id: int):
        """Let a deactivated account sign in again."""
        user = staff.managed_user(db.session, me(), user_id)
        staff.set_active(db.session, me(), user, True, _device_id())
        db.session.commit()
        return user


@blp.route("/users/<int:user_id>/devices")
class UserDevices(MethodView):
    @roles_required(*STAFF)
    @blp.response(200, DeviceSchema(many=True))
    def get(self, user_id: int):
        """The user's phones and browsers, most recently seen first."""
        user = staff.managed_user(db.session, me(), user_id)
        return staff.devices_of(db.session, me(), user)


@blp.route("/users/<int:user_id>/devices/<int:device_id>/revoke")
class UserDeviceRevoke(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(RevokeSchema)
    @blp.response(200, DeviceSchema)
    def post(self, body, user_id: int, device_id: int):
        """Revoke a lost or stolen device; on its next contact it is refused and wipes itself.

        `choice`: `revoke` (now), `revoke_after_upload` (once it reports an empty outbox) or
        `revoke_and_reset` (now, and `password` becomes the user's temporary password).
        """
        user = staff.managed_user(db.session, me(), user_id)
        device = staff.revoke_user_device(db.session, me(), user, device_id, _device_id(), **body)
        db.session.commit()
        return device


@blp.route("/users/import/preview")
class UserImportPreview(MethodView):
    @roles_required("admin")
    @blp.arguments(ImportFileSchema)
    @blp.response(200, StaffImportReportSchema)
    def post(self, body):
        """Check a staff file (username, name, role, org_unit_code, phone); nothing is written."""
        plan = staffimport.plan_staff_import(db.session, me(), sheet_of(body, staffimport.ALIASES))
        db.session.rollback()
        return {"applied": False, **plan.report()}


@blp.route("/users/import")
class UserImport(MethodView):
    @roles_required("admin")
    @blp.arguments(ImportFileSchema)
    @blp.response(200, StaffImportReportSchema)
    def post(self, body):
        """Create every account of the file, or none (`import_has_errors`).

        Each gets a temporary password made by the server and shown this once: in `created`
        and as `sheet`, an XLSX (base64) for the township to print and hand out.
        """
        actor = me()
        plan = staffimport.plan_staff_import(db.session, actor, sheet_of(body, staffimport.ALIASES))
        created = staffimport.apply_staff_import(
            db.session, actor, plan, source=body["filename"] or "upload", device_id=_device_id()
        )
        db.session.commit()
        sheet = base64.b64encode(staffimport.password_sheet(created)).decode()
        name = f"temporary-passwords-{utcnow():%Y%m%d-%H%M}.xlsx"
        return {
            "applied": True,
            **plan.report(),
            "created": created,
            "sheet": {"filename": name, "content": sheet},
        }
