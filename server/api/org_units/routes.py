"""The org-unit tree within the caller's scope."""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import Schema, fields
from sqlalchemy import select

from server.api.access import me, signed_in
from server.api.blueprint import Blueprint
from server.core.org import OrgUnit
from server.core.problems import ORG_UNIT_NOT_FOUND
from server.core.scope import get_in_scope, scoped
from server.extensions import db

blp = Blueprint("org_units", __name__, url_prefix="/api", description="Org units")


class OrgUnitSchema(Schema):
    id = fields.Integer()
    parent_id = fields.Integer(allow_none=True)
    level = fields.String()
    code = fields.String()
    name = fields.String()
    population = fields.Integer()


@blp.route("/org-units")
class OrgUnits(MethodView):
    @signed_in
    @blp.response(200, OrgUnitSchema(many=True))
    def get(self):
        """The caller's unit and every unit below it, parents before children."""
        stmt = scoped(select(OrgUnit), OrgUnit, me()).order_by(OrgUnit.path)
        return db.session.scalars(stmt).all()


@blp.route("/org-units/<int:unit_id>")
class OrgUnitDetail(MethodView):
    @signed_in
    @blp.response(200, OrgUnitSchema)
    def get(self, unit_id: int):
        """One unit in scope."""
        return get_in_scope(db.session, OrgUnit, unit_id, me(), ORG_UNIT_NOT_FOUND)
