"""Conditions on one answer, the grammar danger values (and form effects) are written in.

`{"field": name, "part": "systolic" | "diastolic", one of "gte" | "lte" | "equals" | "in" |
"includes"}` (docs/forms.md, *Danger values*), the one grammar of a danger's `any` and an
effect's `when`. `condition_met` is the one evaluator of both: the field shown, its answer given
and valid for its own field, and the answer meeting the condition. The phone mirrors this in
pwa/js/danger.js.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from marshmallow import ValidationError

from server.domain.records.formfields import FIELD_TYPES, is_number

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


def answer_valid(spec: dict[str, Any], answer: Any) -> bool:
    """Whether an answer passes its own field's checks (type, range, options)."""
    try:
        FIELD_TYPES[spec["type"]](spec).deserialize(answer)
    except ValidationError:
        return False
    return True


def condition_met(
    condition: dict[str, Any],
    specs: dict[str, dict[str, Any]],
    shown: Collection[str],
    data: dict[str, Any],
) -> bool:
    """A danger's or an effect's condition on a record: a shown, valid answer that meets it."""
    name = condition["field"]
    if name not in shown or name not in specs:
        return False
    answer = data.get(name)
    return answer_valid(specs[name], answer) and condition_holds(condition, answer)
