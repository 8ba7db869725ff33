"""The audit trail for supervisors (their township) and admins (their county), and its export."""

from __future__ import annotations

from flask.views import MethodView

from server.api.access import me, signed_in
from server.api.audit.schemas import AuditArgsSchema, AuditFilterSchema, AuditPageSchema
from server.api.blueprint import Blueprint
from server.api.exports.streaming import XLSX, audited_download, file_response
from server.domain.audit import trail
from server.domain.audit.export import audit_rows
from server.domain.review.filewriters import counted, csv_bytes, xlsx_bytes
from server.extensions import db

blp = Blueprint("audit", __name__, url_prefix="/api", description="The audit trail")


def _filters(args: dict) -> trail.AuditFilters:
    names = trail.AuditFilters.__dataclass_fields__
    values = {k: v for k, v in args.items() if k in names}
    for key, end in (("since", False), ("until", True)):
        if values.get(key) is not None:
            values[key] = trail.time_bound(values[key], end=end)
    return trail.AuditFilters(**values)


@blp.route("/audit")
class Audit(MethodView):
    @signed_in
    @blp.arguments(AuditArgsSchema, location="query")
    @blp.response(200, AuditPageSchema)
    def get(self, args):
        """Audit rows in the caller's area, newest first, filtered and paged.

        A row is shown when its actor's account or its object lies in the caller's subtree
        (supervisor: township; admin: county); rows tied to neither (a failed sign-in with an
        unknown username) only to admins. Assistants are refused (`audit_not_allowed`).
        """
        user = me()
        trail.check_reader(user)
        found = trail.audit_page(db.session, user, _filters(args), args["page"], args["per_page"])
        actors = trail.actors_by_id(db.session, found.items)
        items = [{**_entry(e, user), "actor": actors.get(e.actor_id)} for e in found.items]
        page = {"total": found.total, "page": found.page, "per_page": found.per_page}
        return {"items": items, **page}


def _entry(entry, user) -> dict:
    before, after = trail.shown_states(user, entry)
    return {
        **{name: getattr(entry, name) for name in AUDIT_FIELDS},
        "before": before,
        "after": after,
    }


AUDIT_FIELDS = (
    "id", "at", "actor_id", "device_id", "action", "entity", "entity_id", "unit_id",
    "client_time", "comment", "before", "after",
)  # fmt: skip


def _download(args: dict, kind: str):
    trail.check_reader(me())
    filters = _filters(args)

    def chunks(session, user, tally):
        rows = counted(audit_rows(session, user, filters), tally)
        return csv_bytes(rows) if kind == "csv" else xlsx_bytes(rows, "操作记录")

    return audited_download(
        kind, chunks, target="audit_entries", details={"filters": filters.as_dict()}
    )


@blp.route("/audit/export.csv")
class AuditCsv(MethodView):
    @signed_in
    @blp.arguments(AuditFilterSchema, location="query")
    @blp.doc(responses=file_response("text/csv"))
    def get(self, args):
        """The filtered audit rows as CSV (UTF-8 with BOM), times in China Standard Time."""
        return _download(args, "csv")


@blp.route("/audit/export.xlsx")
class AuditXlsx(MethodView):
    @signed_in
    @blp.arguments(AuditFilterSchema, location="query")
    @blp.doc(responses=file_response(XLSX))
    def get(self, args):
        """The filtered audit rows as an Excel workbook, times in China Standard Time."""
        return _download(args, "xlsx")
