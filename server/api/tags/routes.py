"""Tags with provenance: the supervisor's "confirm with the centre" list, confirm and remove."""

from __future__ import annotations

import uuid

from flask.views import MethodView

from server.api.access import STAFF, me, roles_required
from server.api.audit.reads import audit_sensitive_list
from server.api.blueprint import Blueprint
from server.api.paging import PageArgsSchema
from server.api.tags.schemas import (
    RemoveBodySchema,
    RemovedSchema,
    TagSpanSchema,
    ToConfirmPageSchema,
)
from server.core.clock import local_today
from server.domain.registry import tagdecisions
from server.domain.registry.model import SENSITIVE_TAGS
from server.domain.registry.register import live_resident
from server.extensions import db

blp = Blueprint("tags", __name__, url_prefix="/api", description="Tags with provenance")


@blp.route("/tags/to-confirm")
class ToConfirm(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, ToConfirmPageSchema)
    def get(self, args):
        """Reported conditions (hypertension, diabetes, severe mental disorder, TB) of active
        residents in the caller's area, waiting for the centre's confirmation; oldest first.

        One item per resident and tag, with the resident, village, since when (`span.start_on`,
        null: since registration or before spans; `span.created_at`: when the server learned
        it) and where it came from (`span.origin`, and the form `record` for a form's effect).
        Severe mental disorder and TB only of residents the caller cares for (their village's
        township); a page showing them is audited once (`read.sensitive`, with the count).
        """
        user = me()
        found = tagdecisions.to_confirm(
            db.session, user, local_today(), args["page"], args["per_page"]
        )
        shown = [i for i in found.items if i["span"].tag in SENSITIVE_TAGS]
        audit_sensitive_list(
            surface="tags.to_confirm",
            entity="resident_tag",
            unit_id=user.org_unit_id,
            count=len(shown),
        )
        return found


@blp.route("/residents/<uuid:resident_id>/tags/<tag>/confirm")
class ConfirmTag(MethodView):
    @roles_required(*STAFF)
    @blp.response(200, TagSpanSchema)
    def post(self, resident_id: uuid.UUID, tag: str):
        """Confirm the tag: the centre has it on record. Answers the confirmed span.

        The register's reported span becomes `confirmed` (who, when); without one, a confirmed
        span of its own starts today (origin `staff`). Already confirmed: the same answer,
        nothing changes. Audited (`confirm_tag`). Only hypertension, diabetes, severe mental
        disorder and TB are confirmed (`tag_not_confirmable`). A sensitive tag of a resident the
        caller does not care for answers `resident_not_found`, held or not.
        """
        user = me()
        resident = live_resident(db.session, resident_id, user)
        span, _changed = tagdecisions.confirm_tag(db.session, user, resident, tag, local_today())
        db.session.commit()
        return span


@blp.route("/residents/<uuid:resident_id>/tags/<tag>/remove")
class RemoveTag(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(RemoveBodySchema)
    @blp.response(200, RemovedSchema)
    def post(self, body, resident_id: uuid.UUID, tag: str):
        """Remove the tag: every span in effect ends today (who, the note); the register's list
        drops it, so phones stop showing it. `tag_not_held` when none is in effect; a sensitive
        tag of a resident the caller does not care for answers `resident_not_found`, held or
        not. Audited (`remove_tag`)."""
        user = me()
        resident = live_resident(db.session, resident_id, user)
        ended = tagdecisions.remove_tag(
            db.session, user, resident, tag, body["note"].strip(), local_today()
        )
        db.session.commit()
        return {"ended": ended}
