"""Downloads of the review queue's records: CSV (UTF-8 with BOM) and XLSX, streamed."""

from __future__ import annotations

from flask.views import MethodView

from server.api.access import STAFF, roles_required
from server.api.blueprint import Blueprint
from server.api.exports.streaming import XLSX, audited_download, file_response
from server.api.review.routes import filters_from
from server.api.review.schemas import RecordFilterSchema
from server.domain.review import exports, workbook

blp = Blueprint("exports", __name__, url_prefix="/api", description="Exports of service records")


def _download(args: dict, kind: str, chunks) -> object:
    """The filtered records as a file, audited with its row count once produced."""
    filters = filters_from(args)
    return audited_download(
        kind,
        lambda session, user, tally: chunks(session, user, filters, tally),
        target="service_records",
        details={"filters": filters.as_dict()},
    )


@blp.route("/exports/records.csv")
class RecordsCsv(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(RecordFilterSchema, location="query")
    @blp.doc(responses=file_response("text/csv"))
    def get(self, args):
        """The filtered records as CSV (UTF-8 with BOM), one column per form field."""
        return _download(args, "csv", exports.csv_chunks)


@blp.route("/exports/records.xlsx")
class RecordsXlsx(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(RecordFilterSchema, location="query")
    @blp.doc(responses=file_response(XLSX))
    def get(self, args):
        """The filtered records as an Excel workbook, one column per form field."""
        return _download(args, "xlsx", workbook.xlsx_chunks)
