"""Sync endpoints: a thin HTTP layer over the engine in sync/ (push and pull)."""

from __future__ import annotations

from flask import current_app, request
from flask.views import MethodView
from flask_jwt_extended import get_jwt
from sqlalchemy import select, update

from server.api.access import me, signed_in
from server.api.blueprint import Blueprint
from server.api.sync.schemas import PullPageSchema, PullQuerySchema, PushResultsSchema, PushSchema
from server.core.db import utcnow
from server.core.problems import ApiError
from server.domain.accounts.auth import device_revoked
from server.domain.accounts.model import Device, User
from server.domain.accounts.revocation import note_contact
from server.domain.accounts.staff import session_device_id
from server.domain.records.catalogue import batch_form_validator
from server.extensions import db
from sync.pull import CursorError, pull
from sync.push import push_batch

blp = Blueprint("sync", __name__, url_prefix="/api", description="Offline sync")


def _check_size() -> None:
    """Refuse an oversized batch before parsing it, naming the limits so clients can split."""
    max_bytes = current_app.config["SYNC_MAX_BYTES"]
    max_count = current_app.config["SYNC_MAX_MUTATIONS"]
    size = request.content_length
    if size is None:
        size = len(request.get_data(cache=True))
    if size > max_bytes:
        raise ApiError(
            413,
            message=f"A push may carry at most {max_count} mutations and {max_bytes} bytes; "
            f"this one has {size} bytes. Send smaller batches.",
        )


def _signed_in_user() -> User:
    """The signed-in User row itself, not the request-local proxy `me()` returns.

    The engine reads `user.id` and friends thousands of times per batch; through the proxy each
    read costs a context lookup (a tenth of a push's time on the benchmark).
    """
    return db.session.get(User, me().id)  # type: ignore[return-value]


def _device_of(user: User, client_id: str) -> Device:
    device = db.session.scalars(
        select(Device).where(Device.user_id == user.id, Device.client_id == client_id)
    ).first()
    if device is None:
        raise ApiError(403, message="This device is not registered to you; sign in on it first.")
    if device.revoked_at is not None:
        raise device_revoked()
    return device


@blp.route("/sync/push")
class Push(MethodView):
    @signed_in
    @blp.arguments(PushSchema)
    @blp.response(200, PushResultsSchema)
    def post(self, body: dict):
        """Apply a batch of offline changes, each exactly once, and answer one result each."""
        _check_size()
        max_count = current_app.config["SYNC_MAX_MUTATIONS"]
        mutations = body["mutations"]
        if len(mutations) > max_count:
            raise ApiError(
                413,
                message=f"A push may carry at most {max_count} mutations and "
                f"{current_app.config['SYNC_MAX_BYTES']} bytes; this one has "
                f"{len(mutations)} mutations. Send smaller batches.",
            )
        user = _signed_in_user()
        device = _device_of(user, body["device_id"])
        note_contact(db.session, device, body["queued"], carrying=len(mutations), push=True)
        results = push_batch(
            db.session,
            user,
            mutations,
            device_id=device.id,
            form_validator=batch_form_validator(),
        )
        device.last_sync_at = utcnow()
        db.session.commit()
        return {"results": results}


@blp.route("/sync/pull")
class Pull(MethodView):
    @signed_in
    @blp.arguments(PullQuerySchema, location="query")
    @blp.response(200, PullPageSchema)
    def get(self, args: dict):
        """Changes in your scope since `since`, oldest first; follow `cursor` while has_more."""
        device_id = session_device_id(db.session, get_jwt().get("fam"))
        device = db.session.get(Device, device_id) if device_id is not None else None
        if device is not None:
            note_contact(db.session, device, args["queued"])
            # A short write of its own: the pull that follows only reads, so two pulls never
            # hold SQLite's write lock across the feed query.
            db.session.commit()
        try:
            page = pull(db.session, _signed_in_user(), args["since"], args["limit"])
        except CursorError as exc:
            raise ApiError(422, errors={"since": [str(exc)]}) from exc
        if not page["has_more"] and device_id is not None:
            _note_sync_of(device_id)
        db.session.commit()
        return page


def _note_sync_of(device_id: int) -> None:
    """A phone that read the feed to its end has synced, even with nothing to upload.

    The supervisor's "not synced for three days" list reads this; pushes stamp it too.
    """
    stamp = update(Device).where(Device.id == device_id).values(last_sync_at=utcnow())
    db.session.execute(stamp)
