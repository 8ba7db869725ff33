"""The catalogue of problems: every refusal has a stable code and a message.

Flask-free, so services and the sync engine raise the same errors; `server.errors` only
serialises them.
"""

from __future__ import annotations

from typing import Any

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
}


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
