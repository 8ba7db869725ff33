"""What crosses the wire for account management."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from server.api.numbers import row_id
from server.domain.accounts.model import ROLES, USERNAME_LENGTH, USERNAME_PATTERN
from server.domain.accounts.revocation import REVOKE_CHOICES
from server.domain.accounts.useragent import parse


class NewUserSchema(Schema):
    username = fields.String(
        required=True,
        validate=[
            validate.Length(min=USERNAME_LENGTH[0], max=USERNAME_LENGTH[1]),
            validate.Regexp(USERNAME_PATTERN, error="Letters, digits, _ . - only."),
        ],
    )
    full_name = fields.String(load_default="", validate=validate.Length(max=100))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    org_unit_id = row_id(required=True)
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=256))


class UserChangeSchema(Schema):
    """What staff may change of an account: its name, role and unit (each optional)."""

    full_name = fields.String(validate=validate.Length(max=100))
    role = fields.String(validate=validate.OneOf(ROLES))
    org_unit_id = row_id()


class PasswordResetSchema(Schema):
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=256))


def device_kind(part: str) -> fields.Function:
    """One part of what the device's User-Agent says it is (server/domain/accounts/useragent.py)."""
    return fields.Function(
        lambda d: getattr(parse(d.user_agent), part),
        allow_none=True,
        metadata={"type": "string", "description": f"The {part} its User-Agent names, if any."},
    )


class DeviceSchema(Schema):
    id = fields.Integer()
    client_id = fields.String()
    label = fields.String()
    brand = device_kind("brand")
    model = device_kind("model")
    browser = device_kind("browser")
    os = device_kind("os")
    created_at = fields.DateTime()
    last_seen_at = fields.DateTime()
    last_sync_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)
    last_push_at = fields.DateTime(allow_none=True)
    queued = fields.Integer(
        allow_none=True,
        metadata={"description": "Changes waiting on the phone at its last push or pull"},
    )
    revoke_after_upload_at = fields.DateTime(
        allow_none=True,
        metadata={"description": "Set while a stop-after-upload waits for the outbox to empty"},
    )


class RevokeSchema(Schema):
    choice = fields.String(load_default="revoke", validate=validate.OneOf(REVOKE_CHOICES))
    password = fields.String(
        load_default=None,
        load_only=True,
        validate=validate.Length(max=256),
        metadata={"description": "The temporary password, for revoke_and_reset"},
    )


class StaffImportReportSchema(Schema):
    """A staff file checked (or applied): the accounts, each bad row, and once applied the
    temporary passwords, shown this one time."""

    applied = fields.Boolean()
    summary = fields.Dict(keys=fields.String(), values=fields.Integer())
    accounts = fields.List(fields.Dict())
    errors = fields.List(
        fields.Dict(), metadata={"description": "Each bad row: line, column, code, message, params"}
    )
    created = fields.List(
        fields.Dict(), metadata={"description": "Each new account with its temporary_password"}
    )
    sheet = fields.Dict(
        metadata={"description": "The passwords as an XLSX to hand out: filename, content (base64)"}
    )
