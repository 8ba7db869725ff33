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
    INVALID_CREDENTIALS,
    PASSWORD_UNCHANGED,
    Problem,
)
from server.domain.accounts import auth, auth_audit
from server.domain.accounts.model import TokenFamily
from server.domain.accounts.passwords import check_new_password, hash_password, verify_password
from server.domain.accounts.throttle import SignInThrottle, ThrottlePolicy
from server.domain.orgs import settings as unit_settings
from server.extensions import db, limiter
from server.transactions import reading

blp = Blueprint("auth", __name__, url_prefix="/api", description="Sign-in and sessions")


def _mint(identity: str, claims: dict) -> tuple[str, str, str]:
    """A signed access and refresh token pair, and the refresh token's jti (`auth.Mint`)."""
    access = create_access_token(identity=identity, additional_claims=claims)
    refresh = create_refresh_token(identity=identity, additional_claims=claims)
    return access, refresh, get_jti(refresh)


def _throttle() -> SignInThrottle:
    """The (username, address) throttle, in the rate limiter's storage (shared by workers when
    RATELIMIT_STORAGE_URI is redis://)."""
    config = current_app.config
    policy = ThrottlePolicy(
        free_failures=config["LOGIN_FREE_FAILURES"],
        first_delay=config["LOGIN_FIRST_DELAY_SECONDS"],
        max_delay=config["LOGIN_MAX_DELAY_SECONDS"],
        memory=config["LOGIN_FAILURE_MEMORY_SECONDS"],
        address_limit=config["LOGIN_FAILURE_LIMIT"],
    )
    return SignInThrottle(limiter.storage, policy, prefix=f"{config['RATELIMIT_KEY_PREFIX']}/")


def _address() -> str:
    """The client's address: the peer, or what TRUSTED_PROXIES allow (server/headers.py)."""
    return request.remote_addr or ""


def _refused_sign_in(username: str, problem: Problem) -> None:
    """Audit a refused sign-in in a transaction of its own: the refusal then rolls back nothing
    it needs, and the row stays although the request fails."""
    db.session.rollback()
    auth_audit.sign_in_failed(db.session, username, _address(), problem.code)
    db.session.commit()


def _session_device_id() -> int | None:
    family = db.session.get(TokenFamily, uuid.UUID(get_jwt()["fam"]))
    return family.device_id if family is not None else None


def _refresh_lifetime():
    return current_app.config["JWT_REFRESH_TOKEN_EXPIRES"]


def _account(user) -> dict:
    """The user as answered, read inside the write transaction: after its commit the rows are
    expired, and reloading them would take the write lock again just to read."""
    return UserSchema().dump(user)


def _phone_settings(user) -> dict:
    """Server-side settings the phone follows, sent with every pair of tokens (so a phone
    offline keeps the last ones): read before the commit, like `_account`."""
    return {
        "phone_retention_days": current_app.config["PHONE_RETENTION_DAYS"],
        "time_zone": LOCAL_TZ.key,
        "nip_version": unit_settings.nip_version_of(db.session, user.org_unit),
    }


@blp.route("/auth/login")
class Login(MethodView):
    @blp.arguments(LoginSchema)
    @blp.response(200, TokensSchema)
    def post(self, body):
        """Sign in from a device; answers an access token (short) and a refresh token (long).

        Wrong passwords for one username from one address make that pair wait, longer after
        each (429 `sign_in_delayed` with Retry-After; the password is not even checked then);
        many from one address, whatever the usernames, are a 429 `rate_limited`. The account
        itself is never locked: its owner elsewhere signs in as usual.

        The user is read in a reader transaction and the password checked outside any; only
        then does the write (device, session, refresh token) take the database's write lock.
        """
        username, address = body["username"].strip(), _address()
        throttle = _throttle()
        refused = throttle.refusal(username, address)
        if refused is not None:
            raise refused
        try:
            with reading():
                user = auth.authenticate(db.session, username, body["password"])
            device = auth.register_device(
                db.session,
                user,
                body["device_id"],
                body["device_label"],
                request.headers.get("User-Agent"),
            )
        except Problem as problem:
            if problem.type is INVALID_CREDENTIALS:
                throttle.failed(username, address)
            _refused_sign_in(username, problem)
            raise
        throttle.succeeded(username, address)
        pair = auth.start_session(db.session, user, device, _refresh_lifetime(), _mint)
        auth_audit.sign_in(db.session, user, device, address)
        account, phone = _account(user), _phone_settings(user)
        db.session.commit()
        return {
            "access_token": pair.access_token,
            "refresh_token": pair.refresh_token,
            "user": account,
            "settings": phone,
        }


@blp.route("/auth/refresh")
class Refresh(MethodView):
    @jwt_required(refresh=True)
    @blp.response(200, TokensSchema)
    def post(self):
        """Exchange the refresh token (in the Authorization header) for a new pair.

        The old refresh token stops working; presenting it again ends the whole session.
        """
        pair = auth.rotate(db.session, get_jwt(), _refresh_lifetime(), _mint, _address())
        account, phone = _account(me()), _phone_settings(me())
        db.session.commit()
        return {
            "access_token": pair.access_token,
            "refresh_token": pair.refresh_token,
            "user": account,
            "settings": phone,
        }


@blp.route("/auth/logout")
class Logout(MethodView):
    @jwt_required(verify_type=False)
    @blp.response(200, MessageSchema)
    def post(self):
        """End this session: its access and refresh tokens stop working at once."""
        family = db.session.get(TokenFamily, uuid.UUID(get_jwt()["fam"]))
        if family is not None:
            if family.revoked_at is None:
                auth_audit.sign_out(db.session, family.user_id, family.device_id, _address())
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
        check_new_password(body["new_password"], user.username, "new_password")
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
        ended = 0
        for family in families:
            if str(family.id) != current:
                auth.revoke_family(db.session, family, "password_changed")
                ended += 1
        auth_audit.password_changed(db.session, user, _session_device_id(), _address(), ended)
        db.session.commit()
        return {"message": "Password changed."}
