"""The supervisor's overview of a month in their area."""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import Schema, ValidationError, fields

from server.api.access import STAFF, me, roles_required
from server.api.blueprint import Blueprint
from server.core.clock import local_today
from server.domain.indicators import overview
from server.extensions import db

blp = Blueprint("overview", __name__, url_prefix="/api", description="Monthly overview")


class MonthField(fields.Field):
    """`YYYY-MM`, loaded as the first day of that month."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return overview.parse_month(str(value))
        except ValueError as exc:
            raise ValidationError("Use the form YYYY-MM, e.g. 2026-11.") from exc


class OverviewArgsSchema(Schema):
    month = MonthField(load_default=None)


class CountSchema(Schema):
    form_code = fields.String()
    village_id = fields.Integer()
    title = fields.String()
    name = fields.String()
    count = fields.Integer()


class ServicesSchema(Schema):
    cells = fields.List(fields.Nested(CountSchema))
    by_form = fields.List(fields.Nested(CountSchema))
    by_village = fields.List(fields.Nested(CountSchema))
    total = fields.Integer()


class AssistantCountSchema(Schema):
    user_id = fields.Integer()
    username = fields.String()
    full_name = fields.String()
    org_unit_id = fields.Integer()
    count = fields.Integer()
    last_sync_at = fields.DateTime(allow_none=True)
    days_silent = fields.Float(allow_none=True)


class BacklogSchema(Schema):
    count = fields.Integer()
    oldest_days = fields.Float(allow_none=True)
    median_days = fields.Float(allow_none=True)


class TagCountSchema(Schema):
    tag = fields.String()
    count = fields.Integer()


class RegisterSchema(Schema):
    """Active residents on the day (the denominators, by tag); ended records are left out."""

    on = fields.String()
    active = fields.Integer()
    ended = fields.Integer()
    by_tag = fields.List(fields.Nested(TagCountSchema))


class OverviewSchema(Schema):
    month = fields.String()
    register = fields.Nested(RegisterSchema)
    services = fields.Nested(ServicesSchema)
    per_assistant = fields.List(fields.Nested(AssistantCountSchema))
    backlog = fields.Nested(BacklogSchema)
    silent_assistants = fields.List(fields.Nested(AssistantCountSchema))


@blp.route("/overview")
class Overview(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(OverviewArgsSchema, location="query")
    @blp.response(200, OverviewSchema)
    def get(self, args):
        """Services by form and village for a month (default: this one), records per assistant,
        the pending-review backlog and its age, and assistants silent for more than three days."""
        month = args["month"] or local_today().replace(day=1)
        return overview.month_overview(db.session, me(), month, local_today())
