"""The query arguments of every paged list."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from server.api.numbers import row_id
from server.core.paging import MAX_PER_PAGE


class PageArgsSchema(Schema):
    page = row_id(load_default=1)
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PER_PAGE))
