"""What crosses the wire for residents: ID numbers masked everywhere except the detail view."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from server.api.access import me
from server.api.numbers import row_id
from server.api.paging import PageArgsSchema
from server.api.tags.schemas import TagSpanSchema
from server.api.uploads import ImportFileSchema
from server.core.clock import local_today
from server.core.inputrules import EARLIEST_BIRTH_DATE
from server.domain.registry.idnumber import full_number_for, mask
from server.domain.registry.model import END_REASONS
from server.domain.registry.privacy import (
    MASKED_FORM_CODE,
    masks_record,
    sees_sensitive,
    shown_tags,
)
from server.domain.registry.register import STATUSES
from server.domain.registry.tags import TAGS, age_on, effective_tags


class VillageRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class HouseholdRefSchema(Schema):
    id = fields.UUID()
    address = fields.String()
    head_name = fields.String()
    low_income = fields.Boolean()


def _tags_for_me(resident, tags: list[str]) -> list[str]:
    """Tags as the caller may see them (server/domain/registry/privacy.py)."""
    return shown_tags(tags, sees_sensitive(me(), resident.village_id))


def _spans_for_me(resident) -> list:
    shown = set(_tags_for_me(resident, [span.tag for span in resident.tag_spans]))
    return [span for span in resident.tag_spans if span.tag in shown]


def _record_masked(record) -> bool:
    return masks_record(me(), record.form_code, record.village_id)


TAG_LIST = {"type": "array", "items": {"type": "string"}}


class ResidentSummarySchema(Schema):
    """A resident in a list: masked ID number, effective tags (sensitive ones only for those
    who care for the resident), age today."""

    id = fields.UUID()
    household_id = fields.UUID(allow_none=True)
    village = fields.Nested(VillageRefSchema)
    name = fields.String()
    name_pinyin = fields.String()
    name_initials = fields.String()
    sex = fields.String()
    birth_date = fields.Date()
    age = fields.Function(lambda r: age_on(r.birth_date, local_today()))
    id_number_masked = fields.Function(lambda r: mask(r.id_number))
    phone = fields.String(allow_none=True)
    tags = fields.Function(
        lambda r: _tags_for_me(r, effective_tags(r, local_today())), metadata=TAG_LIST
    )
    ended_on = fields.Date(allow_none=True)
    end_reason = fields.String(allow_none=True, metadata={"enum": list(END_REASONS)})
    end_destination = fields.String(allow_none=True)
    mother_id = fields.UUID(allow_none=True)
    version = fields.Integer()
    updated_at = fields.DateTime()


class ServiceEntrySchema(Schema):
    """One record of the timeline; a sensitive form's record is a neutral follow-up, no answers,
    for those who do not care for the resident."""

    id = fields.UUID()
    form_code = fields.Function(
        lambda r: MASKED_FORM_CODE if _record_masked(r) else r.form_code,
        metadata={"type": "string"},
    )
    form_version = fields.Integer()
    visit_date = fields.Date()
    village_id = fields.Integer()
    author_id = fields.Integer()
    review_status = fields.String()
    review_comment = fields.String(allow_none=True)
    data = fields.Function(
        lambda r: {} if _record_masked(r) else (r.data or {}), metadata={"type": "object"}
    )
    created_at = fields.DateTime()


class ResidentDetailSchema(ResidentSummarySchema):
    """One resident for a supervisor or admin: the full ID number and the service timeline."""

    id_number = fields.Function(
        lambda r: full_number_for(r.id_number, me().role),
        allow_none=True,
        metadata={"type": "string", "description": "Full number; null unless a supervisor asks."},
    )
    stored_tags = fields.Function(lambda r: _tags_for_me(r, r.tags), metadata=TAG_LIST)
    tag_spans = fields.Function(
        lambda r: TagSpanSchema(many=True).dump(_spans_for_me(r)),
        metadata={
            "type": "array",
            "items": TagSpanSchema,
            "description": "Every stored tag's spans: source, origin, dates, oldest first "
            "(SMD and TB only for those who care for the resident).",
        },
    )
    household = fields.Nested(HouseholdRefSchema, allow_none=True)
    services = fields.List(fields.Nested(ServiceEntrySchema))


class ResidentArgsSchema(PageArgsSchema):
    village_id = row_id()
    tag = fields.String(validate=validate.OneOf(TAGS))
    age_min = fields.Integer(validate=validate.Range(min=0, max=150))
    age_max = fields.Integer(validate=validate.Range(min=0, max=150))
    low_income = fields.Boolean()
    q = fields.String(validate=validate.Length(max=50))
    status = fields.String(
        load_default="active",
        validate=validate.OneOf(STATUSES),
        metadata={"description": "active (default: ended records left out), ended, or all."},
    )

    @validates_schema
    def _age_band(self, data, **_kw):
        low, high = data.get("age_min"), data.get("age_max")
        if low is not None and high is not None and low > high:
            raise ValidationError("age_min is above age_max.", "age_max")


class ResidentPageSchema(Schema):
    items = fields.List(fields.Nested(ResidentSummarySchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class DuplicateQuerySchema(Schema):
    id_number = fields.String(load_default=None, validate=validate.Length(max=18))
    name = fields.String(load_default=None, validate=validate.Length(max=100))
    birth_date = fields.Date(load_default=None, validate=validate.Range(min=EARLIEST_BIRTH_DATE))
    exclude_id = fields.UUID(load_default=None)
    like_id = fields.UUID(
        load_default=None,
        metadata={
            "description": "A resident in your area: compare with their own ID number, name "
            "and birth date (the number stays on the server)."
        },
    )

    @validates_schema
    def _enough_to_compare(self, data, **_kw):
        if data.get("like_id"):
            return
        if not data.get("id_number") and not (data.get("name") and data.get("birth_date")):
            raise ValidationError(
                "Give an ID number, a name and a birth date, or like_id.", "_schema"
            )


class DuplicateMatchSchema(Schema):
    """A match; outside the caller's area only `in_scope`, `reason` and `village` are sent."""

    in_scope = fields.Boolean()
    reason = fields.String()
    village = fields.Nested(VillageRefSchema)
    id = fields.UUID()
    name = fields.String()
    sex = fields.String()
    birth_date = fields.Date()
    id_number_masked = fields.String(allow_none=True)
    household_id = fields.UUID(allow_none=True)


class DuplicateAnswerSchema(Schema):
    matches = fields.List(fields.Nested(DuplicateMatchSchema))


class MergeBodySchema(Schema):
    duplicate_id = fields.UUID(required=True)


class MergeAnswerSchema(Schema):
    kept = fields.Nested(ResidentDetailSchema)
    duplicate_id = fields.UUID()
    moved_record_ids = fields.List(fields.UUID())
    filled_fields = fields.List(fields.String())


class RegisterImportSchema(ImportFileSchema):
    keep_duplicates = fields.Boolean(
        load_default=False,
        metadata={"description": "Create suspected duplicates too (by default they are left out)"},
    )


class RegisterImportReportSchema(Schema):
    applied = fields.Boolean()
    summary = fields.Dict(keys=fields.String(), values=fields.Integer())
    duplicates = fields.List(
        fields.Dict(), metadata={"description": "Each suspected duplicate: line, name, matches"}
    )
    errors = fields.List(
        fields.Dict(), metadata={"description": "Each bad row: line, column, code, message, params"}
    )
