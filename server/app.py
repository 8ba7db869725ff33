"""The application factory: settings, extensions, blueprints, CLI and the PWA."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask, request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.routing import IntegerConverter

from server import (
    extensions,
    headers,
    tables,  # noqa: F401  (tables: every model registered)
)
from server.config import build_config, engine_options, limiter_storage_warning
from server.core import problems
from server.core.inputrules import MAX_ID
from server.core.problems import Problem
from server.domain.accounts.passwords import use_hash_cost
from server.errors import problem_response, register_error_handlers
from server.extensions import db, jwt, limiter, migrate
from server.json_provider import JSONProvider

MIGRATIONS = str(Path(__file__).parent / "migrations")


def create_app(
    test_config: dict[str, Any] | None = None, instance_path: str | None = None
) -> Flask:
    """Application factory; `test_config` overrides settings for tests and tools, and
    `instance_path` moves `instance/` (secrets, the default SQLite file) elsewhere."""
    app = Flask(
        __name__, instance_path=instance_path, instance_relative_config=True, static_folder=None
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(build_config(app.instance_path))
    if test_config:
        app.config.update(test_config)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config)
    use_hash_cost(str(app.config["PASSWORD_HASH_COST"]))
    app.json = JSONProvider(app)
    app.url_map.converters["int"] = RowIdConverter

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS)
    jwt.init_app(app)
    limiter.init_app(app)
    _warn_unshared_limiter(app)
    extensions.api.init_app(app)
    _register_jwt_callbacks()
    register_error_handlers(app)
    app.before_request(_refuse_long_chunked_body)
    headers.init_app(app)

    from server.api import blueprints

    for blueprint in blueprints():
        extensions.api.register_blueprint(blueprint)

    from server import cli, web

    cli.register(app)
    app.register_blueprint(web.bp)
    return app


def _warn_unshared_limiter(app: Flask) -> None:
    """Say at start-up when the server's worker processes would each count sign-ins alone.

    `WEB_CONCURRENCY` is the worker count gunicorn (and most WSGI hosts) take by default;
    `deploy/gunicorn.conf.py` checks the count it really starts with as well.
    """
    workers = int(os.environ.get("WEB_CONCURRENCY") or 1)
    warning = limiter_storage_warning(workers, str(app.config["RATELIMIT_STORAGE_URI"]))
    if warning:
        app.logger.warning("UNSAFE SIGN-IN LIMIT: %s", warning)


class RowIdConverter(IntegerConverter):
    """`<int:...>` in a path: a row id, so a number past the id columns' range is a 404."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def _refuse_long_chunked_body() -> None:
    """A body without Content-Length (chunked) over MAX_CONTENT_LENGTH is a 413 as well.

    Werkzeug stops reading such a stream at the limit without saying so, and the cut body
    then reads as invalid JSON.
    """
    limit = request.max_content_length
    unsized = request.content_length is None and request.method != "GET"
    if unsized and limit is not None and len(request.get_data(cache=True)) >= limit:
        raise RequestEntityTooLarge()


def _register_jwt_callbacks() -> None:
    """Token problems answer 401 in the project's error shape, never flask-jwt's own."""
    from server.domain.accounts.auth import is_revoked
    from server.domain.accounts.model import User
    from server.domain.accounts.revocation import session_refusal

    @jwt.user_lookup_loader
    def _load_user(_header, payload):
        return db.session.get(User, int(payload["sub"]))

    @jwt.token_in_blocklist_loader
    def _revoked(_header, payload) -> bool:
        return is_revoked(db.session, payload)

    @jwt.unauthorized_loader
    def _missing(reason: str):
        return problem_response(Problem(problems.MISSING_TOKEN, reason=reason))

    @jwt.invalid_token_loader
    def _invalid(reason: str):
        return problem_response(Problem(problems.INVALID_TOKEN, reason=reason))

    @jwt.expired_token_loader
    def _expired(_header, _payload):
        return problem_response(Problem(problems.TOKEN_EXPIRED))

    @jwt.revoked_token_loader
    def _revoked_answer(_header, payload):
        # A revoked device or a deactivated account is told so (its phone then wipes itself);
        # any other ended session is a plain 401 after which the phone keeps its data.
        problem = session_refusal(db.session, payload)
        return problem_response(problem if problem is not None else Problem(problems.TOKEN_REVOKED))

    @jwt.user_lookup_error_loader
    def _no_user(_header, _payload):
        return problem_response(Problem(problems.TOKEN_REVOKED))

    @jwt.needs_fresh_token_loader
    def _not_fresh(_header, _payload):
        return problem_response(Problem(problems.FRESH_TOKEN_REQUIRED))

    @jwt.token_verification_failed_loader
    def _failed(_header, _payload):
        return problem_response(
            Problem(problems.INVALID_TOKEN, reason="its claims were not accepted.")
        )
