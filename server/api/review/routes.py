"""The review queue: list, open, approve, return for correction, reject, approve many."""

from __future__ import annotations

import uuid

from flask.views import MethodView
from flask_jwt_extended import get_jwt

from server.api.access import STAFF, me, roles_required
from server.api.audit.reads import audit_detail_read, audit_sensitive_list
from server.api.blueprint import Blueprint
from server.api.review.schemas import (
    ApproveSchema,
    BulkApproveSchema,
    BulkResultsSchema,
    CountsSchema,
    NeighboursSchema,
    QueueArgsSchema,
    QueuePageSchema,
    RecordDetailSchema,
    RecordFilterSchema,
    RecordSummarySchema,
    RejectSchema,
    ReturnSchema,
)
from server.domain.accounts.staff import session_device_id
from server.domain.audit import trail
from server.domain.registry.idnumber import mask, sees_full_numbers
from server.domain.registry.privacy import is_sensitive_form, sees_sensitive, sensitive_facts
from server.domain.review import counts, neighbours, queue
from server.extensions import db

blp = Blueprint("review", __name__, url_prefix="/api", description="Review of service records")


def _device_id() -> int | None:
    return session_device_id(db.session, get_jwt().get("fam"))


def filters_from(args: dict) -> queue.RecordFilters:
    """The filter part of the query string (paging arguments left out)."""
    names = queue.RecordFilters.__dataclass_fields__
    return queue.RecordFilters(**{k: v for k, v in args.items() if k in names})


@blp.route("/review/records")
class Queue(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(QueueArgsSchema, location="query")
    @blp.response(200, QueuePageSchema)
    def get(self, args):
        """Service records in the caller's area, newest received first, filtered and paged.

        A page showing sensitive follow-ups is audited once (`read.sensitive`, with the count).
        """
        user = me()
        records, total = queue.record_page(
            db.session, user, filters_from(args), args["page"], args["per_page"]
        )
        items = queue.queue_items(db.session, user, records)
        shown = [r for r in records if is_sensitive_form(r.form_code)]
        shown = [r for r in shown if sees_sensitive(user, r.village_id)]
        audit_sensitive_list(
            surface="review.queue",
            entity="service_record",
            unit_id=user.org_unit_id,
            count=len(shown),
        )
        return {
            "items": items,
            "total": total,
            "page": args["page"],
            "per_page": args["per_page"],
        }


@blp.route("/review/counts")
class Counts(MethodView):
    @roles_required(*STAFF)
    @blp.response(200, CountsSchema)
    def get(self):
        """What waits in the caller's area (the menu's counts): pending, conflicts, duplicates."""
        return counts.waiting(db.session, me())


@blp.route("/review/records/<uuid:record_id>")
class RecordDetail(MethodView):
    @roles_required(*STAFF)
    @blp.response(200, RecordDetailSchema)
    def get(self, record_id: uuid.UUID):
        """One record with every field under its label, the resident, and its history.

        Audited: `read.id_number` when the resident's full number is shown, else `read.record`;
        and `read.sensitive` when it shows a sensitive follow-up or tag (docs/security.md).
        """
        user = me()
        detail = queue.record_detail(db.session, user, record_id)
        resident, record = detail["resident"], detail["record"]
        number = resident.id_number if resident is not None else None
        full = bool(number) and sees_full_numbers(user.role)
        facts = 0
        if sees_sensitive(user, record.village_id):
            facts = sensitive_facts(resident.tags if resident else [], [record.form_code])
        audit_detail_read(
            action=trail.READ_ID_NUMBER if full else trail.READ_RECORD,
            entity="service_record",
            entity_id=record.id,
            unit_id=record.village_id,
            after={
                "resident_id": str(resident.id) if resident is not None else None,
                "id_number": mask(number),
                "full_number_shown": full,
            },
            surface="review.record",
            sensitive=facts,
        )
        return detail


@blp.route("/review/records/<uuid:record_id>/neighbours")
class Neighbours(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(RecordFilterSchema, location="query")
    @blp.response(200, NeighboursSchema)
    def get(self, args, record_id: uuid.UUID):
        """The records before and after this one in the queue with these filters, and its place.

        Found from the record's place in the queue's order, so after approving a record that has
        left a `status=pending` queue the next one is still the one after it.
        """
        record = queue.load_record(db.session, me(), record_id)
        return neighbours.neighbours(db.session, me(), filters_from(args), record)


def _act(record_id: uuid.UUID, action: str, version: int, comment: str | None):
    record = queue.load_record(db.session, me(), record_id)
    queue.review_record(db.session, me(), record, action, version, comment, _device_id())
    db.session.commit()
    return queue.queue_items(db.session, me(), [record])[0]


@blp.route("/review/records/<uuid:record_id>/approve")
class Approve(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(ApproveSchema)
    @blp.response(200, RecordSummarySchema)
    def post(self, body, record_id: uuid.UUID):
        """Approve the version you reviewed (409 stale_version if a newer one has arrived)."""
        return _act(record_id, "approve", body["version"], None)


@blp.route("/review/records/<uuid:record_id>/return")
class Return(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(ReturnSchema)
    @blp.response(200, RecordSummarySchema)
    def post(self, body, record_id: uuid.UUID):
        """Return for correction with a comment (required); the author's phone receives it."""
        return _act(record_id, "return", body["version"], body["comment"])


@blp.route("/review/records/<uuid:record_id>/reject")
class Reject(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(RejectSchema)
    @blp.response(200, RecordSummarySchema)
    def post(self, body, record_id: uuid.UUID):
        """Reject with a reason (required)."""
        return _act(record_id, "reject", body["version"], body["reason"])


@blp.route("/review/records/approve")
class BulkApprove(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(BulkApproveSchema)
    @blp.response(200, BulkResultsSchema)
    def post(self, body):
        """Approve many records at once; each answers approved or refused (with code) on its own."""
        results = queue.approve_many(db.session, me(), body["items"], _device_id())
        db.session.commit()
        return {"results": results}
