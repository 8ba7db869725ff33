"""The shape of the rule keys issue 17 added to form definitions (docs/forms.md).

Ages with units, `visit_offset_days`, `not_before_field`, `compute`, `suggest` and `danger`:
their own shape here as marshmallow pieces, and how they fit the form's other fields as plain
functions that `formschema.DefinitionSchema` calls with the fields seen so far.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from server.domain.records.conditions import BP_PARTS, OPERATORS
from server.domain.records.daterules import COMPUTE_KINDS, compute_source
from server.domain.registry.tags import AGE_UNITS

# Rough lengths, only to tell a `min_age` above a `max_age` given in other units.
APPROX_DAYS = {"days": 1, "weeks": 7, "months": 30.44, "years": 365.25}
NUMERIC = ("integer", "decimal")
EQUATABLE = ("integer", "decimal", "choice", "yes_no")
SUGGEST_SHAPE = (
    'suggest is {"count_prior": form}, {"count_prior": {"form": form, "since_field": date '
    'field}} or {"nearest_age_point": true}.'
)


class AgeSchema(Schema):
    value = fields.Integer(strict=True, required=True, validate=validate.Range(0, 54750))
    unit = fields.String(
        required=True,
        validate=validate.OneOf(AGE_UNITS, error="unit must be days, weeks, months or years."),
    )


class Age(fields.Field):
    """An age: whole years (an integer, as in v1 files) or `{"value": n, "unit": …}`."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, dict):
            return AgeSchema().load(value)
        if type(value) is not int or not 0 <= value <= 150:
            raise ValidationError("An age is whole years (0-150) or {value, unit}.")
        return value


def age_value(age: int | dict[str, Any]) -> tuple[int, str]:
    """(value, unit) of an age as written: a bare integer counts whole years."""
    return (age, "years") if isinstance(age, int) else (age["value"], age["unit"])


def approx_days(age: int | dict[str, Any]) -> float:
    value, unit = age_value(age)
    return value * APPROX_DAYS[unit]


