"""Sync endpoints: a thin HTTP layer over the engine in sync/ (push and pull)."""

from __future__ import annotations

from flask import current_app, request
from flask.views import MethodView
from flask_jwt_extended import get_jwt
from sqlalchemy import or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from server.api.access import me, signed_in
from server.api.blueprint import SyncBlueprint
from server.api.sync.schemas import PullPageSchema, PullQuerySchema, PushResultsSchema, PushSchema
from server.core.db import utcnow
from server.core.problems import (
    CURSOR_INVALID,
    DEVICE_NOT_REGISTERED,
    Problem,
)
from server.domain.accounts.auth import device_revoked
from server.domain.accounts.model import Device, User
from server.domain.accounts.revocation import note_contact
from server.domain.accounts.staff import session_device_id
from server.errors import too_large
from server.extensions import ErrorSchema, db
from server.synced import REGISTRY
from server.transactions import DatabaseBusy, write_transaction
from sync.pull import STAMP_INTERVAL, CursorError, pull, sync_stamp_due
from sync.push import push_batch

blp = SyncBlueprint("sync", __name__, url_prefix="/api", description="Offline sync")

STAMP_LOCK_WAIT_MS = 200


def _check_size() -> None:
    """Refuse an oversized batch before parsing it, naming the limits so clients can split."""
    size = request.content_length
    if size is None:
        size = len(request.get_data(cache=True))
    if size > current_app.config["SYNC_MAX_BYTES"]:
        raise too_large(f"{size} bytes")


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
        raise Problem(DEVICE_NOT_REGISTERED)
    if device.revoked_at is not None:
        raise device_revoked()
    return device


@blp.route("/sync/push")
class Push(MethodView):
    @signed_in
    @blp.arguments(PushSchema)
    @blp.response(200, PushResultsSchema)
    @blp.alt_response(
        413, schema=ErrorSchema, description="Over a cap; `errors` names both caps as numbers."
    )
    def post(self, body: dict):
        """Apply a batch of offline changes, each exactly once, and answer one result each."""
        _check_size()
        mutations = body["mutations"]
        if len(mutations) > current_app.config["SYNC_MAX_MUTATIONS"]:
            raise too_large(f"{len(mutations)} mutations")
        user = _signed_in_user()
        device = _device_of(user, body["device_id"])
        note_contact(db.session, device, body["queued"], carrying=len(mutations), push=True)
        results = push_batch(db.session, REGISTRY, user, mutations, device_id=device.id)
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
        news = _contact_news(device_id, args["queued"])
        if news == "revocation":
            # A short write of its own: the pull that follows only reads, so two pulls never
            # hold SQLite's write lock across the feed query.
            with write_transaction(db.session):
                note_contact(db.session, db.session.get(Device, device_id), args["queued"])
        elif news == "count":
            _note_outbox_count(device_id, args["queued"])
        try:
            page = pull(
                db.session,
                REGISTRY,
                _signed_in_user(),
                args["since"],
                args["limit"],
                entities=args["entities"],
            )
        except CursorError as exc:
            raise Problem(CURSOR_INVALID, errors={"since": [str(exc)]}) from exc
        if not page["has_more"]:
            _note_sync_of_session_device()
        return page


def _contact_news(device_id: int | None, queued: int | None) -> str | None:
    """What this pull's report asks to write: a pending revocation's check, a new count, or nothing.

    A phone reports its outbox on every pull page; writing an unchanged count would make every
    pull a writer, and in the evening storm SQLite's one writer then queued the pulls behind
    the pushes until they answered 503 (docs/benchmarks.md, "The evening storm").
    """
    if device_id is None or queued is None:
        return None
    device = db.session.get(Device, device_id)
    if device is None or device.revoke_after_upload_at is not None:
        return "revocation"
    return "count" if device.queued != queued else None


def _note_outbox_count(device_id: int, queued: int) -> None:
    """Store a changed outbox count like the sync stamp: a brief wait, never failing the pull.

    The count is what the supervisor sees before revoking; the push stores it too, so a count
    skipped under load is corrected by the phone's next contact.
    """
    try:
        with write_transaction(db.session, lock_wait_ms=STAMP_LOCK_WAIT_MS):
            note_contact(db.session, db.session.get(Device, device_id), queued)
    except (SQLAlchemyError, DatabaseBusy):
        current_app.logger.warning("Pull: could not note device %s's outbox", device_id)


def _note_sync_of_session_device() -> None:
    """A phone that read the feed to its end has synced, even with nothing to upload.

    The supervisor's "not synced for three days" list reads this; pushes stamp it too. The
    pull itself is a reader; the stamp is a separate short write, at most once a minute per
    device, that waits only briefly for the lock and never fails the pull it follows.
    """
    device_id = session_device_id(db.session, get_jwt().get("fam"))
    if device_id is None:
        return
    now = utcnow()
    last = db.session.scalar(select(Device.last_sync_at).where(Device.id == device_id))
    if not sync_stamp_due(last, now):
        return
    stale = or_(Device.last_sync_at.is_(None), Device.last_sync_at <= now - STAMP_INTERVAL)
    try:
        with write_transaction(db.session, lock_wait_ms=STAMP_LOCK_WAIT_MS):
            db.session.execute(
                update(Device).where(Device.id == device_id, stale).values(last_sync_at=now)
            )
    except (SQLAlchemyError, DatabaseBusy):  # another connection, or this process's queue
        current_app.logger.warning("Pull: could not stamp device %s", device_id, exc_info=True)
