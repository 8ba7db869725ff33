"""Residents for supervisors and admins: list and search, detail with timeline, duplicates, merge.

Assistants get residents through sync (offline, with pinyin keys) and are refused here (403),
except for the duplicate check, which the app calls while registering someone.
"""

from __future__ import annotations

import uuid

from flask.views import MethodView

from server.api.access import STAFF, me, roles_required, signed_in
from server.api.audit.reads import audit_detail_read, audit_read, audit_sensitive_list
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
from server.api.residents.throttle import check_duplicate_lookups
from server.api.uploads import sheet_of
from server.core.clock import local_today
from server.core.problems import NUMBER_SEARCH_NEEDS_POST, Problem
from server.domain.audit import trail
from server.domain.registry import importing, register
from server.domain.registry.duplicates import county_id_of, disclose, duplicates_of, find_duplicates
from server.domain.registry.idnumber import mask, sees_full_numbers
from server.domain.registry.merge import merge_residents
from server.domain.registry.privacy import hidden_tags, sees_sensitive, sensitive_facts
from server.domain.registry.restore import restore_resident
from server.extensions import db

blp = Blueprint("residents", __name__, url_prefix="/api", description="Health records registry")


def _residents_page(args: dict, surface: str):
    """A page of residents; one `read.sensitive` row when it shows anyone's sensitive tags."""
    page, per_page = args.pop("page"), args.pop("per_page")
    filters = register.ResidentFilters(**args)
    user = me()
    found = register.list_residents(db.session, user, filters, local_today(), page, per_page)
    shown = [r for r in found.items if hidden_tags(r.tags) and sees_sensitive(user, r.village_id)]
    audit_sensitive_list(
        surface=surface, entity="resident_search", unit_id=user.org_unit_id, count=len(shown)
    )
    return found


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
        return _residents_page(args, "residents.list")


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
        A search that can match ID numbers is audited (`search.id_number`, the number masked).
        """
        query = body.get("q") or ""
        found = _residents_page(body, "residents.search")
        searched = register.id_number_search(query, me().role)
        if searched is not None:
            audit_read(
                action=trail.SEARCH_ID_NUMBER,
                entity="resident_search",
                entity_id=searched["kind"],
                unit_id=me().org_unit_id,
                after={**searched, "matches": found.total},
            )
        return found


@blp.route("/residents/<uuid:resident_id>")
class ResidentDetail(MethodView):
    @roles_required(*STAFF)
    @blp.response(200, ResidentDetailSchema)
    def get(self, resident_id: uuid.UUID):
        """One resident with the full ID number and every service record, newest first.

        Audited: `read.id_number` when the answer carries the full number, else `read.resident`;
        and `read.sensitive` when it shows a sensitive tag or follow-up (docs/security.md).
        """
        user = me()
        detail = register.resident_detail(db.session, resident_id, user)
        full = bool(detail.id_number) and sees_full_numbers(user.role)
        facts = 0
        if sees_sensitive(user, detail.village_id):
            facts = sensitive_facts(detail.tags, [s.form_code for s in detail.services])
        audit_detail_read(
            action=trail.READ_ID_NUMBER if full else trail.READ_RESIDENT,
            entity="resident",
            entity_id=detail.id,
            unit_id=detail.village_id,
            after={"id_number": mask(detail.id_number), "full_number_shown": full},
            surface="resident",
            sensitive=facts,
        )
        return detail


@blp.route("/residents/duplicates")
class Duplicates(MethodView):
    @signed_in
    @blp.arguments(DuplicateQuerySchema)
    @blp.response(200, DuplicateAnswerSchema)
    def post(self, body):
        """Residents in the county with this ID number, or this name and birth date.

        With `like_id`, the duplicates of that resident (in the caller's area).

        Matches outside the caller's area show only the village. Each look-up is audited
        (`lookup.duplicates`) and counted: past `DUPLICATE_LOOKUP_LIMIT` an account is refused
        with 429 `duplicate_lookups_limited` and Retry-After.
        """
        user = me()
        check_duplicate_lookups(user.id)
        county_id = county_id_of(user)
        like_id = body.pop("like_id")
        if like_id is None:
            matches = find_duplicates(db.session, county_id=county_id, **body)
            by = "id_number" if body.get("id_number") else "name_birth_date"
        else:
            like = register.live_resident(db.session, like_id, user)
            matches = duplicates_of(db.session, like, county_id)
            by = "like_id"
        answer = {"matches": disclose(db.session, user, matches)}
        audit_read(
            action=trail.LOOKUP_DUPLICATES,
            entity="duplicate_lookup",
            entity_id=str(like_id) if like_id else by,
            unit_id=user.org_unit_id,
            after={
                "by": by,
                "id_number": mask((body.get("id_number") or "").strip().upper() or None),
                "matches": len(matches),
                "resident_ids": [str(m.resident.id) for m in matches],
                "village_ids": sorted({m.resident.village_id for m in matches}),
            },
        )
        return answer


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


@blp.route("/residents/<uuid:resident_id>/restore")
class Restore(MethodView):
    @roles_required(*STAFF)
    @blp.response(200, ResidentDetailSchema)
    def post(self, resident_id: uuid.UUID):
        """Take back the end of a record (died, moved away, lost to follow-up) set by mistake.

        Assistants withdraw an end only before it is uploaded; once uploaded, staff restore it
        here (`resident_not_ended` when the record has not ended). Phones pull the change.
        """
        user = me()
        resident = register.live_resident(db.session, resident_id, user)
        restore_resident(db.session, resident, actor_id=user.id)
        db.session.commit()
        return register.resident_detail(db.session, resident.id, user)


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
