"""Form data validation built from a definition: one marshmallow schema per form version.

The rules here are mirrored by the PWA (see docs/forms.md), so phone and server agree:
types and ranges per field, `required` only for visible fields, hidden fields must be empty.
"""

from __future__ import annotations

import math
import re
import uuid
from datetime import date
from typing import Any, ClassVar

from marshmallow import RAISE, Schema, ValidationError, fields, pre_load, validates_schema
from marshmallow.experimental.context import Context

from server.core.clock import local_today

# Every county this serves keeps China Standard Time; "today" for not_future is that date.
EARLIEST_DATE = date(1900, 1, 1)
TEXT_MAX_LENGTH = 1000
SYSTOLIC_RANGE = (60, 280)
DIASTOLIC_RANGE = (30, 200)
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The hyphenated form only, as the phone sends and checks it (not braces, URNs or bare hex).
UUID_PATTERN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)

REQUIRED = "This field is required."


def is_number(value: Any) -> bool:
    """A JSON number: int or finite float, never a bool or a numeric string."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return not (isinstance(value, float) and not math.isfinite(value))


def _fmt(number: float | int) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _range_problem(value: float, spec: dict[str, Any]) -> str | None:
    low, high, unit = spec.get("min"), spec.get("max"), spec.get("unit")
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

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> list[str]:
        allowed = self.allowed
        if not isinstance(value, list):
            raise self.fail("Choose from the listed options.")
        unknown = [v for v in value if not isinstance(v, str) or v not in allowed]
        if unknown:
            raise self.fail("Choose only from the listed options.")
        if len(set(value)) != len(value):
            raise self.fail("Choose each option only once.")
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


def _same(a: Any, b: Any) -> bool:
    """Equality that keeps `True` and `1` apart, as JavaScript's `===` does."""
    return type(a) is type(b) and a == b


def condition_met(show_if: dict[str, Any], value: Any) -> bool:
    """Whether a controlling field's answer shows the dependent field (lists: any selected)."""
    return _answered_so(value, _wanted(show_if))


def _wanted(show_if: dict[str, Any]) -> tuple[Any, ...]:
    """The answers of a `show_if` rule that show its field."""
    return (show_if["equals"],) if "equals" in show_if else tuple(show_if["in"])


def _answered_so(value: Any, wanted: tuple[Any, ...]) -> bool:
    if isinstance(value, list):
        return any(_same(answer, w) for answer in value for w in wanted)
    kind = type(value)
    return any(type(w) is kind and value == w for w in wanted)


def visible_fields(definition: dict[str, Any], data: dict[str, Any]) -> set[str]:
    """Fields shown for this data; a field hidden by a hidden field is hidden too."""
    shown: set[str] = set()
    for spec in definition["fields"]:
        rule = spec.get("show_if")
        if rule is None or (
            rule["field"] in shown and condition_met(rule, data.get(rule["field"]))
        ):
            shown.add(spec["name"])
    return shown


def is_blank(value: Any) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


class FormSchema(Schema):
    """What each form version becomes: its fields as marshmallow fields, its rules as hooks.

    `form_schema` builds one subclass per definition (the catalogue caches it per version).
    `required` and `show_if` are decided first, on the answers as sent: a blank or hidden answer
    is wrong whatever its type, so it is taken out before the fields judge types and its rule's
    message alone is reported. `not_future` comes last, against the caller's "today". Both
    hooks share the call's `Context` (marshmallow's context variable), so a cached schema serves
    concurrent requests.
    """

    class Meta:
        unknown = RAISE

    # (name, controlling field or None, answers that show it, required), in definition order.
    rules: ClassVar[tuple[tuple[str, str | None, tuple[Any, ...], bool], ...]] = ()
    not_future: ClassVar[tuple[str, ...]] = ()

    def errors(self, data: Any, today: date | None = None) -> dict[str, list[str]]:
        """Problems per field; empty when the data is valid for this form version."""
        return self.validate(data, today=today)

    def validate(self, data: Any, *, today: date | None = None, **kwargs: Any) -> dict:
        with Context({"today": today, "refused": {}}):
            return super().validate(data, **kwargs)

    def load(self, data: Any, *, today: date | None = None, **kwargs: Any) -> Any:
        with Context({"today": today, "refused": {}}):
            return super().load(data, **kwargs)

    @pre_load
    def _apply_rules(self, data: Any, **_kwargs: Any) -> dict[str, Any]:
        # As `visible_fields`: shown when it has no rule, or its controlling field is shown and
        # answered so (a rule names an earlier field, so one pass in order suffices).
        if not isinstance(data, dict):
            raise ValidationError("Form data must be an object of field answers.")
        shown: set[str] = set()
        refused: dict[str, list[str]] = Context.get()["refused"]
        for name, controller, wanted, required in self.rules:
            value = data.get(name)
            if controller is None or (
                controller in shown and _answered_so(data.get(controller), wanted)
            ):
                shown.add(name)
                if required and is_blank(value):
                    refused[name] = [REQUIRED]
            elif value is not None:
                refused[name] = [f"Must be empty: this question depends on {controller}."]
        return {k: v for k, v in data.items() if k not in refused} if refused else data

    @validates_schema(skip_on_field_errors=False)
    def _rule_problems(self, data: dict[str, Any], **_kwargs: Any) -> None:
        context = Context.get()
        problems = context["refused"]
        if self.not_future:
            today = context["today"] or local_today()
            for name in self.not_future:
                answer = data.get(name)
                if isinstance(answer, date) and answer > today:
                    problems[name] = ["Must not be in the future."]
        if problems:
            raise ValidationError(problems)


def form_schema(definition: dict[str, Any]) -> FormSchema:
    """The marshmallow schema of one form version, built from its definition."""
    specs = definition["fields"]
    # Fields sit on the class under a prefix, so a question may be called `fields` or `load`
    # without hiding the Schema's own; answers in and out keep the question's name.
    attributes: dict[str, Any] = {
        f"q_{spec['name']}": FIELD_TYPES[spec["type"]](
            spec, data_key=spec["name"], attribute=spec["name"]
        )
        for spec in specs
    }
    attributes["rules"] = tuple(
        (
            spec["name"],
            spec["show_if"]["field"] if spec.get("show_if") else None,
            _wanted(spec["show_if"]) if spec.get("show_if") else (),
            bool(spec.get("required")),
        )
        for spec in specs
    )
    attributes["not_future"] = tuple(spec["name"] for spec in specs if spec.get("not_future"))
    name = f"Form_{definition['code']}_v{definition['version']}"
    return type(name, (FormSchema,), attributes)()
