"""Why a pushed mutation was not applied, and the `rejected` answer that says so.

A rejection is a `Problem` from the one catalogue (`server.core.problems`): the phone reads the
same codes in a push result as in any API error.
"""

from __future__ import annotations

from typing import Any

from server.core.inputrules import value_problems
from server.core.problems import NOT_FOUND, VALIDATION_ERROR, Problem, ProblemType, problem_type


class Rejection(Problem):
    """The mutation cannot be applied; nothing of it is written.

    `code` names a catalogue problem (an unknown one fails at once). `extra` holds keys the
    answer carries besides the usual ones (`server_version` of a `stale_version`, which the
    client rebases the edit on).
    """

    def __init__(
        self,
        code: str | ProblemType,
        message: str | None = None,
        errors: dict[str, Any] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(code, message, errors)
        self.extra = extra or {}


def rejected(
    mutation: Any, code: str, message: str, errors: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    """The result of a mutation that changed nothing (works on malformed mutations too).

    Its mutation_id and id are echoed only when they can be written back as JSON text.
    """
    get = mutation.get if isinstance(mutation, dict) else (lambda _key: None)
    mutation_id, ident = get("mutation_id"), get("id")
    return {
        "mutation_id": None if value_problems(mutation_id) else mutation_id,
        "status": "rejected",
        "id": None if value_problems(ident) else ident,
        "version": None,
        "code": problem_type(code).code,
        "message": message,
        "errors": errors,
        **extra,
    }


def not_found(field: str, entity: str) -> Rejection:
    label = entity.replace("_", " ")
    return Rejection(NOT_FOUND, f"The {label} was not found.", {field: [f"No such {label}."]})


def invalid(errors: dict[str, Any]) -> Rejection:
    return Rejection(VALIDATION_ERROR, errors=errors)
