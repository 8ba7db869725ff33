"""The HTTP side of problems: every API error answered as `{"code", "message", "errors"}`."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, jsonify, request
from werkzeug.exceptions import HTTPException, InternalServerError

from server.core.problems import CODES, ApiError


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

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        if request.path.startswith("/api"):
            return error_body(500)
        return InternalServerError()
