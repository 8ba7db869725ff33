"""Liveness and database reachability, for load balancers and the PWA's online check."""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import Schema, fields
from sqlalchemy import text

from server.api.blueprint import Blueprint
from server.core.problems import DATABASE_UNAVAILABLE, Problem
from server.extensions import db

blp = Blueprint("health", __name__, url_prefix="/api", description="Service health")


class HealthSchema(Schema):
    status = fields.String()
    database = fields.String()


@blp.route("/health")
class Health(MethodView):
    @blp.response(200, HealthSchema)
    def get(self):
        """Reports the app and its database as up (503 when the database does not answer)."""
        try:
            db.session.execute(text("SELECT 1"))
        except Exception as exc:
            db.session.rollback()
            raise Problem(DATABASE_UNAVAILABLE) from exc
        return {"status": "ok", "database": "ok"}
