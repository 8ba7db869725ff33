"""The org-unit tree within the caller's scope; an administrator edits and imports it."""

from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select

from server.api.access import STAFF, me, roles_required, signed_in
from server.api.blueprint import Blueprint
from server.api.org_units.schemas import (
    ImportReportSchema,
    NewOrgUnitSchema,
    OrgImportSchema,
    OrgUnitChangeSchema,
    OrgUnitSchema,
    UnitSettingsChangeSchema,
    UnitSettingsSchema,
)
from server.api.uploads import sheet_of
from server.core.org import OrgUnit
from server.core.problems import ORG_UNIT_NOT_FOUND
from server.core.scope import get_in_scope, scoped
from server.domain.orgs import manage, settings
from server.domain.orgs.importing import apply_org_import, plan_org_import
from server.domain.orgs.rows import ALIASES
from server.extensions import db

blp = Blueprint("org_units", __name__, url_prefix="/api", description="Org units")


@blp.route("/org-units")
class OrgUnits(MethodView):
    @signed_in
    @blp.response(200, OrgUnitSchema(many=True))
    def get(self):
        """The caller's unit and every unit below it, parents before children."""
        stmt = scoped(select(OrgUnit), OrgUnit, me()).order_by(OrgUnit.path)
        return db.session.scalars(stmt).all()

    @roles_required("admin")
    @blp.arguments(NewOrgUnitSchema)
    @blp.response(201, OrgUnitSchema)
    def post(self, body):
        """Add a township or village under a unit of the county (its 12-digit code)."""
        parent = get_in_scope(db.session, OrgUnit, body.pop("parent_id"), me(), ORG_UNIT_NOT_FOUND)
        unit = manage.add_child(db.session, me(), parent, **body)
        db.session.commit()
        return unit


@blp.route("/org-units/<int:unit_id>")
class OrgUnitDetail(MethodView):
    @signed_in
    @blp.response(200, OrgUnitSchema)
    def get(self, unit_id: int):
        """One unit in scope."""
        return get_in_scope(db.session, OrgUnit, unit_id, me(), ORG_UNIT_NOT_FOUND)

    @roles_required("admin")
    @blp.arguments(OrgUnitChangeSchema)
    @blp.response(200, OrgUnitSchema)
    def patch(self, body, unit_id: int):
        """Rename a unit or correct its registered population."""
        unit = get_in_scope(db.session, OrgUnit, unit_id, me(), ORG_UNIT_NOT_FOUND)
        manage.update_unit(db.session, me(), unit, **body)
        db.session.commit()
        return unit

    @roles_required("admin")
    @blp.response(204)
    def delete(self, unit_id: int):
        """Remove a unit with nothing on it (no units below, accounts, residents or records)."""
        unit = get_in_scope(db.session, OrgUnit, unit_id, me(), ORG_UNIT_NOT_FOUND)
        manage.remove_unit(db.session, me(), unit)
        db.session.commit()


@blp.route("/org-units/import/preview")
class OrgUnitImportPreview(MethodView):
    @roles_required("admin")
    @blp.arguments(OrgImportSchema)
    @blp.response(200, ImportReportSchema)
    def post(self, body):
        """What importing this file would change in the caller's county; nothing is written."""
        sheet = sheet_of(body, ALIASES)
        plan = plan_org_import(
            db.session, sheet, scope=me().org_unit, allow_moves=body["allow_moves"]
        )
        db.session.rollback()
        return {"applied": False, **plan.report()}


@blp.route("/org-units/import")
class OrgUnitImport(MethodView):
    @roles_required("admin")
    @blp.arguments(OrgImportSchema)
    @blp.response(200, ImportReportSchema)
    def post(self, body):
        """Apply the file in one transaction; any bad row refuses it all (`import_has_errors`)."""
        sheet = sheet_of(body, ALIASES)
        actor = me()
        plan = plan_org_import(
            db.session, sheet, scope=actor.org_unit, allow_moves=body["allow_moves"]
        )
        report = apply_org_import(
            db.session, plan, actor_id=actor.id, source=body.get("filename") or "upload"
        )
        db.session.commit()
        return {"applied": True, **report}


def _settings_answer(unit: OrgUnit) -> dict:
    names = {u.id: u.name for u in settings.ancestry(db.session, unit)}
    return {
        "unit_id": unit.id,
        "own": dict(unit.settings or {}),
        "in_effect": {
            key: {"value": e.value, "source_id": e.source_id, "source_name": names.get(e.source_id)}
            for key, e in settings.in_effect(db.session, unit).items()
        },
        "choices": settings.choices(),
    }


@blp.route("/org-units/<int:unit_id>/settings")
class OrgUnitSettings(MethodView):
    @roles_required(*STAFF)
    @blp.response(200, UnitSettingsSchema)
    def get(self, unit_id: int):
        """A unit's settings: its own, and those in effect (inherited from its township or
        county where it sets none, else the default)."""
        return _settings_answer(
            get_in_scope(db.session, OrgUnit, unit_id, me(), ORG_UNIT_NOT_FOUND)
        )

    @roles_required("admin")
    @blp.arguments(UnitSettingsChangeSchema)
    @blp.response(200, UnitSettingsSchema)
    def patch(self, body, unit_id: int):
        """Change some of a unit's own settings (null: inherit again); audited on the unit."""
        unit = get_in_scope(db.session, OrgUnit, unit_id, me(), ORG_UNIT_NOT_FOUND)
        settings.change_settings(db.session, me().id, unit, body)
        answer = _settings_answer(unit)
        db.session.commit()
        return answer
