"""Households for supervisors and admins (assistants get them through sync)."""

from __future__ import annotations

import uuid

from flask.views import MethodView

from server.api.access import STAFF, me, roles_required
from server.api.audit.reads import audit_detail_read
from server.api.blueprint import Blueprint
from server.api.households.schemas import (
    HouseholdArgsSchema,
    HouseholdDetailSchema,
    HouseholdPageSchema,
)
from server.domain.audit import trail
from server.domain.registry import register
from server.domain.registry.privacy import sees_sensitive, sensitive_facts
from server.extensions import db

blp = Blueprint("households", __name__, url_prefix="/api", description="Households")


@blp.route("/households")
class Households(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(HouseholdArgsSchema, location="query")
    @blp.response(200, HouseholdPageSchema)
    def get(self, args):
        """Households in scope, paged; filter by village, low income, or address/head name."""
        stmt = register.household_query(
            me(), args.get("village_id"), args.get("low_income"), args.get("q")
        )
        return register.paginate(db.session, stmt, args["page"], args["per_page"])


@blp.route("/households/<uuid:household_id>")
class HouseholdDetail(MethodView):
    @roles_required(*STAFF)
    @blp.response(200, HouseholdDetailSchema)
    def get(self, household_id: uuid.UUID):
        """One household in scope with its living members (ID numbers masked); audited as
        `read.household`, and `read.sensitive` when a member's sensitive tag is shown."""
        user = me()
        detail = register.household_detail(db.session, household_id, user)
        facts = 0
        if sees_sensitive(user, detail.village_id):
            facts = sum(sensitive_facts(m.tags) for m in detail.members)
        audit_detail_read(
            action=trail.READ_HOUSEHOLD,
            entity="household",
            entity_id=detail.id,
            unit_id=detail.village_id,
            after={"members": len(detail.members)},
            surface="household",
            sensitive=facts,
        )
        return detail
