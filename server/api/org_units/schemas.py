"""What crosses the wire for the org tree and its import."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from server.api.numbers import row_id
from server.api.uploads import ImportFileSchema
from server.core.inputrules import MAX_ID


class OrgUnitSchema(Schema):
    id = fields.Integer()
    parent_id = fields.Integer(allow_none=True)
    level = fields.String()
    code = fields.String()
    name = fields.String()
    population = fields.Integer()
    resident_population = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "常住 (resident) population by year, where known"},
    )


class NewOrgUnitSchema(Schema):
    parent_id = row_id(required=True)
    code = fields.String(required=True, validate=validate.Length(min=1, max=32))
    name = fields.String(required=True, validate=validate.Length(max=200))
    population = fields.Integer(load_default=0, validate=validate.Range(min=0, max=MAX_ID))


class OrgUnitChangeSchema(Schema):
    name = fields.String(validate=validate.Length(max=200))
    population = fields.Integer(validate=validate.Range(min=0, max=MAX_ID))


class OrgImportSchema(ImportFileSchema):
    allow_moves = fields.Boolean(
        load_default=False,
        metadata={"description": "Confirm every move of a unit to another parent at once"},
    )


class ImportReportSchema(Schema):
    """A preview (or, once applied, what was done): counts, then each change and problem."""

    applied = fields.Boolean()
    summary = fields.Dict(keys=fields.String(), values=fields.Integer())
    added = fields.List(fields.Dict())
    renamed = fields.List(fields.Dict())
    population_changed = fields.List(fields.Dict())
    moved = fields.List(fields.Dict())
    errors = fields.List(
        fields.Dict(),
        metadata={"description": "Each bad row: line, column, code, message, params"},
    )
