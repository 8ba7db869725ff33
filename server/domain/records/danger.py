"""Danger values a record's answers meet: rules of the definition, not diagnoses.

A form's top-level `danger` list names conditions (BP >= 180/110, glucose >= 16.7 mmol/L, a
mother's danger signs) and the yes/no question "reported today" they make required
(formrules.py enforces that). `danger_flags` is what the workspace's red marks and the urgent
tasks read; the phone has the same function in pwa/js/danger.js.
"""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError

from server.domain.records.conditions import condition_holds
from server.domain.records.formfields import FIELD_TYPES
from server.domain.records.formrules import is_blank, visible_fields


def _valid(spec: dict[str, Any], answer: Any) -> bool:
    """Whether an answer passes its own field's checks (type, range, options)."""
    try:
        FIELD_TYPES[spec["type"]](spec).deserialize(answer)
    except ValidationError:
        return False
    return True


def met_dangers(
    definition: dict[str, Any] | None, data: dict[str, Any]
) -> list[tuple[dict[str, Any], str]]:
    """(danger, the field of its first condition that holds) for each danger met, in order."""
    dangers = (definition or {}).get("danger") or []
    if not dangers:
        return []
    specs = {spec["name"]: spec for spec in definition["fields"]}
    shown = visible_fields(definition, data)

    def holds(condition: dict[str, Any]) -> bool:
        name = condition["field"]
        answer = data.get(name)
        if name not in shown or name not in specs or is_blank(answer):
            return False
        return _valid(specs[name], answer) and condition_holds(condition, answer)

    met = []
    for danger in dangers:
        held = next((c for c in danger["any"] if holds(c)), None)
        if held is not None:
            met.append((danger, held["field"]))
    return met


def danger_flags(definition: dict[str, Any] | None, data: dict[str, Any]) -> list[str]:
    """The ids of the dangers met, in definition order: any condition on a shown valid answer."""
    return [danger["id"] for danger, _field in met_dangers(definition, data)]
