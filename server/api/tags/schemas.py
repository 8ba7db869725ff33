"""What crosses the wire for tag spans and the staff's decisions on them."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from server.domain.registry.model import TAG_ORIGINS, TAG_SOURCES

NOT_BLANK = validate.Regexp(r"[\s\S]*\S", error="Write why.")


class ToConfirmVillageSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class TagSpanSchema(Schema):
    """One span of one stored tag: who said so, where from, from when to when."""

    id = fields.UUID()
    resident_id = fields.UUID()
    tag = fields.String()
    source = fields.String(metadata={"enum": list(TAG_SOURCES)})
    origin = fields.String(metadata={"enum": list(TAG_ORIGINS)})
    start_on = fields.Date(
        allow_none=True,
        metadata={"description": "First day in effect; null: since before the register knew."},
    )
    end_on = fields.Date(
        allow_none=True, metadata={"description": "First day no longer in effect; null: open."}
    )
    record_id = fields.UUID(allow_none=True, metadata={"description": "The form record (form)."})
    confirmed_by_id = fields.Integer(allow_none=True)
    confirmed_at = fields.DateTime(allow_none=True)
    ended_by_id = fields.Integer(allow_none=True)
    note = fields.String(allow_none=True)
    created_at = fields.DateTime(metadata={"description": "When the server learned of it."})


class RemoveBodySchema(Schema):
    note = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=500), NOT_BLANK],
        metadata={"description": "Why the tag is not so (kept on the span and in the audit)."},
    )


class RemovedSchema(Schema):
    ended = fields.List(fields.Nested(TagSpanSchema))


class ToConfirmResidentSchema(Schema):
    id = fields.UUID()
    name = fields.String()
    sex = fields.String()
    birth_date = fields.Date()
    village = fields.Nested(ToConfirmVillageSchema)


class ToConfirmRecordSchema(Schema):
    id = fields.UUID()
    form_code = fields.String()
    visit_date = fields.Date()


class ToConfirmItemSchema(Schema):
    """A reported condition waiting for the centre's word."""

    span = fields.Nested(TagSpanSchema)
    resident = fields.Nested(ToConfirmResidentSchema, attribute="span.resident")
    record = fields.Nested(ToConfirmRecordSchema, allow_none=True)


class ToConfirmPageSchema(Schema):
    items = fields.List(fields.Nested(ToConfirmItemSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
