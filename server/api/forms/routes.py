"""The service catalogue: phones download form definitions, admins publish new versions."""

from __future__ import annotations

import hashlib
from typing import Any

from flask import jsonify, request
from flask.views import MethodView

from server.api.access import me, roles_required, signed_in
from server.api.blueprint import Blueprint
from server.api.forms.schemas import DefinitionSchema, FormListSchema, ListedDefinitionSchema
from server.core.problems import FORM_DEFINITION_INVALID, FORM_VERSION_EXISTS, Problem
from server.domain.records.catalogue import (
    CatalogueError,
    VersionConflict,
    check_catalogue_owner,
    listed_definitions,
    publish_definition,
)
from server.extensions import db

blp = Blueprint("forms", __name__, url_prefix="/api", description="Service forms")


def _listed(row) -> dict[str, Any]:
    return {**row.definition, "status": row.status}


@blp.route("/forms")
class Forms(MethodView):
    @signed_in
    @blp.response(200, FormListSchema)
    @blp.alt_response(304, description="Not modified: the phone's cached list (If-None-Match).")
    def get(self):
        """Current and still-accepted form definitions, with an ETag for the phone's cache."""
        rows = listed_definitions(db.session)
        tag = hashlib.sha256(
            "|".join(f"{r.code}:{r.version}:{r.digest}:{r.status}" for r in rows).encode()
        ).hexdigest()[:32]
        response = jsonify({"forms": [_listed(row) for row in rows]})
        response.set_etag(tag)
        response.headers["Cache-Control"] = "private, no-cache"
        return response.make_conditional(request)

    @roles_required("admin")
    @blp.arguments(DefinitionSchema)
    @blp.response(201, ListedDefinitionSchema)
    def post(self, definition: dict[str, Any]):
        """Publish a new version of a form; earlier versions stay valid for their records.

        Every county on the server receives the catalogue, so only an admin whose county is the
        whole tree may publish (403 `catalogue_not_owned` on a server with several counties).
        """
        check_catalogue_owner(db.session, me().role, me().org_unit)
        try:
            row = publish_definition(db.session, definition, me().id)
        except VersionConflict as error:
            raise Problem(FORM_VERSION_EXISTS, error.message) from None
        except CatalogueError as error:
            raise Problem(FORM_DEFINITION_INVALID, error.message, error.errors) from None
        db.session.commit()
        return _listed(row)
