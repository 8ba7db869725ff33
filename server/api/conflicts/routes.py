"""Sync conflicts: list the open ones side by side, resolve one with a versioned write."""

from __future__ import annotations

from flask.views import MethodView
from flask_jwt_extended import get_jwt
from marshmallow import Schema, fields, validate

from server.api.access import STAFF, me, roles_required, signed_in
from server.api.audit.reads import audit_reads
from server.api.blueprint import Blueprint
from server.api.paging import PageArgsSchema
from server.api.review.schemas import PersonSchema
from server.domain.accounts.staff import session_device_id
from server.domain.audit.trail import READ_ID_NUMBER
from server.domain.registry.idnumber import mask, sees_full_numbers
from server.domain.review import conflicts
from server.extensions import db
from server.synced import REGISTRY

blp = Blueprint("conflicts", __name__, url_prefix="/api", description="Sync conflicts")


class ConflictResidentSchema(Schema):
    id = fields.String()
    name = fields.String()


class ConflictHouseholdSchema(Schema):
    id = fields.String()
    address = fields.String()
    head_name = fields.String()


class ConflictSchema(Schema):
    id = fields.Integer(attribute="conflict.id")
    entity = fields.String(attribute="conflict.entity")
    entity_id = fields.String(attribute="conflict.entity_id")
    village_id = fields.Integer(attribute="conflict.village_id")
    field = fields.String(attribute="conflict.field")
    label = fields.String()
    server_value = fields.Raw(allow_none=True)
    client_value = fields.Raw(allow_none=True)
    current_value = fields.Raw(allow_none=True)
    server_version = fields.Integer(attribute="conflict.server_version")
    author = fields.Nested(
        PersonSchema, allow_none=True, metadata={"description": "Who sent the phone's value."}
    )
    created_at = fields.DateTime(
        attribute="conflict.created_at", metadata={"description": "When the phone's value came."}
    )
    server_by = fields.Nested(
        PersonSchema, allow_none=True, metadata={"description": "Who wrote the server's value."}
    )
    server_at = fields.DateTime(allow_none=True)
    resident = fields.Nested(ConflictResidentSchema, allow_none=True)
    household = fields.Nested(ConflictHouseholdSchema, allow_none=True)
    form_title = fields.String(allow_none=True)
    visit_date = fields.Date(allow_none=True)
    record_id = fields.String(allow_none=True, metadata={"description": "A service record's id."})
    status = fields.String(attribute="conflict.status")
    resolved_by_id = fields.Integer(attribute="conflict.resolved_by_id", allow_none=True)
    resolved_at = fields.DateTime(attribute="conflict.resolved_at", allow_none=True)
    resolved_value = fields.Raw(allow_none=True)


class ConflictPageSchema(Schema):
    items = fields.List(fields.Nested(ConflictSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class MineArgsSchema(Schema):
    entity_id = fields.String(required=True, validate=validate.Length(min=1, max=64))


class MineSchema(Schema):
    items = fields.List(fields.Nested(ConflictSchema))


class ResolveSchema(Schema):
    choice = fields.String(required=True, validate=validate.OneOf(conflicts.CHOICES))
    value = fields.Raw(load_default=None, allow_none=True)


@blp.route("/conflicts")
class Conflicts(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, ConflictPageSchema)
    def get(self, args):
        """Open conflicts in the caller's area, newest first, with both values side by side.

        A supervisor sees both values of an ID-number conflict in full: each such conflict on
        the page is audited as `read.id_number` of its resident.
        """
        rows, total = conflicts.open_conflicts(db.session, me(), args["page"], args["per_page"])
        items = conflicts.describe(db.session, REGISTRY, rows, me())
        if sees_full_numbers(me().role):
            audit_reads([_full_number_read(item) for item in items if _shows_number(item)])
        return {
            "items": items,
            "total": total,
            "page": args["page"],
            "per_page": args["per_page"],
        }


def _shows_number(item: dict) -> bool:
    return item["conflict"].field == "id_number"


def _full_number_read(item: dict) -> dict:
    conflict = item["conflict"]
    value = item.get("current_value")
    return {
        "action": READ_ID_NUMBER,
        "entity": conflict.entity,
        "entity_id": conflict.entity_id,
        "unit_id": conflict.village_id,
        "after": {
            "conflict_id": conflict.id,
            "id_number": mask(value) if isinstance(value, str) else None,
            "full_number_shown": True,
        },
    }


@blp.route("/conflicts/mine")
class MyConflicts(MethodView):
    @signed_in
    @blp.arguments(MineArgsSchema, location="query")
    @blp.response(200, MineSchema)
    def get(self, args):
        """The caller's own values that lost a concurrent edit of one row, open and resolved.

        The phone shows them on the record: "the supervisor will decide", then the outcome.
        """
        rows = conflicts.conflicts_of_author(db.session, me(), args["entity_id"])
        return {"items": conflicts.describe(db.session, REGISTRY, rows, me())}


@blp.route("/conflicts/<int:conflict_id>/resolve")
class Resolve(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(ResolveSchema)
    @blp.response(200, ConflictSchema)
    def post(self, body, conflict_id: int):
        """Keep the server's, the phone's, or a typed value; phones receive it as a new version."""
        device_id = session_device_id(db.session, get_jwt().get("fam"))
        conflict = conflicts.resolve(
            db.session, REGISTRY, me(), conflict_id, body["choice"], body["value"], device_id
        )
        db.session.commit()
        return conflicts.describe(db.session, REGISTRY, [conflict], me())[0]
