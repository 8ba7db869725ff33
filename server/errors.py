"""The HTTP side of problems: it only serialises them as `{"code", "message", "errors"}`.

What a refusal means lives in `server.core.problems`; here a `Problem` becomes a response, and
the errors werkzeug, flask-smorest, webargs and flask-limiter raise become problems first.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, jsonify, request
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException, InternalServerError

from server.core import problems
from server.core.problems import Problem, ProblemType
from server.transactions import DatabaseBusy, is_database_busy

# Seconds a client is asked to wait after `database_busy`; clients add their own jitter.
BUSY_RETRY_AFTER = 1

# The problem each HTTP status werkzeug may raise stands for; others fall back by class.
BY_STATUS: dict[int, ProblemType] = {
    kind.status: kind
    for kind in (
        problems.BAD_REQUEST,
        problems.UNAUTHORIZED,
        problems.FORBIDDEN,
        problems.NOT_FOUND,
        problems.METHOD_NOT_ALLOWED,
        problems.PAYLOAD_TOO_LARGE,
        problems.UNSUPPORTED_MEDIA_TYPE,
        problems.VALIDATION_ERROR,
        problems.RATE_LIMITED,
        problems.INTERNAL_ERROR,
    )
}
PASSED_HEADERS = ("allow", "retry-after")


def problem_response(problem: Problem, status: int | None = None) -> Response:
    """The one JSON shape of an API error."""
    response = jsonify({"code": problem.code, "message": problem.message, "errors": problem.errors})
    response.status_code = status or problem.status
    response.headers.update(problem.headers)
    return response


def too_large(size: str) -> Problem:
    """A 413 that names the caps as numbers, so a client can split its batch to fit.

    The byte cap is the smaller of the push cap and the upload cap: a body within it is never
    refused for its size, whichever of the two checks would have caught it.
    """
    config = current_app.config
    limits = {
        "max_mutations": config["SYNC_MAX_MUTATIONS"],
        "max_bytes": min(config["SYNC_MAX_BYTES"], config["MAX_CONTENT_LENGTH"]),
    }
    return Problem(problems.PAYLOAD_TOO_LARGE, errors=limits, size=size, **limits)


def _flatten_webargs(messages: Any) -> dict[str, Any]:
    """webargs nests messages by location (`json`, `query`); clients want them by field."""
    if not isinstance(messages, dict):
        return {"_schema": messages}
    flat: dict[str, Any] = {}
    for location, fields in messages.items():
        if isinstance(fields, dict):
            flat.update(fields)
        else:
            flat[location] = fields
    return flat


def as_problem(error: HTTPException) -> Problem:
    """The catalogue's problem for an HTTP error raised outside our code."""
    status = error.code or 500
    kind = BY_STATUS.get(status) or (
        problems.BAD_REQUEST if status < 500 else problems.INTERNAL_ERROR
    )
    data = getattr(error, "data", None) or {}
    headers = {name: value for name, value in error.get_headers() if name.lower() in PASSED_HEADERS}
    if kind is problems.PAYLOAD_TOO_LARGE:
        return too_large(f"{request.content_length} bytes")
    if kind is problems.RATE_LIMITED:
        return Problem(kind, headers=headers, limit=error.description)
    if kind is problems.VALIDATION_ERROR:
        return Problem(kind, errors=_flatten_webargs(data.get("messages", {})))
    message = data.get("message") if isinstance(data, dict) else None
    if not message and (status == 400 or status not in BY_STATUS):
        message = error.description  # werkzeug's says what was wrong (the JSON, say)
    return Problem(kind, message, headers=headers)


def http_error_response(error: HTTPException) -> Response:
    """Answer any werkzeug or flask-smorest HTTP error in the project's shape."""
    return problem_response(as_problem(error), error.code)


def register_error_handlers(app: Flask) -> None:
    """JSON errors under /api; the PWA's own paths keep Flask's defaults."""

    @app.errorhandler(Problem)
    def _problem(problem: Problem):
        return problem_response(problem)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if request.path.startswith("/api"):
            return http_error_response(error)
        return error

    @app.errorhandler(DatabaseBusy)
    @app.errorhandler(DBAPIError)
    def _database_error(error: Exception):
        """Lock contention that outlasted the busy timeout is a 503 to retry, never a 500."""
        if not is_database_busy(error):
            return _unexpected(error)
        current_app.extensions["sqlalchemy"].session.rollback()
        current_app.logger.warning("Database busy: %s %s: %s", request.method, request.path, error)
        busy = Problem(problems.DATABASE_BUSY, headers={"Retry-After": str(BUSY_RETRY_AFTER)})
        if request.path.startswith("/api"):
            return problem_response(busy)
        response = Response("The server is busy; try again in a moment.", status=503)
        response.headers["Retry-After"] = str(BUSY_RETRY_AFTER)
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        if request.path.startswith("/api"):
            return problem_response(Problem(problems.INTERNAL_ERROR))
        return InternalServerError()
