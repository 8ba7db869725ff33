"""What crosses the wire for the org tree and its import."""

from __future__ import annotations

from marshmallow import INCLUDE, Schema, fields, validate

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
    settings = fields.Dict(
        keys=fields.String(),
        metadata={"description": "What the unit sets itself (the rest it inherits): /settings"},
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


class SettingInEffectSchema(Schema):
    value = fields.Raw()
    source_id = fields.Integer(
        allow_none=True,
        metadata={"description": "The unit that sets it (this one or an ancestor); null: default"},
    )
    source_name = fields.String(allow_none=True)


class SettingChoiceSchema(Schema):
    value = fields.Raw()
    label = fields.Dict(keys=fields.String(), values=fields.String())


class UnitSettingsSchema(Schema):
    """A unit's own settings, those in effect (own or inherited) and the values allowed."""

    unit_id = fields.Integer()
    own = fields.Dict(
        keys=fields.String(), metadata={"description": "What the unit sets itself, by key"}
    )
    in_effect = fields.Dict(keys=fields.String(), values=fields.Nested(SettingInEffectSchema))
    choices = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.Nested(SettingChoiceSchema)),
        metadata={"description": "The values a setting may take, where the list is fixed"},
    )


class UnitSettingsChangeSchema(Schema):
    """Settings to change; null clears the unit's own value, so it inherits again. Any other
    key is refused as `org_setting_unknown`."""

    class Meta:
        unknown = INCLUDE

    nip_version = fields.Raw(
        allow_none=True,
        metadata={
            "description": "The immunisation schedule edition (nip_2021, nip_2025); "
            "an unknown one is `nip_version_unknown`"
        },
    )
