"""Dates relative to the visit and to each other, and the fields computed from them.

`visit_offset_days` bounds a date by the record's visit date, `not_before_field` orders two
dates, `compute` derives a date (EDD = LMP + 280 days) or a count of days or weeks up to the
visit (gestational weeks). The phone mirrors each in pwa/js/formrules.js (docs/forms.md).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

COMPUTE_KINDS = {"add_days": "date", "weeks_since": "integer", "days_since": "integer"}


def offset_problem(answer: date, visit: date, low: int, high: int) -> str | None:
    """Why `answer` lies outside [low, high] days from the visit, worded by the bounds' side."""
    if low <= (answer - visit).days <= high:
        return None
    if high <= 0:
        return f"Must be between {-high} and {-low} days before the visit date."
    if low >= 0:
        return f"Must be between {low} and {high} days after the visit date."
    return f"Must be from {-low} days before to {high} days after the visit date."


def compute_source(compute: dict[str, Any]) -> str:
    """The date field a computed field is derived from."""
    kind = next(iter(compute))
    value = compute[kind]
    return value["field"] if kind == "add_days" else value


def computed_value(compute: dict[str, Any], source: date, visit: date) -> date | int:
    """The answer a computed field must hold, given its source date and the visit date."""
    kind = next(iter(compute))
    if kind == "add_days":
        return source + timedelta(days=compute[kind]["days"])
    days = (visit - source).days
    return days // 7 if kind == "weeks_since" else days


def computed_problem(compute: dict[str, Any], answer: Any, source: Any, visit: date) -> str | None:
    """The `computed` message when the answer is not what its source makes (or must be empty)."""
    name = compute_source(compute)
    if not isinstance(source, date):
        if answer is None:
            return None
        return f"Must be empty: it is computed from {name}."
    expected = computed_value(compute, source, visit)
    if answer == expected and type(answer) is type(expected):
        return None
    shown = expected.isoformat() if isinstance(expected, date) else expected
    return f"Must be {shown}: it is computed from {name}."
