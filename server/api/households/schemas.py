"""Households on the wire: members listed with masked ID numbers."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from server.api.numbers import row_id
from server.api.paging import PageArgsSchema
from server.api.residents.schemas import ResidentSummarySchema, VillageRefSchema


class HouseholdArgsSchema(PageArgsSchema):
    village_id = row_id()
    low_income = fields.Boolean()
    q = fields.String(validate=validate.Length(max=50))


class HouseholdSchema(Schema):
    id = fields.UUID()
    village = fields.Nested(VillageRefSchema)
    address = fields.String()
    head_name = fields.String()
    low_income = fields.Boolean()
    version = fields.Integer()
    updated_at = fields.DateTime()


class HouseholdDetailSchema(HouseholdSchema):
    members = fields.List(fields.Nested(ResidentSummarySchema))


class HouseholdPageSchema(Schema):
    items = fields.List(fields.Nested(HouseholdSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
