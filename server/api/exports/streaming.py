"""A file download that is audited once the file has been produced, with its row count.

Shared by the record exports and the audit export. A workbook is built whole (into a temporary
file) before anything is sent, so one that fails answers a JSON 500 and leaves no "exported"
entry behind. A CSV streams straight from the query. Either way the audit row is written when
the last byte has been handed on, in a transaction of its own (the view's read transaction is
long over), and says how many rows left; a download the client broke off is audited too, as
incomplete, with the rows produced so far.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from flask import Response, stream_with_context
from flask_jwt_extended import get_jwt

from server.api.access import me
from server.core.audit import record_audit
from server.core.db import utcnow
from server.domain.accounts.model import User
from server.domain.accounts.staff import session_device_id
from server.domain.audit.trail import EXPORT_CSV, EXPORT_XLSX, READ_SENSITIVE
from server.domain.review.filewriters import Tally
from server.extensions import db
from server.transactions import write_transaction

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"

# chunks(session, user, tally) -> the file's bytes
Chunks = Callable[[Any, User, Tally], Iterator[bytes]]


def _audit_export(
    user_id: int, unit_id: int, device_id: int | None, kind: str, target: str, details: dict,
    tally: Tally, complete: bool,
) -> None:  # fmt: skip
    db.session.rollback()  # end the streaming read; the audit row gets its own transaction
    export = {**details, "rows": tally.rows, "complete": complete}
    rows = [(EXPORT_XLSX if kind == "xlsx" else EXPORT_CSV, export)]
    if tally.sensitive:
        rows.append((READ_SENSITIVE, {"surface": f"export.{kind}", "count": tally.sensitive}))
    with write_transaction(db.session):
        for action, after in rows:
            record_audit(
                db.session,
                actor_id=user_id,
                device_id=device_id,
                entity="export",
                entity_id=target,
                action=action,
                before=None,
                after=after,
                unit_id=unit_id,
            )


def audited_download(kind: str, chunks: Chunks, *, target: str, details: dict) -> Response:
    """Stream `chunks` as `<target>-<time>.<kind>`; audit it once produced (see the module)."""
    user = me()
    user_id, unit_id = user.id, user.org_unit_id
    device_id = session_device_id(db.session, get_jwt().get("fam"))
    tally = Tally()
    built = None
    if kind == "xlsx":
        built = chunks(db.session, user, tally)
        first = next(built, b"")
    name = f"{target.replace('_', '-')}-{utcnow():%Y%m%d-%H%M}.{kind}"

    def generate() -> Iterator[bytes]:
        complete = False
        try:
            if built is not None:
                yield first
                yield from built
            else:
                yield from chunks(db.session, db.session.get(User, user_id), tally)
            complete = True
        finally:
            _audit_export(user_id, unit_id, device_id, kind, target, details, tally, complete)

    return Response(
        stream_with_context(generate()),
        mimetype=XLSX if kind == "xlsx" else CSV,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def file_response(mimetype: str) -> dict:
    """OpenAPI for a streamed download (the body is a file, not JSON)."""
    return {
        "200": {
            "description": "The file, streamed as it is written.",
            "content": {mimetype: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
