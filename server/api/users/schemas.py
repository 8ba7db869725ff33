"""What crosses the wire for account management."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from server.api.numbers import row_id
from server.domain.accounts.model import ROLES


class NewUserSchema(Schema):
    username = fields.String(
        required=True,
        validate=[
            validate.Length(min=3, max=64),
            validate.Regexp(r"^[A-Za-z0-9_.-]+$", error="Letters, digits, _ . - only."),
        ],
    )
    full_name = fields.String(load_default="", validate=validate.Length(max=100))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    org_unit_id = row_id(required=True)
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=256))


class PasswordResetSchema(Schema):
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=256))


class DeviceSchema(Schema):
    id = fields.Integer()
    client_id = fields.String()
    label = fields.String()
    created_at = fields.DateTime()
    last_seen_at = fields.DateTime()
    last_sync_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)
