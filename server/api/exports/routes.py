"""Downloads of the review queue's records: CSV (UTF-8 with BOM) and XLSX, streamed."""

from __future__ import annotations

from flask import Response, stream_with_context
from flask.views import MethodView
from flask_jwt_extended import get_jwt

from server.api.access import STAFF, me, roles_required
from server.api.blueprint import Blueprint
from server.api.review.routes import filters_from
from server.api.review.schemas import RecordFilterSchema
from server.core.audit import record_audit
from server.core.db import utcnow
from server.domain.accounts.model import User
from server.domain.accounts.staff import session_device_id
from server.domain.review import exports, workbook
from server.extensions import db
from server.transactions import write_transaction

blp = Blueprint("exports", __name__, url_prefix="/api", description="Exports of service records")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(args: dict, kind: str, chunks, mimetype: str) -> Response:
    """Audit who exported what, then stream the file.

    A workbook is built whole (into a temporary file) before anything is sent or audited, so
    one that fails answers a JSON 500 and leaves no "exported" entry behind. A CSV streams
    straight from the query; every stored value can be written to it.
    """
    filters = filters_from(args)
    user_id = me().id
    device_id = session_device_id(db.session, get_jwt().get("fam"))
    built = None
    if kind == "xlsx":
        built = chunks(db.session, db.session.get(User, user_id), filters)
        first = next(built, b"")
    with write_transaction(db.session):  # a GET that writes: take the lock up front
        record_audit(
            db.session,
            actor_id=user_id,
            device_id=device_id,
            entity="export",
            entity_id="service_records",
            action=f"export_{kind}",
            before=None,
            after={"filters": filters.as_dict()},
        )
    name = f"service-records-{utcnow():%Y%m%d-%H%M}.{kind}"

    def generate():
        if built is not None:
            yield first
            yield from built
            return
        # The view's session is closed once the response starts; stream from a fresh one.
        yield from chunks(db.session, db.session.get(User, user_id), filters)

    body = stream_with_context(generate())
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


def _file_response(mimetype: str) -> dict:
    """OpenAPI for a streamed download (the body is a file, not JSON)."""
    return {
        "200": {
            "description": "The file, streamed as it is written.",
            "content": {mimetype: {"schema": {"type": "string", "format": "binary"}}},
        }
    }


@blp.route("/exports/records.csv")
class RecordsCsv(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(RecordFilterSchema, location="query")
    @blp.doc(responses=_file_response("text/csv"))
    def get(self, args):
        """The filtered records as CSV (UTF-8 with BOM), one column per form field."""
        return _download(args, "csv", exports.csv_chunks, "text/csv; charset=utf-8")


@blp.route("/exports/records.xlsx")
class RecordsXlsx(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(RecordFilterSchema, location="query")
    @blp.doc(
        responses=_file_response(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    )
    def get(self, args):
        """The filtered records as an Excel workbook, one column per form field."""
        return _download(args, "xlsx", workbook.xlsx_chunks, XLSX)
