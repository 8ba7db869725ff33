"""Form fields as a reader sees them: the Chinese label and a printable value.

The review screen and the exports both show a record's `data` under the labels of the form
version it was filled with, so a record made with an older version keeps its own labels.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from server.domain.records.catalogue import get_definition
from server.domain.records.formfields import unit_text

YES_NO = {True: "是", False: "否"}


class DefinitionCache:
    """Definitions by (code, version), looked up once per request or export."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._seen: dict[tuple[str, int], dict[str, Any] | None] = {}

    def get(self, code: str, version: int) -> dict[str, Any] | None:
        key = (code, version)
        if key not in self._seen:
            self._seen[key] = get_definition(self._session, code, version)
        return self._seen[key]


def form_definition(session: Session, code: str, version: int) -> dict[str, Any] | None:
    """The definition of one form version, whatever its status (old records keep their labels)."""
    return get_definition(session, code, version)


def form_title(definition: dict[str, Any] | None, code: str) -> str:
    if not definition:
        return code
    return (definition.get("title") or {}).get("zh") or code


def field_label(field: dict[str, Any]) -> str:
    label = field.get("label") or {}
    return label.get("zh") or label.get("en") or field["name"]


def _option_label(field: dict[str, Any], value: Any) -> str:
    for option in field.get("options") or []:
        if option.get("value") == value:
            return (option.get("label") or {}).get("zh") or str(value)
    return str(value)


def display_value(field: dict[str, Any] | None, value: Any) -> str:
    """A value as a person reads it: option labels, 是/否, 140/90 mmHg; empty for no value."""
    if value is None or value == "" or value == []:
        return ""
    kind = (field or {}).get("type")
    if kind == "yes_no" and isinstance(value, bool):
        return YES_NO[value]
    if kind == "choice":
        return _option_label(field or {}, value)
    if kind == "multi_choice" and isinstance(value, list):
        return "、".join(_option_label(field or {}, item) for item in value)
    if kind == "blood_pressure" and isinstance(value, dict):
        return f"{value.get('systolic', '')}/{value.get('diastolic', '')}"
    if isinstance(value, bool):
        return YES_NO[value]
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    unit = unit_text((field or {}).get("unit"), "zh")
    return f"{value} {unit}" if unit and kind in ("integer", "decimal") else str(value)


def labelled_fields(
    definition: dict[str, Any] | None, data: dict[str, Any]
) -> list[dict[str, Any]]:
    """Every field of the form in its order, then any value the definition does not name."""
    fields = (definition or {}).get("fields") or []
    known = {field["name"] for field in fields}
    out = [
        {
            "name": field["name"],
            "label": field_label(field),
            "type": field.get("type"),
            "value": data.get(field["name"]),
            "display": display_value(field, data.get(field["name"])),
        }
        for field in fields
    ]
    out += [
        {
            "name": name,
            "label": name,
            "type": None,
            "value": value,
            "display": display_value(None, value),
        }
        for name, value in data.items()
        if name not in known
    ]
    return out
