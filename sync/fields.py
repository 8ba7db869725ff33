"""Parsers of pushed field values, for specs to pick from: wire value -> model value.

Each takes the value and today's date and raises `FieldError` with the message the assistant
sees (the API's usual English marshmallow wording). A value may be null only where a parser is
wrapped in `nullable`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from server.core.inputrules import MAX_ID, date_problem, text_problem
from sync.entities import as_uuid

Parser = Callable[[Any, date], Any]


class FieldError(ValueError):
    """One field's value is unusable; the message is shown to the assistant."""


def _not_null(value: Any) -> None:
    if value is None:
        raise FieldError("Field may not be null.")


def nullable(parser: Parser) -> Parser:
    def parse(value: Any, today: date) -> Any:
        return None if value is None else parser(value, today)

    return parse


def text(max_length: int = 255, *, blank: bool = True) -> Parser:
    """A string, stripped, at most `max_length` long; `blank` False refuses an empty one."""

    def parse(value: Any, today: date) -> str:
        _not_null(value)
        if not isinstance(value, str):
            raise FieldError("Not a valid string.")
        problem = text_problem(value)
        if problem:
            raise FieldError(problem)
        value = value.strip()
        if len(value) > max_length:
            raise FieldError(f"Longer than maximum length {max_length}.")
        if not value and not blank:
            raise FieldError("Field may not be blank.")
        return value

    return parse


def ref(value: Any, today: date) -> uuid.UUID:
    """The id of another synced row."""
    _not_null(value)
    try:
        return as_uuid(value)
    except ValueError as exc:
        raise FieldError("Not a valid UUID.") from exc


def past_date(earliest: date) -> Parser:
    """A `YYYY-MM-DD` date from `earliest` (server/core/inputrules.py) up to today."""

    def parse(value: Any, today: date) -> date:
        _not_null(value)
        try:
            parsed = date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            parsed = None
        if parsed is None:
            raise FieldError("Not a valid date (YYYY-MM-DD).")
        problem = date_problem(parsed, earliest, today)
        if problem:
            raise FieldError(problem)
        return parsed

    return parse


def boolean(value: Any, today: date) -> bool:
    _not_null(value)
    if not isinstance(value, bool):
        raise FieldError("Not a valid boolean.")
    return value


def positive_int(value: Any, today: date) -> int:
    _not_null(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise FieldError(f"Not a valid positive integer (at most {MAX_ID}).")
    return value


def json_object(value: Any, today: date) -> dict[str, Any]:
    _not_null(value)
    if not isinstance(value, dict):
        raise FieldError("Not a valid object.")
    return value


def choice(*allowed: str) -> Parser:
    def parse(value: Any, today: date) -> str:
        _not_null(value)
        if value not in allowed:
            raise FieldError(f"Must be one of: {', '.join(allowed)}.")
        return value

    return parse
