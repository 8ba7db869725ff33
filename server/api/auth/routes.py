"""Sign in, refresh, sign out, and the caller's own account."""

from __future__ import annotations

import uuid

from flask import current_app, request
from flask.views import MethodView
from flask_jwt_extended import (
    create_access_token,
    create_refresh_token,
    get_jti,
    get_jwt,
    jwt_required,
)
from sqlalchemy import select

from server.api.access import me, signed_in
from server.api.auth.schemas import (
    ChangePasswordSchema,
    LoginSchema,
    MessageSchema,
    TokensSchema,
    UserSchema,
)
from server.api.blueprint import Blueprint
from server.core.clock import LOCAL_TZ
from server.core.problems import (
    CURRENT_PASSWORD_WRONG,
    PASSWORD_TOO_SHORT,
    PASSWORD_UNCHANGED,
    Problem,
)
from server.domain.accounts import auth
from server.domain.accounts.model import TokenFamily
from server.domain.accounts.passwords import hash_password, password_problem, verify_password
from server.extensions import db, limiter
from server.transactions import reading

blp = Blueprint("auth", __name__, url_prefix="/api", description="Sign-in and sessions")


def _mint(identity: str, claims: dict) -> tuple[str, str, str]:
    """A signed access and refresh token pair, and the refresh token's jti (`auth.Mint`)."""
    access = create_access_token(identity=identity, additional_claims=claims)
    refresh = create_refresh_token(identity=identity, additional_claims=claims)
    return access, refresh, get_jti(refresh)


def _login_failed(response) -> bool:
    return response.status_code == 401


def _login_username() -> str:
    body = request.get_json(silent=True)
    name = body.get("username", "") if isinstance(body, dict) else ""
    return "user:" + str(name).strip().lower()


def _failure_limit() -> str:
    return current_app.config["LOGIN_FAILURE_LIMIT"]


def _refresh_lifetime():
    return current_app.config["JWT_REFRESH_TOKEN_EXPIRES"]


def _account(user) -> dict:
    """The user as answered, read inside the write transaction: after its commit the rows are
    expired, and reloading them would take the write lock again just to read."""
    return UserSchema().dump(user)


def _phone_settings() -> dict:
    """Server-side settings the phone follows, sent with every pair of tokens."""
    return {
        "phone_retention_days": current_app.config["PHONE_RETENTION_DAYS"],
        "time_zone": LOCAL_TZ.key,
    }


@blp.route("/auth/login")
class Login(MethodView):
    decorators = [
        limiter.limit(_failure_limit, key_func=_login_username, deduct_when=_login_failed),
        limiter.limit(_failure_limit, deduct_when=_login_failed),
    ]

    @blp.arguments(LoginSchema)
    @blp.response(200, TokensSchema)
    def post(self, body):
        """Sign in from a device; answers an access token (short) and a refresh token (long).

        The user is read in a reader transaction and the password checked outside any; only
        then does the write (device, session, refresh token) take the database's write lock.
        """
        with reading():
            user = auth.authenticate(db.session, body["username"].strip(), body["password"])
        device = auth.register_device(
            db.session,
            user,
            body["device_id"],
            body["device_label"],
            request.headers.get("User-Agent"),
        )
        pair = auth.start_session(db.session, user, device, _refresh_lifetime(), _mint)
        account = _account(user)
        db.session.commit()
        return {
            "access_token": pair.access_token,
            "refresh_token": pair.refresh_token,
            "user": account,
            "settings": _phone_settings(),
        }


@blp.route("/auth/refresh")
class Refresh(MethodView):
    @jwt_required(refresh=True)
    @blp.response(200, TokensSchema)
    def post(self):
        """Exchange the refresh token (in the Authorization header) for a new pair.

        The old refresh token stops working; presenting it again ends the whole session.
        """
        pair = auth.rotate(db.session, get_jwt(), _refresh_lifetime(), _mint)
        account = _account(me())
        db.session.commit()
        return {
            "access_token": pair.access_token,
            "refresh_token": pair.refresh_token,
            "user": account,
            "settings": _phone_settings(),
        }


@blp.route("/auth/logout")
class Logout(MethodView):
    @jwt_required(verify_type=False)
    @blp.response(200, MessageSchema)
    def post(self):
        """End this session: its access and refresh tokens stop working at once."""
        family = db.session.get(TokenFamily, uuid.UUID(get_jwt()["fam"]))
        if family is not None:
            auth.revoke_family(db.session, family, "logout")
            db.session.commit()
        return {"message": "Signed out."}


@blp.route("/me")
class Me(MethodView):
    @signed_in
    @blp.response(200, UserSchema)
    def get(self):
        """The signed-in user, with their org unit."""
        return me()


@blp.route("/me/password")
class MyPassword(MethodView):
    @signed_in
    @blp.arguments(ChangePasswordSchema)
    @blp.response(200, MessageSchema)
    def post(self, body):
        """Change one's own password; other sessions of this user are ended.

        Open while the account must change its password (the only thing it may do besides
        reading /api/me); a successful change lifts that restriction for this session at once.
        """
        user = me()
        if not verify_password(user.password_hash, body["current_password"]):
            raise Problem(CURRENT_PASSWORD_WRONG, errors={"current_password": ["Wrong password."]})
        problem = password_problem(body["new_password"])
        if problem:
            raise Problem(PASSWORD_TOO_SHORT, problem, {"new_password": [problem]})
        if body["new_password"] == body["current_password"]:
            raise Problem(PASSWORD_UNCHANGED, errors={"new_password": [PASSWORD_UNCHANGED.message]})
        user.password_hash = hash_password(body["new_password"])
        user.must_change_password = False
        current = get_jwt()["fam"]
        families = db.session.scalars(
            select(TokenFamily).where(
                TokenFamily.user_id == user.id, TokenFamily.revoked_at.is_(None)
            )
        )
        for family in families:
            if str(family.id) != current:
                auth.revoke_family(db.session, family, "password_changed")
        db.session.commit()
        return {"message": "Password changed."}
