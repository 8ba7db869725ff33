"""The error catalogue: every API error is `{"code", "message", "errors"}` with a stable code."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, jsonify, request
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException, InternalServerError

from server.transactions import DatabaseBusy, is_database_busy

CODES: dict[int, tuple[str, str]] = {
    400: ("bad_request", "The request could not be understood."),
    401: ("unauthorized", "Authentication is required."),
    403: ("forbidden", "You are not allowed to do this."),
    404: ("not_found", "Not found."),
    405: ("method_not_allowed", "This method is not allowed here."),
    409: ("conflict", "The request conflicts with the current state."),
    413: ("payload_too_large", "The request is too large."),
    415: ("unsupported_media_type", "Send JSON with Content-Type: application/json."),
    422: ("validation_error", "The data did not pass validation."),
    429: ("rate_limited", "Too many attempts; wait a moment and try again."),
    500: ("internal_error", "Something went wrong on the server; it has been logged."),
    503: ("service_unavailable", "The server cannot answer now; try again shortly."),
}

DATABASE_BUSY = "database_busy"
DATABASE_BUSY_MESSAGE = "服务器正忙，请稍后重试。The server is busy; try again in a moment."
# Seconds a client is asked to wait after `database_busy`; clients add their own jitter.
BUSY_RETRY_AFTER = 1


class ApiError(Exception):
    """A refusal a client can act on, raised from services and answered as JSON."""

    def __init__(
        self,
        status: int,
        code: str | None = None,
        message: str | None = None,
        errors: dict[str, Any] | None = None,
    ) -> None:
        default_code, default_message = CODES.get(status, ("error", "Error."))
        self.status = status
        self.code = code or default_code
        self.message = message or default_message
        self.errors = errors or {}
        super().__init__(self.message)


def error_body(status: int, code: str | None = None, message: str | None = None, errors=None):
    """The one JSON shape of an API error, as a Flask response."""
    default_code, default_message = CODES.get(status, ("error", "Error."))
    response = jsonify(
        {
            "code": code or default_code,
            "message": message or default_message,
            "errors": errors or {},
        }
    )
    response.status_code = status
    return response


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


def http_error_response(error: HTTPException):
    """Translate any werkzeug or flask-smorest HTTP error into the project's shape."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    errors = _flatten_webargs(data["messages"]) if "messages" in data else {}
    message = data.get("message") if isinstance(data, dict) else None
    if status == 422 and not message:
        message = CODES[422][1]
    if status == 429:
        message = f"{CODES[429][1]} (limit: {error.description})"
    if not message and error.description and status not in (404, 405, 500):
        message = error.description
    code = data.get("code") if isinstance(data.get("code"), str) else None
    response = error_body(status, code, message, errors)
    for header, value in getattr(error, "get_headers", lambda: [])():
        if header.lower() in ("allow", "retry-after"):
            response.headers[header] = value
    return response


def register_error_handlers(app: Flask) -> None:
    """JSON errors under /api; the PWA's own paths keep Flask's defaults."""

    @app.errorhandler(ApiError)
    def _api_error(error: ApiError):
        return error_body(error.status, error.code, error.message, error.errors)

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
        from server.extensions import db

        db.session.rollback()
        current_app.logger.warning("Database busy: %s %s: %s", request.method, request.path, error)
        if request.path.startswith("/api"):
            response = error_body(503, DATABASE_BUSY, DATABASE_BUSY_MESSAGE)
        else:
            response = error_body(503)
        response.headers["Retry-After"] = str(BUSY_RETRY_AFTER)
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        if request.path.startswith("/api"):
            return error_body(500)
        return InternalServerError()
