"""Residents for supervisors and admins: list and search, detail with timeline, duplicates, merge.

Assistants get residents through sync (offline, with pinyin keys) and are refused here (403),
except for the duplicate check, which the app calls while registering someone.
"""

from __future__ import annotations

import uuid

from flask.views import MethodView

from server.api.access import STAFF, me, roles_required, signed_in
from server.api.blueprint import Blueprint
from server.api.residents.schemas import (
    DuplicateAnswerSchema,
    DuplicateQuerySchema,
    MergeAnswerSchema,
    MergeBodySchema,
    RegisterImportReportSchema,
    RegisterImportSchema,
    ResidentArgsSchema,
    ResidentDetailSchema,
    ResidentPageSchema,
)
from server.api.uploads import sheet_of
from server.core.clock import local_today
from server.core.problems import NUMBER_SEARCH_NEEDS_POST, Problem
from server.domain.registry import importing, register
from server.domain.registry.duplicates import county_id_of, disclose, duplicates_of, find_duplicates
from server.domain.registry.merge import merge_residents
from server.extensions import db

blp = Blueprint("residents", __name__, url_prefix="/api", description="Health records registry")


def _residents_page(args: dict):
    page, per_page = args.pop("page"), args.pop("per_page")
    filters = register.ResidentFilters(**args)
    return register.list_residents(db.session, me(), filters, local_today(), page, per_page)


@blp.route("/residents")
class Residents(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(ResidentArgsSchema, location="query")
    @blp.response(200, ResidentPageSchema)
    def get(self, args):
        """Residents in scope, paged; filter by village, tag, age band, low income, or search.

        `q` matches the name, full pinyin or initials (`zsf`), or the household's address or
        head. Digits (a phone or an ID number) are refused here with `number_search_needs_post`:
        a URL ends up in access logs, so number searches use `POST /api/residents/search`.
        ID numbers are always masked in this list.
        """
        if any(c.isdigit() for c in args.get("q") or ""):
            raise Problem(
                NUMBER_SEARCH_NEEDS_POST,
                errors={"q": ["Send digits in the body of POST /api/residents/search."]},
            )
        return _residents_page(args)


@blp.route("/residents/search")
class ResidentSearch(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(ResidentArgsSchema)
    @blp.response(200, ResidentPageSchema)
    def post(self, body):
        """The resident list with its filters in the body, so searched numbers stay out of URLs.

        `q` as for `GET /api/residents`, plus digits: the phone, and for a supervisor the last
        digits of the ID number. Other roles find a resident by ID number only by sending all 18
        characters; a longer-than-a-phone fragment is refused (`partial_id_number_search`).
        """
        return _residents_page(body)


@blp.route("/residents/<uuid:resident_id>")
class ResidentDetail(MethodView):
    @roles_required(*STAFF)
    @blp.response(200, ResidentDetailSchema)
    def get(self, resident_id: uuid.UUID):
        """One resident with the full ID number and every service record, newest first."""
        return register.resident_detail(db.session, resident_id, me())


@blp.route("/residents/duplicates")
class Duplicates(MethodView):
    @signed_in
    @blp.arguments(DuplicateQuerySchema)
    @blp.response(200, DuplicateAnswerSchema)
    def post(self, body):
        """Residents in the county with this ID number, or this name and birth date.

        With `like_id`, the duplicates of that resident (in the caller's area).

        Matches outside the caller's area show only the village.
        """
        user = me()
        county_id = county_id_of(user)
        like_id = body.pop("like_id")
        if like_id is None:
            matches = find_duplicates(db.session, county_id=county_id, **body)
        else:
            like = register.live_resident(db.session, like_id, user)
            matches = duplicates_of(db.session, like, county_id)
        return {"matches": disclose(db.session, user, matches)}


@blp.route("/residents/<uuid:keep_id>/merge")
class Merge(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(MergeBodySchema)
    @blp.response(200, MergeAnswerSchema)
    def post(self, body, keep_id: uuid.UUID):
        """Merge a confirmed duplicate into this resident; services move, nothing is lost."""
        user = me()
        keep = register.live_resident(db.session, keep_id, user)
        duplicate = register.live_resident(db.session, body["duplicate_id"], user)
        result = merge_residents(db.session, keep, duplicate, actor_id=user.id)
        db.session.commit()
        return {
            "kept": register.resident_detail(db.session, keep.id, user),
            "duplicate_id": duplicate.id,
            "moved_record_ids": result.moved_record_ids,
            "filled_fields": result.filled_fields,
        }


@blp.route("/residents/import/preview")
class ResidentImportPreview(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(RegisterImportSchema)
    @blp.response(200, RegisterImportReportSchema)
    def post(self, body):
        """What importing a register (one resident per row) would create; nothing is written.

        Suspected duplicates (as the phone finds them) are listed with their lines.
        """
        plan = importing.plan_register_import(
            db.session,
            me(),
            sheet_of(body, importing.ALIASES),
            keep_duplicates=body["keep_duplicates"],
        )
        db.session.rollback()
        return {"applied": False, **plan.report()}


@blp.route("/residents/import")
class ResidentImport(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(RegisterImportSchema)
    @blp.response(200, RegisterImportReportSchema)
    def post(self, body):
        """Create the households and residents in one transaction (they reach the phones by
        the pull feed); any bad row refuses the file (`import_has_errors`)."""
        actor = me()
        plan = importing.plan_register_import(
            db.session,
            actor,
            sheet_of(body, importing.ALIASES),
            keep_duplicates=body["keep_duplicates"],
        )
        report = importing.apply_register_import(
            db.session, actor, plan, source=body["filename"] or "upload"
        )
        db.session.commit()
        return {"applied": True, **report}
