"""What crosses the wire for the review queue."""

from __future__ import annotations

from marshmallow import Schema, fields, validate, validates_schema
from marshmallow.exceptions import ValidationError

from server.api.access import me
from server.api.numbers import row_id, seen_version
from server.api.paging import PageArgsSchema
from server.api.users.schemas import device_kind
from server.domain.records.model import REVIEW_STATUSES
from server.domain.registry.idnumber import full_number_for, mask
from server.domain.registry.privacy import sees_sensitive, shown_tags


class RecordFilterSchema(Schema):
    """The queue's (and the exports') filters, all optional."""

    village_id = row_id()
    township_id = row_id()
    author_id = row_id()
    form_code = fields.String(validate=validate.Length(max=64))
    date_from = fields.Date()
    date_to = fields.Date()
    status = fields.String(validate=validate.OneOf(REVIEW_STATUSES))

    @validates_schema
    def _dates_in_order(self, data, **_kw):
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError("Must not be before date_from.", "date_to")


class QueueArgsSchema(RecordFilterSchema, PageArgsSchema):
    pass


class PersonSchema(Schema):
    id = fields.Integer()
    username = fields.String()
    full_name = fields.String()


class UnitSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class ResidentBriefSchema(Schema):
    id = fields.UUID()
    name = fields.String()
    sex = fields.String()
    birth_date = fields.Date()
    id_number_masked = fields.Function(lambda r: mask(r.id_number) if r.id_number else None)
    ended_on = fields.Date(allow_none=True)
    end_reason = fields.String(allow_none=True)
    end_destination = fields.String(allow_none=True)


class ResidentFullSchema(ResidentBriefSchema):
    """The supervisor's detail view is the one place the full ID number is shown."""

    id_number = fields.Function(
        lambda r: full_number_for(r.id_number, me().role),
        allow_none=True,
        metadata={"type": "string", "description": "Full number; null unless a supervisor asks."},
    )
    phone = fields.String(allow_none=True)
    tags = fields.Function(
        lambda r: shown_tags(r.tags, sees_sensitive(me(), r.village_id)),
        metadata={"type": "array", "items": {"type": "string"}},
    )


class MarkSchema(Schema):
    field = fields.String()
    kind = fields.String(metadata={"description": "plausible, danger or change"})
    message = fields.Dict(keys=fields.String(), values=fields.String())


class RecordSummarySchema(Schema):
    id = fields.UUID(attribute="record.id")
    form_code = fields.String(
        metadata={"description": "`followup` for a record the caller is shown masked"}
    )
    form_version = fields.Integer(attribute="record.form_version")
    form_title = fields.String()
    masked = fields.Boolean(
        metadata={"description": "A sensitive follow-up shown without its form and answers"}
    )
    visit_date = fields.Date(attribute="record.visit_date")
    version = fields.Integer(attribute="record.version")
    review_status = fields.String(attribute="record.review_status")
    review_comment = fields.String(attribute="record.review_comment", allow_none=True)
    reviewed_at = fields.DateTime(attribute="record.reviewed_at", allow_none=True)
    received_at = fields.DateTime(attribute="record.created_at")
    updated_at = fields.DateTime(attribute="record.updated_at")
    village = fields.Nested(UnitSchema)
    author = fields.Nested(PersonSchema, allow_none=True)
    resident = fields.Nested(ResidentBriefSchema, allow_none=True)
    marks = fields.List(fields.Nested(MarkSchema))


class QueuePageSchema(Schema):
    items = fields.List(fields.Nested(RecordSummarySchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class FieldValueSchema(Schema):
    name = fields.String()
    label = fields.String()
    type = fields.String(allow_none=True)
    value = fields.Raw(allow_none=True)
    display = fields.String()


class DeviceBriefSchema(Schema):
    id = fields.Integer()
    label = fields.String()
    client_id = fields.String()
    brand = device_kind("brand")
    model = device_kind("model")
    browser = device_kind("browser")
    os = device_kind("os")
    created_at = fields.DateTime()
    last_seen_at = fields.DateTime()
    last_sync_at = fields.DateTime(allow_none=True)


class FieldChangeSchema(Schema):
    name = fields.String()
    label = fields.String()
    old = fields.String()
    new = fields.String()


class HistoryEntrySchema(Schema):
    at = fields.DateTime()
    action = fields.String()
    actor = fields.Nested(PersonSchema, allow_none=True)
    device_id = fields.Integer(allow_none=True)
    version = fields.Integer()
    review_status = fields.String(allow_none=True)
    comment = fields.String(allow_none=True)
    client_time = fields.String(
        allow_none=True, metadata={"description": "The phone's clock, as sent; never trusted."}
    )
    changed = fields.List(fields.String())
    changes = fields.List(fields.Nested(FieldChangeSchema))


class RecordDetailSchema(RecordSummarySchema):
    resident = fields.Nested(ResidentFullSchema, allow_none=True)
    field_values = fields.List(
        fields.Nested(FieldValueSchema), attribute="fields", data_key="fields"
    )
    reviewed_by = fields.Nested(PersonSchema, allow_none=True)
    device = fields.Nested(DeviceBriefSchema, allow_none=True)
    history = fields.List(fields.Nested(HistoryEntrySchema))


class CountsSchema(Schema):
    pending = fields.Integer()
    conflicts = fields.Integer()
    duplicates = fields.Integer()


class NeighboursSchema(Schema):
    previous_id = fields.UUID(allow_none=True)
    next_id = fields.UUID(allow_none=True)
    position = fields.Integer()
    total = fields.Integer()


class ApproveSchema(Schema):
    version = seen_version(required=True)


class ReturnSchema(ApproveSchema):
    comment = fields.String(load_default=None, validate=validate.Length(max=1000))


class RejectSchema(ApproveSchema):
    reason = fields.String(load_default=None, validate=validate.Length(max=1000))


class BulkItemSchema(Schema):
    id = fields.UUID(required=True)
    version = seen_version(required=True)


class BulkApproveSchema(Schema):
    items = fields.List(
        fields.Nested(BulkItemSchema), required=True, validate=validate.Length(min=1, max=500)
    )


class BulkResultSchema(Schema):
    id = fields.UUID()
    status = fields.String()
    version = fields.Integer()
    code = fields.String()
    message = fields.String()


class BulkResultsSchema(Schema):
    results = fields.List(fields.Nested(BulkResultSchema))
