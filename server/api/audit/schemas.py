"""What crosses the wire for the audit trail: its filters, one entry, one page."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from server.api.numbers import row_id
from server.api.paging import PageArgsSchema

_BOUND_HELP = (
    "An instant in RFC 3339 with its offset (2026-11-30T08:00:00+08:00), or a date, taken as "
    "that day in China Standard Time."
)


class TimeBound(fields.Field):
    """An RFC 3339 instant with an offset, or a plain date (a China calendar day)."""

    def __init__(self, **kwargs: Any) -> None:
        meta = {"type": "string", "description": _BOUND_HELP, **kwargs.pop("metadata", {})}
        super().__init__(metadata=meta, **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> date | datetime:
        if not isinstance(value, str) or len(value) > 40:
            raise ValidationError("A date (YYYY-MM-DD) or an RFC 3339 time with offset.")
        text = value.strip()
        if len(text) == 10:
            try:
                day = date.fromisoformat(text)
            except ValueError:
                raise ValidationError("Not a real date.") from None
            return _in_range(day, day.year)
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            raise ValidationError("A date (YYYY-MM-DD) or an RFC 3339 time with offset.") from None
        if moment.tzinfo is None:
            raise ValidationError("Give the offset (+08:00 or Z): a time without it is ambiguous.")
        return _in_range(moment, moment.year)


def _in_range(value: Any, year: int) -> Any:
    """Years the trail can hold (and a day's end, a day later, can still be computed)."""
    if not 1970 <= year <= 9998:
        raise ValidationError("A year between 1970 and 9998.")
    return value


class AuditFilterSchema(Schema):
    """Who, what, which object, when; all optional."""

    actor_id = row_id(metadata={"description": "The account that acted."})
    username = fields.String(validate=validate.Length(min=1, max=64))
    action = fields.String(
        validate=validate.Length(min=1, max=40),
        metadata={"description": "An action name; ending in `.` or `*` it is a prefix (`auth.`)."},
    )
    entity = fields.String(
        validate=validate.Length(min=1, max=32),
        metadata={"description": "The object's type: resident, service_record, user, export..."},
    )
    entity_id = fields.String(validate=validate.Length(min=1, max=64))
    since = TimeBound(data_key="from")
    until = TimeBound(data_key="to", metadata={"description": "Exclusive; a date includes it."})

    @validates_schema
    def _in_order(self, data, **_kw):
        since, until = data.get("since"), data.get("until")
        if since is None or until is None or type(since) is not type(until):
            return
        if since > until:
            raise ValidationError("Must not be before `from`.", "to")


class AuditArgsSchema(AuditFilterSchema, PageArgsSchema):
    pass


class ActorSchema(Schema):
    id = fields.Integer()
    username = fields.String()
    full_name = fields.String()
    role = fields.String()


class AuditEntrySchema(Schema):
    id = fields.Integer()
    at = fields.DateTime(metadata={"description": "RFC 3339, UTC; shown in China time."})
    actor_id = fields.Integer(allow_none=True)
    actor = fields.Nested(ActorSchema, allow_none=True)
    device_id = fields.Integer(allow_none=True)
    action = fields.String()
    entity = fields.String()
    entity_id = fields.String()
    unit_id = fields.Integer(allow_none=True)
    client_time = fields.String(allow_none=True)
    comment = fields.String(allow_none=True)
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)


class AuditPageSchema(Schema):
    items = fields.List(fields.Nested(AuditEntrySchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
