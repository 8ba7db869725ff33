"""Checking pushed field values: the same rules and error shape as the rest of the API.

`parse_fields` turns the wire `data` of one mutation into model values and per-field errors,
with the parsers the entity's spec names; the spec's `check` then judges the row as it would
be stored (rules that span fields, form data).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sync.fields import FieldError, positive_int
from sync.spec import EntitySpec

Errors = dict[str, Any]
# Creates may name their village (staff covering several); assistants default to their own.
CREATE_ONLY = {"village_id": positive_int}


def parse_fields(
    spec: EntitySpec, data: Any, *, creating: bool, today: date
) -> tuple[dict[str, Any], Errors]:
    """Model values for the fields present in `data`, and errors for the ones that are wrong."""
    if not isinstance(data, dict):
        return {}, {"data": ["Not a valid object."]}
    values: dict[str, Any] = {}
    errors: Errors = {}
    allowed = spec.pushable_fields()
    for name, value in data.items():
        parser = spec.fields.get(name) if name in allowed else None
        if parser is None and creating:
            parser = CREATE_ONLY.get(name)
        if parser is None:
            errors[name] = ["Read-only field." if name in spec.fields else "Unknown field."]
            continue
        try:
            values[name] = parser(value, today)
        except FieldError as exc:
            errors[name] = [str(exc)]
    if creating:
        for name in spec.required:
            if name not in data:
                errors.setdefault(name, ["Missing data for required field."])
    return values, errors
