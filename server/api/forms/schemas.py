"""What crosses the wire for forms: a definition is published as-is after its own schema."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from server.domain.records.formschema import DefinitionSchema


class ListedDefinitionSchema(DefinitionSchema):
    """A stored definition with whether new records may use it (`current`) or only old ones."""

    status = fields.String(validate=validate.OneOf(("current", "accepted")), dump_only=True)


class FormListSchema(Schema):
    forms = fields.List(fields.Nested(ListedDefinitionSchema))


__all__ = ["DefinitionSchema", "FormListSchema", "ListedDefinitionSchema"]
