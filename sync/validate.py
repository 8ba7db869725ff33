"""Checking pushed field values: the same rules and error shape as the rest of the API.

`parse_fields` turns the wire `data` of one mutation into model values and per-field errors;
`check_state` checks rules that span fields on the row as it would be after the write. Form
fields inside a service record are checked by the injected form validator (the catalogue).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from server.domain.registry.idnumber import birth_date_of, id_number_problem
from server.domain.registry.tags import TAGS
from sync.entities import WRITABLE, as_uuid

Errors = dict[str, list[str]]
FormValidator = Callable[[Session, str, int, dict[str, Any]], dict[str, list[str]]]

REQUIRED_ON_CREATE: dict[str, tuple[str, ...]] = {
    "household": ("address",),
    "resident": ("name", "sex", "birth_date"),
    "service_record": ("form_code", "form_version", "visit_date"),
}
NULLABLE = {"household_id", "resident_id", "id_number", "phone"}
MAX_LENGTH = {"address": 255, "head_name": 100, "name": 100, "phone": 32, "form_code": 64}
# Creates may name their village (staff covering several); assistants default to their own.
CREATE_ONLY = ("village_id",)


class FieldError(ValueError):
    """One field's value is unusable; the message is shown to the assistant."""


def _text(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise FieldError("Not a valid string.")
    value = value.strip()
    if len(value) > MAX_LENGTH.get(name, 255):
        raise FieldError(f"Longer than maximum length {MAX_LENGTH.get(name, 255)}.")
    return value


def _uuid(value: Any) -> uuid.UUID:
    try:
        return as_uuid(value)
    except ValueError as exc:
        raise FieldError("Not a valid UUID.") from exc


def _date(value: Any, today: date) -> date:
    try:
        parsed = date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise FieldError("Not a valid date (YYYY-MM-DD).")
    if parsed > today:
        raise FieldError("This date is in the future.")
    return parsed


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise FieldError("Not a valid boolean.")
    return value


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise FieldError("Not a valid positive integer.")
    return value


def _id_number(value: Any) -> str | None:
    text = _text("id_number", value).upper()
    if not text:
        return None
    problem = id_number_problem(text)
    if problem:
        raise FieldError(problem)
    return text


def _tags(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise FieldError("Not a valid list of tags.")
    unknown = [t for t in value if t not in TAGS]
    if unknown:
        raise FieldError(f"Unknown tags: {', '.join(unknown)}.")
    return list(dict.fromkeys(value))


def _sex(value: Any) -> str:
    if value not in ("M", "F"):
        raise FieldError("Must be one of: M, F.")
    return value


def _form_data(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise FieldError("Not a valid object.")
    return value


def _parse_one(name: str, value: Any, today: date) -> Any:
    if value is None:
        if name in NULLABLE:
            return None
        raise FieldError("Field may not be null.")
    if name in ("household_id", "resident_id"):
        return _uuid(value)
    if name in ("birth_date", "visit_date"):
        return _date(value, today)
    if name == "low_income":
        return _bool(value)
    if name in ("form_version", "village_id"):
        return _int(value)
    if name == "id_number":
        return _id_number(value)
    if name == "tags":
        return _tags(value)
    if name == "sex":
        return _sex(value)
    if name == "data":
        return _form_data(value)
    text = _text(name, value)
    if not text and name in ("address", "name", "form_code"):
        raise FieldError("Field may not be blank.")
    return text


def parse_fields(
    entity: str, data: Any, *, creating: bool, today: date
) -> tuple[dict[str, Any], Errors]:
    """Model values for the fields present in `data`, and errors for the ones that are wrong."""
    if not isinstance(data, dict):
        return {}, {"data": ["Not a valid object."]}
    allowed = WRITABLE[entity] + (CREATE_ONLY if creating else ())
    values: dict[str, Any] = {}
    errors: Errors = {}
    for name, value in data.items():
        if name not in allowed:
            errors[name] = ["Unknown field."]
            continue
        try:
            values[name] = _parse_one(name, value, today)
        except FieldError as exc:
            errors[name] = [str(exc)]
    if creating:
        for name in REQUIRED_ON_CREATE[entity]:
            if name not in data:
                errors.setdefault(name, ["Missing data for required field."])
    return values, errors


def check_state(
    session: Session,
    entity: str,
    state: dict[str, Any],
    form_validator: FormValidator | None,
) -> Errors:
    """Rules over the whole row as it would be stored (JSON values, as in a snapshot)."""
    errors: Errors = {}
    if entity == "resident" and state.get("id_number") and state.get("birth_date"):
        born = birth_date_of(state["id_number"])
        if born is not None and born.isoformat() != state["birth_date"]:
            errors["id_number"] = ["The birth date in this ID number differs from the birth date."]
    if entity == "service_record" and form_validator is not None:
        problems = form_validator(
            session, state["form_code"], state["form_version"], state.get("data") or {}
        )
        form_errors: dict[str, list[str]] = {}
        for name, messages in problems.items():
            if name in ("form_code", "form_version"):
                errors[name] = list(messages)
            else:
                form_errors[name] = list(messages)
        if form_errors:
            errors["data"] = form_errors  # type: ignore[assignment]
    return errors
