"""Suspected duplicate residents as a work-list: list the open pairs, merge one, or set it aside."""

from __future__ import annotations

from flask.views import MethodView
from flask_jwt_extended import get_jwt
from marshmallow import Schema, fields

from server.api.access import STAFF, me, roles_required
from server.api.blueprint import Blueprint
from server.api.paging import PageArgsSchema
from server.domain.accounts.staff import session_device_id
from server.domain.registry import worklist
from server.extensions import db

blp = Blueprint(
    "duplicates", __name__, url_prefix="/api", description="Suspected duplicate residents"
)


class VillageSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class SideSchema(Schema):
    """One resident of a pair; outside the caller's area only `in_scope` and the village."""

    in_scope = fields.Boolean()
    village = fields.Nested(VillageSchema)
    id = fields.UUID()
    name = fields.String()
    sex = fields.String()
    birth_date = fields.Date()
    id_number_masked = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    tags = fields.List(fields.String())
    household_id = fields.UUID(allow_none=True)
    address = fields.String(allow_none=True)
    head_name = fields.String(allow_none=True)
    services = fields.Integer(metadata={"description": "Live service records of the resident."})


class PairSchema(Schema):
    id = fields.Integer(attribute="pair.id")
    reason = fields.String(
        attribute="pair.reason",
        metadata={"description": "id_number, name_birth_date or name_household_head"},
    )
    found_by = fields.String(
        attribute="pair.found_by", metadata={"description": "registration, upload or scan"}
    )
    found_at = fields.DateTime(attribute="pair.found_at")
    first = fields.Nested(SideSchema)
    second = fields.Nested(SideSchema)


class PairPageSchema(Schema):
    items = fields.List(fields.Nested(PairSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class MergePairSchema(Schema):
    keep_id = fields.UUID(required=True)


class DismissedSchema(Schema):
    id = fields.Integer()
    status = fields.String()


class MergedSchema(Schema):
    kept_id = fields.UUID()
    duplicate_id = fields.UUID()
    moved_record_ids = fields.List(fields.UUID())
    filled_fields = fields.List(fields.String())


def _device_id() -> int | None:
    return session_device_id(db.session, get_jwt().get("fam"))


@blp.route("/duplicates")
class Pairs(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, PairPageSchema)
    def get(self, args):
        """Open suspected pairs touching the caller's area, newest found first, side by side."""
        pairs, total = worklist.open_pairs(db.session, me(), args["page"], args["per_page"])
        return {
            "items": worklist.describe(db.session, me(), pairs),
            "total": total,
            "page": args["page"],
            "per_page": args["per_page"],
        }


@blp.route("/duplicates/<int:pair_id>/merge")
class MergePair(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(MergePairSchema)
    @blp.response(200, MergedSchema)
    def post(self, body, pair_id: int):
        """Merge the other resident into `keep_id`: audited and irreversible; services move."""
        result = worklist.merge_pair(db.session, me(), pair_id, body["keep_id"], _device_id())
        db.session.commit()
        return {
            "kept_id": result.kept.id,
            "duplicate_id": result.duplicate.id,
            "moved_record_ids": result.moved_record_ids,
            "filled_fields": result.filled_fields,
        }


@blp.route("/duplicates/<int:pair_id>/dismiss")
class Dismiss(MethodView):
    @roles_required(*STAFF)
    @blp.response(200, DismissedSchema)
    def post(self, pair_id: int):
        """ "Not the same person": set aside for good, never suggested again (audited)."""
        worklist.dismiss(db.session, me(), pair_id, _device_id())
        db.session.commit()
        return {"id": pair_id, "status": "dismissed"}
