"""Accounts within the caller's scope (read side; management comes with the workspace)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from server.api.access import STAFF, me, roles_required
from server.api.auth.schemas import UserSchema
from server.extensions import db
from server.models import User
from server.services.scope import get_in_scope, scoped

blp = Blueprint("users", __name__, url_prefix="/api", description="User accounts")


@blp.route("/users")
class Users(MethodView):
    @roles_required(*STAFF)
    @blp.response(200, UserSchema(many=True))
    def get(self):
        """Accounts in the caller's township (supervisor) or county (admin)."""
        return db.session.scalars(scoped(select(User), User, me()).order_by(User.username)).all()


@blp.route("/users/<int:user_id>")
class UserDetail(MethodView):
    @roles_required(*STAFF)
    @blp.response(200, UserSchema)
    def get(self, user_id: int):
        """One account in scope."""
        return get_in_scope(db.session, User, user_id, me())
