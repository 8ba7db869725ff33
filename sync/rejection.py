"""Why a pushed mutation was not applied, and the `rejected` answer that says so."""

from __future__ import annotations

from typing import Any


class Rejection(Exception):
    """The mutation cannot be applied; nothing of it is written.

    `extra` holds keys the answer carries besides the usual ones (`server_version` of a
    `stale_version`, which the client rebases the edit on).
    """

    def __init__(
        self,
        code: str,
        message: str,
        errors: dict[str, Any] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.errors = errors or {}
        self.extra = extra or {}


def rejected(
    mutation: Any, code: str, message: str, errors: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    """The result of a mutation that changed nothing (works on malformed mutations too)."""
    get = mutation.get if isinstance(mutation, dict) else (lambda _key: None)
    return {
        "mutation_id": get("mutation_id"),
        "status": "rejected",
        "id": get("id"),
        "version": None,
        "code": code,
        "message": message,
        "errors": errors,
        **extra,
    }


def not_found(field: str, entity: str) -> Rejection:
    label = entity.replace("_", " ")
    return Rejection("not_found", f"The {label} was not found.", {field: [f"No such {label}."]})


def invalid(errors: dict[str, Any]) -> Rejection:
    return Rejection("validation_error", "The data did not pass validation.", errors)
