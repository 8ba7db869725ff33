"""The kinds of form field: how each answer type is checked, with its ranges and messages.

`formrules.form_schema` puts them together per form version; the PWA mirrors them (see
docs/forms.md), so phone and server agree on types and ranges per field.
"""

from __future__ import annotations

import math
import re
import uuid
from datetime import date
from typing import Any

from marshmallow import ValidationError, fields

EARLIEST_DATE = date(1900, 1, 1)
TEXT_MAX_LENGTH = 1000
SYSTOLIC_RANGE = (60, 280)
DIASTOLIC_RANGE = (30, 200)
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The hyphenated form only, as the phone sends and checks it (not braces, URNs or bare hex).
UUID_PATTERN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


def is_number(value: Any) -> bool:
    """A JSON number: int or finite float, never a bool or a numeric string."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return not (isinstance(value, float) and not math.isfinite(value))


def _fmt(number: float | int) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def unit_text(unit: str | dict[str, str] | None, lang: str = "en") -> str:
    """A field's unit as written: a plain string, or `{zh, en}` where the words differ."""
    if isinstance(unit, dict):
        return unit.get(lang) or unit.get("zh") or ""
    return unit or ""


def _range_problem(value: float, spec: dict[str, Any]) -> str | None:
    low, high, unit = spec.get("min"), spec.get("max"), unit_text(spec.get("unit"))
    suffix = f" {unit}" if unit else ""
    if low is not None and high is not None and not low <= value <= high:
        return f"Must be between {_fmt(low)} and {_fmt(high)}{suffix}."
    if low is not None and value < low:
        return f"Must be at least {_fmt(low)}{suffix}."
    if high is not None and value > high:
        return f"Must be at most {_fmt(high)}{suffix}."
    return None


def _within(value: float, spec: dict[str, Any]) -> bool:
    """Whether a number is inside the field's range (no message: the quick path of a check)."""
    low, high = spec.get("min"), spec.get("max")
    return (low is None or value >= low) and (high is None or value <= high)


class FormField(fields.Field):
    """Base for form field types: knows its definition entry (`spec`). None is unanswered."""

    def __init__(self, spec: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(allow_none=True, **kwargs)
        self.spec = spec

    def fail(self, message: str) -> ValidationError:
        return ValidationError(message)


class TextField(FormField):
    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        if not isinstance(value, str):
            raise self.fail("Enter text.")
        limit = self.spec.get("max_length", TEXT_MAX_LENGTH)
        if len(value) > limit:
            raise self.fail(f"Must be at most {limit} characters.")
        return value


class IntegerField(FormField):
    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> int:
        if type(value) is int and _within(value, self.spec):  # the usual answer, quickly
            return value
        if not is_number(value) or not float(value).is_integer():
            raise self.fail("Enter a whole number.")
        problem = _range_problem(value, self.spec)
        if problem:
            raise self.fail(problem)
        return int(value)


class DecimalField(FormField):
    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> float:
        quick = type(value) is int or (type(value) is float and math.isfinite(value))
        if quick and _within(value, self.spec):  # the usual answer, quickly
            return float(value)
        if not is_number(value):
            raise self.fail("Enter a number.")
        problem = _range_problem(value, self.spec)
        if problem:
            raise self.fail(problem)
        return float(value)


class DateField(FormField):
    """A calendar date; `not_future` is checked by the form schema against the caller's today."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> date:
        if not isinstance(value, str) or not DATE_PATTERN.match(value):
            raise self.fail("Enter a date as YYYY-MM-DD.")
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise self.fail("Enter a real date.") from None
        if day < EARLIEST_DATE:
            raise self.fail("Enter a real date.")
        return day


class ChoiceField(FormField):
    def __init__(self, spec: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(spec, **kwargs)
        self.allowed = tuple(option["value"] for option in spec["options"])

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        if not isinstance(value, str) or value not in self.allowed:
            raise self.fail("Choose one of the listed options.")
        return value


class MultiChoiceField(FormField):
    def __init__(self, spec: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(spec, **kwargs)
        self.allowed = tuple(option["value"] for option in spec["options"])
        # An `exclusive` option ("none") contradicts any other answer chosen with it.
        self.exclusive = {
            o["value"]: o["label"]["en"] for o in spec["options"] if o.get("exclusive")
        }

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> list[str]:
        allowed = self.allowed
        if not isinstance(value, list):
            raise self.fail("Choose from the listed options.")
        unknown = [v for v in value if not isinstance(v, str) or v not in allowed]
        if unknown:
            raise self.fail("Choose only from the listed options.")
        if len(set(value)) != len(value):
            raise self.fail("Choose each option only once.")
        if len(value) > 1:
            alone = next((v for v in value if v in self.exclusive), None)
            if alone is not None:
                raise self.fail(f'"{self.exclusive[alone]}" cannot be chosen with other options.')
        return value


class YesNoField(FormField):
    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.fail("Choose yes or no.")
        return value


class BloodPressureField(FormField):
    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> dict[str, int]:
        if type(value) is dict and len(value) == 2:  # the usual, valid answer, quickly
            systolic, diastolic = value.get("systolic"), value.get("diastolic")
            if (
                type(systolic) is int
                and type(diastolic) is int
                and SYSTOLIC_RANGE[0] <= systolic <= SYSTOLIC_RANGE[1]
                and DIASTOLIC_RANGE[0] <= diastolic <= DIASTOLIC_RANGE[1]
                and systolic > diastolic
            ):
                return {"systolic": systolic, "diastolic": diastolic}
        if not isinstance(value, dict) or set(value) != {"systolic", "diastolic"}:
            raise self.fail("Enter both systolic and diastolic pressure.")
        problems = []
        for part, (low, high) in (("systolic", SYSTOLIC_RANGE), ("diastolic", DIASTOLIC_RANGE)):
            number = value[part]
            if not is_number(number) or not float(number).is_integer():
                problems.append(f"{part.capitalize()} pressure must be a whole number.")
            elif not low <= number <= high:
                problems.append(
                    f"{part.capitalize()} pressure must be between {low} and {high} mmHg."
                )
        if problems:
            raise ValidationError(problems)
        if value["systolic"] <= value["diastolic"]:
            raise self.fail("Systolic pressure must be higher than diastolic pressure.")
        return {"systolic": int(value["systolic"]), "diastolic": int(value["diastolic"])}


class ResidentField(FormField):
    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        if not isinstance(value, str) or not UUID_PATTERN.fullmatch(value):
            raise self.fail("Choose a registered resident.")
        return str(uuid.UUID(value))


FIELD_TYPES: dict[str, type[FormField]] = {
    "text": TextField,
    "integer": IntegerField,
    "decimal": DecimalField,
    "date": DateField,
    "choice": ChoiceField,
    "multi_choice": MultiChoiceField,
    "yes_no": YesNoField,
    "blood_pressure": BloodPressureField,
    "resident": ResidentField,
}
