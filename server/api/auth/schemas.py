from marshmallow import Schema, fields, validate


class OrgUnitRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    level = fields.String()
    code = fields.String()


class UserSchema(Schema):
    id = fields.Integer(dump_only=True)
    username = fields.String()
    full_name = fields.String()
    role = fields.String()
    org_unit = fields.Nested(OrgUnitRefSchema)
    active = fields.Boolean()
    must_change_password = fields.Boolean()


class LoginSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=256))
    device_id = fields.String(required=True, validate=validate.Length(min=8, max=64))
    device_label = fields.String(load_default="", validate=validate.Length(max=120))


class PhoneSettingsSchema(Schema):
    time_zone = fields.String(
        metadata={"description": "The users' zone (TIME_ZONE): times on screens, China dates"}
    )
    phone_retention_days = fields.Integer(
        metadata={
            "description": "Days an uploaded, accepted record stays on the phone "
            "(PHONE_RETENTION_DAYS; docs/security.md)"
        }
    )
    nip_version = fields.String(
        metadata={
            "description": "The immunisation schedule edition the user's unit follows "
            "(its own setting or its township's or county's; default nip_2025)"
        }
    )


class TokensSchema(Schema):
    access_token = fields.String()
    refresh_token = fields.String()
    user = fields.Nested(UserSchema)
    settings = fields.Nested(PhoneSettingsSchema)


class ChangePasswordSchema(Schema):
    current_password = fields.String(required=True, load_only=True)
    # Same cap as sign-in accepts, so a new password can always be used to sign in.
    new_password = fields.String(
        required=True, load_only=True, validate=validate.Length(min=1, max=256)
    )


class MessageSchema(Schema):
    message = fields.String()