class OffsetSchema(Schema):
    min = fields.Integer(strict=True, required=True, validate=validate.Range(-36500, 36500))
    max = fields.Integer(strict=True, required=True, validate=validate.Range(-36500, 36500))

    @validates_schema
    def _in_order(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["min"] > data["max"]:
            raise ValidationError("`min` must not be greater than `max`.", "min")


class AddDaysSchema(Schema):
    field = fields.String(required=True)
    days = fields.Integer(strict=True, required=True, validate=validate.Range(-36500, 36500))


class Compute(fields.Field):
    """`{"add_days": {field, days}}`, `{"weeks_since": field}` or `{"days_since": field}`."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, dict) or len(value) != 1 or next(iter(value)) not in COMPUTE_KINDS:
            raise ValidationError("compute is one of add_days, weeks_since or days_since.")
        kind, rule = next(iter(value.items()))
        if kind == "add_days":
            return {kind: AddDaysSchema().load(rule)}
        if not isinstance(rule, str):
            raise ValidationError(f"{kind} names an earlier date field.")
        return {kind: rule}


class Suggest(fields.Field):
    """`{"count_prior": "<form code>"}` or `{"nearest_age_point": true}`."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if value == {"nearest_age_point": True} and type(value["nearest_age_point"]) is bool:
            return value
        code = value.get("count_prior") if isinstance(value, dict) and len(value) == 1 else None
        if isinstance(code, dict) and set(code) == {"form", "since_field"}:
            code = code["form"] if isinstance(code["since_field"], str) else None
        if not isinstance(code, str) or not code:
            raise ValidationError(SUGGEST_SHAPE)
        return value


_ConditionFields = Schema.from_dict(
    {
        "field": fields.String(required=True),
        "part": fields.String(validate=validate.OneOf(BP_PARTS)),
        "gte": fields.Raw(),
        "lte": fields.Raw(),
        "equals": fields.Raw(),
        "in": fields.List(fields.Raw(), validate=validate.Length(min=1)),
        "includes": fields.List(fields.String(), validate=validate.Length(min=1)),
    }
)


class ConditionSchema(_ConditionFields):  # type: ignore[misc, valid-type]
    """One condition on an answer (conditions.py); how it fits its field: `condition_problem`."""

    @validates_schema
    def _one_operator(self, data: dict[str, Any], **kwargs: Any) -> None:
        given = [key for key in OPERATORS if key in data]
        if len(given) != 1:
            raise ValidationError("Give exactly one of gte, lte, equals, in or includes.")
        for key in ("gte", "lte"):
            bound = data.get(key)
            if key in data and (isinstance(bound, bool) or not isinstance(bound, int | float)):
                raise ValidationError(f"`{key}` must be a number.", key)
        if "equals" in data and data["equals"] is None:
            raise ValidationError("`equals` cannot be null.", "equals")


def condition_problem(condition: dict[str, Any], specs: dict[str, dict[str, Any]]) -> str | None:
    """A condition must name a field of the form, with an operator and values its answers fit."""
    spec = specs.get(condition["field"])
    if spec is None:
        return f"{condition['field']!r} is not a field of this form."
    kind = spec["type"]
    if (kind == "blood_pressure") != ("part" in condition):
        return "`part` (systolic or diastolic) is needed for blood_pressure fields, and only there."
    if ("gte" in condition or "lte" in condition) and kind not in (*NUMERIC, "blood_pressure"):
        return "gte and lte compare integer, decimal or blood_pressure answers."
    if "includes" in condition and kind != "multi_choice":
        return "includes applies to multi_choice fields."
    if ("equals" in condition or "in" in condition) and kind not in EQUATABLE:
        return "equals and in compare integer, decimal, choice or yes_no answers."
    wanted = condition.get("includes") or condition.get("in") or [condition.get("equals")]
    if kind in ("choice", "multi_choice") and "gte" not in condition and "lte" not in condition:
        values = {option["value"] for option in spec["options"]}
        if any(not isinstance(w, str) or w not in values for w in wanted):
            return f"The condition compares {spec['name']!r} with a value it cannot have."
    if kind == "yes_no" and any(not isinstance(w, bool) for w in wanted):
        return f"{spec['name']!r} is yes/no: compare it with true or false."
    numbers = all(not isinstance(w, bool) and isinstance(w, int | float) for w in wanted)
    if kind in NUMERIC and ("equals" in condition or "in" in condition) and not numbers:
        return f"{spec['name']!r} is a number: compare it with numbers."
    return None


def field_rule_problems(
    spec: dict[str, Any], earlier: dict[str, dict[str, Any]], types: dict[str, str]
) -> dict[str, list[str]]:
    """How one field's new rule keys fit the fields before it (and, for a `since_field`, the
    form's field `types`); empty when they do."""
    errors: dict[str, list[str]] = {}
    other = spec.get("not_before_field")
    if other is not None and earlier.get(other, {}).get("type") != "date":
        errors["not_before_field"] = ["not_before_field must name an earlier date field."]
    compute = spec.get("compute")
    if compute is not None:
        kind = next(iter(compute))
        source = compute_source(compute)
        if spec.get("required"):
            errors["compute"] = ["A computed field cannot be required."]
        elif COMPUTE_KINDS[kind] != spec["type"]:
            errors["compute"] = [f"{kind} is for {COMPUTE_KINDS[kind]} fields."]
        elif earlier.get(source, {}).get("type") != "date":
            errors["compute"] = [f"{kind} must name an earlier date field, not {source!r}."]
    suggest = spec.get("suggest")
    if suggest is not None:
        problem = _suggest_problem(spec, suggest, types)
        if problem:
            errors["suggest"] = [problem]
    if any("at" in option for option in spec.get("options") or []) and spec["type"] != "choice":
        errors["options"] = ["Only choice options take `at`."]
    return errors


def _suggest_problem(
    spec: dict[str, Any], suggest: dict[str, Any], types: dict[str, str]
) -> str | None:
    if "count_prior" in suggest:
        since = suggest["count_prior"]
        if isinstance(since, dict) and types.get(since["since_field"]) != "date":
            return "since_field must name a date field of the form."
        return None if spec["type"] == "integer" else "count_prior suggests an integer field."
    if spec["type"] != "choice":
        return "nearest_age_point suggests a choice field."
    if not all("at" in option for option in spec["options"]):
        return "nearest_age_point needs an `at` age on every option."
    return None


def danger_problems(
    dangers: list[dict[str, Any]], specs: dict[str, dict[str, Any]]
) -> dict[int, dict[str, Any]]:
    """How each danger value fits the form: its conditions' fields, its `requires` yes/no."""
    errors: dict[int, dict[str, Any]] = {}
    seen: set[str] = set()
    for index, danger in enumerate(dangers):
        found: dict[str, Any] = {}
        if danger["id"] in seen:
            found["id"] = ["Danger ids must be unique within a form."]
        seen.add(danger["id"])
        if specs.get(danger["requires"], {}).get("type") != "yes_no":
            found["requires"] = ["requires must name a yes_no field of this form."]
        conditions = {
            at: [problem]
            for at, condition in enumerate(danger["any"])
            if (problem := condition_problem(condition, specs))
        }
        if conditions:
            found["any"] = conditions
        if found:
            errors[index] = found
    return errors
