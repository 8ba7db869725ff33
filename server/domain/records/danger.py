"""Danger values a record's answers meet: rules of the definition, not diagnoses.

A form's top-level `danger` list names conditions (BP >= 180/110, glucose >= 16.7 mmol/L, a
mother's danger signs) and the yes/no question "reported today" they make required
(formrules.py enforces that). `danger_flags` is what the workspace's red marks and the urgent
tasks read; the phone has the same function in pwa/js/danger.js.
"""

from __future__ import annotations

from typing import Any

from server.domain.records.conditions import condition_met
from server.domain.records.formrules import visible_fields


def met_dangers(
    definition: dict[str, Any] | None, data: dict[str, Any]
) -> list[tuple[dict[str, Any], str]]:
    """(danger, the field of its first condition that holds) for each danger met, in order."""
    dangers = (definition or {}).get("danger") or []
    if not dangers:
        return []
    specs = {spec["name"]: spec for spec in definition["fields"]}
    shown = visible_fields(definition, data)
    met = []
    for danger in dangers:
        held = next((c for c in danger["any"] if condition_met(c, specs, shown, data)), None)
        if held is not None:
            met.append((danger, held["field"]))
    return met


def danger_flags(definition: dict[str, Any] | None, data: dict[str, Any]) -> list[str]:
    """The ids of the dangers met, in definition order: any condition on a shown valid answer."""
    return [danger["id"] for danger, _field in met_dangers(definition, data)]
