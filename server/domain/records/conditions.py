"""Conditions on one answer, the grammar danger values (and form effects) are written in.

`{"field": name, "part": "systolic" | "diastolic", one of "gte" | "lte" | "equals" | "in" |
"includes"}` (docs/forms.md, *Danger values*). The caller decides that the field is shown and its
answer valid; the phone mirrors this in pwa/js/danger.js.
"""

from __future__ import annotations

from typing import Any

from server.domain.records.formfields import is_number

OPERATORS = ("gte", "lte", "equals", "in", "includes")
BP_PARTS = ("systolic", "diastolic")


def same_answer(answer: Any, wanted: Any) -> bool:
    """Equal as JSON answers: numbers by value (3 is 3.0), anything else of the same type only."""
    if is_number(answer) and is_number(wanted):
        return answer == wanted
    return type(answer) is type(wanted) and answer == wanted


def condition_holds(condition: dict[str, Any], answer: Any) -> bool:
    """Whether a shown, valid answer meets the condition (a multi_choice: any value chosen)."""
    part = condition.get("part")
    if part is not None:
        answer = answer.get(part) if isinstance(answer, dict) else None
    if "gte" in condition:
        return is_number(answer) and answer >= condition["gte"]
    if "lte" in condition:
        return is_number(answer) and answer <= condition["lte"]
    if "equals" in condition:
        return same_answer(answer, condition["equals"])
    if "in" in condition:
        return any(same_answer(answer, wanted) for wanted in condition["in"])
    chosen = answer if isinstance(answer, list) else []
    return any(same_answer(item, wanted) for item in chosen for wanted in condition["includes"])
