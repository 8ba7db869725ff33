"""The shape of a form definition itself, checked before a definition is stored.

Both the files in server/forms/ and definitions published through the API pass this schema,
so every stored version can be turned into a validator and rendered by the phone.
"""

from __future__ import annotations

import re
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from server.domain.episodes.effects import EffectsField
from server.domain.records.formfields import FIELD_TYPES, is_number
from server.domain.records.ruleschema import (
    Age,
    Compute,
    ConditionSchema,
    OffsetSchema,
    Suggest,
    approx_days,
    danger_problems,
    field_rule_problems,
)
from server.domain.registry.model import TAGS

SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
OPTION_VALUE = re.compile(r"^[A-Za-z0-9_]+$")
CHOICE_TYPES = ("choice", "multi_choice")
CONTROLLING_TYPES = (*CHOICE_TYPES, "yes_no")
KEYS_BY_TYPE = {
    "unit": ("integer", "decimal", "blood_pressure"),
    "min": ("integer", "decimal"),
    "max": ("integer", "decimal"),
    "max_length": ("text",),
    "not_future": ("date",),
    "options": CHOICE_TYPES,
    "max_field": ("integer", "decimal"),
    "visit_offset_days": ("date",),
    "not_before_field": ("date",),
    "compute": ("date", "integer"),
    "suggest": ("integer", "choice"),
}
NUMBER_TYPES = ("integer", "decimal")


class Number(fields.Field):
    """A JSON number kept as given (no string coercion, no bools)."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if not is_number(value):
            raise ValidationError("Must be a number.")
        return value


class StrictBoolean(fields.Field):
    """true or false only: 1, "yes" and friends are mistakes in a definition."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise ValidationError("Must be true or false.")
        return value


def _snake(what: str) -> validate.Regexp:
    return validate.Regexp(SNAKE, error=f"{what} must be snake_case (a-z, 0-9, _).")


class LabelSchema(Schema):
    zh = fields.String(required=True, validate=validate.Length(min=1, max=200))
    en = fields.String(required=True, validate=validate.Length(min=1, max=200))


class UnitLabelSchema(Schema):
    zh = fields.String(required=True, validate=validate.Length(min=1, max=20))
    en = fields.String(required=True, validate=validate.Length(min=1, max=20))


class Unit(fields.Field):
    """A unit: one string for both languages ("kg"), or `{zh, en}` where they differ ("次/分")."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, dict):
            return UnitLabelSchema().load(value)
        if not isinstance(value, str) or not 1 <= len(value) <= 20:
            raise ValidationError("A unit is 1 to 20 characters, or {zh, en}.")
        return value


class OptionSchema(Schema):
    value = fields.String(
        required=True,
        validate=validate.Regexp(OPTION_VALUE, error="Option values use A-Z, a-z, 0-9 and _."),
    )
    label = fields.Nested(LabelSchema, required=True)
    exclusive = StrictBoolean()
    at = Age()  # the age point of a check-up option (`suggest: nearest_age_point`)


# `in` is a Python keyword, so the fields are declared by name.
_ShowIfFields = Schema.from_dict(
    {"field": fields.String(required=True), "equals": fields.Raw(), "in": fields.List(fields.Raw())}
)


class ShowIfSchema(_ShowIfFields):  # type: ignore[misc, valid-type]
    @validates_schema
    def _one_condition(self, data: dict[str, Any], **kwargs: Any) -> None:
        if ("equals" in data) == ("in" in data):
            raise ValidationError("Give exactly one of `equals` or `in`.")
        if "in" in data and not data["in"]:
            raise ValidationError("`in` needs at least one value.", "in")
        if "equals" in data and data["equals"] is None:
            raise ValidationError("`equals` cannot be null.", "equals")


class FieldSchema(Schema):
    name = fields.String(required=True, validate=_snake("Field names"))
    type = fields.String(required=True, validate=validate.OneOf(tuple(FIELD_TYPES)))
    label = fields.Nested(LabelSchema, required=True)
    required = StrictBoolean()
    unit = Unit()
    min = Number()
    max = Number()
    max_length = fields.Integer(strict=True, validate=validate.Range(1, 5000))
    not_future = StrictBoolean()
    options = fields.List(fields.Nested(OptionSchema))
    show_if = fields.Nested(ShowIfSchema, allow_none=True)
    max_field = fields.String(validate=_snake("Field names"))
    visit_offset_days = fields.Nested(OffsetSchema)
    not_before_field = fields.String(validate=_snake("Field names"))
    compute = Compute()
    suggest = Suggest()

    @validates_schema
    def _keys_fit_type(self, data: dict[str, Any], **kwargs: Any) -> None:
        kind = data.get("type")
        for key, types in KEYS_BY_TYPE.items():
            if key in data and kind not in types:
                raise ValidationError(f"Only {', '.join(types)} fields take `{key}`.", key)
        if kind in CHOICE_TYPES:
            values = [option["value"] for option in data.get("options") or []]
            if not values:
                raise ValidationError("Choice fields need at least one option.", "options")
            if len(set(values)) != len(values):
                raise ValidationError("Option values must be unique.", "options")
            if kind == "choice" and any(o.get("exclusive") for o in data["options"]):
                raise ValidationError("Only multi_choice options can be `exclusive`.", "options")
        low, high = data.get("min"), data.get("max")
        if kind == "integer":
            for key, bound in (("min", low), ("max", high)):
                if bound is not None and not float(bound).is_integer():
                    raise ValidationError("Integer bounds must be whole numbers.", key)
        if low is not None and high is not None and low > high:
            raise ValidationError("`min` must not be greater than `max`.", "min")


class EligibilitySchema(Schema):
    min_age = Age(allow_none=True)
    max_age = Age(allow_none=True)
    sex = fields.String(allow_none=True, validate=validate.OneOf(("M", "F")))
    tags_any = fields.List(fields.String(validate=validate.OneOf(TAGS)))

    @validates_schema
    def _ages_in_order(self, data: dict[str, Any], **kwargs: Any) -> None:
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and approx_days(low) > approx_days(high):
            raise ValidationError("`min_age` must not be greater than `max_age`.", "min_age")


class FollowUpSchema(Schema):
    form = fields.String(required=True, validate=_snake("Form codes"))
    within_days = fields.Integer(strict=True, required=True, validate=validate.Range(1, 366))


class DangerSchema(Schema):
    """A danger value: when any condition holds, the `requires` yes/no must be answered."""

    id = fields.String(required=True, validate=_snake("Danger ids"))
    label = fields.Nested(LabelSchema, required=True)
    any = fields.List(
        fields.Nested(ConditionSchema), required=True, validate=validate.Length(min=1)
    )
    requires = fields.String(required=True)


class DefinitionSchema(Schema):
    """A whole form definition; see docs/forms.md for what each key means."""

    code = fields.String(required=True, validate=[_snake("Form codes"), validate.Length(max=64)])
    version = fields.Integer(strict=True, required=True, validate=validate.Range(min=1))
    title = fields.Nested(LabelSchema, required=True)
    category = fields.String(required=True, validate=_snake("Categories"))
    weight = Number(required=True, validate=validate.Range(0, 100, min_inclusive=False))
    subject = fields.String(required=True, validate=validate.OneOf(("resident", "activity")))
    eligibility = fields.Nested(EligibilitySchema, allow_none=True)
    non_medical = StrictBoolean(required=True)
    follow_up = fields.Nested(FollowUpSchema, allow_none=True)
    effects = EffectsField()  # episodes and tags a record changes: episodes/effects.py
    # Schema.fields is marshmallow's own attribute, so the key is mapped explicitly.
    form_fields = fields.List(
        fields.Nested(FieldSchema),
        required=True,
        validate=validate.Length(min=1, max=200),
        data_key="fields",
        attribute="fields",
    )
    danger = fields.List(fields.Nested(DangerSchema))

    @validates_schema
    def _fields_fit_together(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("subject") == "activity" and data.get("eligibility"):
            raise ValidationError("Activity forms have no eligibility.", "eligibility")
        errors: dict[int, dict[str, list[str]]] = {}
        earlier: dict[str, dict[str, Any]] = {}
        types = {f["name"]: f["type"] for f in data.get("fields") or []}
        for index, spec in enumerate(data.get("fields") or []):
            if spec["name"] in earlier:
                errors[index] = {"name": ["Field names must be unique within a form."]}
                continue
            problem = _show_if_problem(spec.get("show_if"), earlier)
            if problem:
                errors[index] = {"show_if": [problem]}
            bound = spec.get("max_field")
            if bound is not None and earlier.get(bound, {}).get("type") not in NUMBER_TYPES:
                errors[index] = {
                    "max_field": ["max_field must name an earlier integer or decimal field."]
                }
            problems = field_rule_problems(spec, earlier, types)
            if problems:
                errors.setdefault(index, {}).update(problems)
            earlier[spec["name"]] = spec
        if errors:
            raise ValidationError(errors, "fields")
        dangers = danger_problems(data.get("danger") or [], earlier)
        if dangers:
            raise ValidationError(dangers, "danger")


def _show_if_problem(rule: dict[str, Any] | None, earlier: dict[str, dict[str, Any]]) -> str | None:
    """A condition must name an earlier choice or yes/no field and one of its possible answers."""
    if rule is None:
        return None
    controller = earlier.get(rule["field"])
    if controller is None:
        return f"show_if refers to {rule['field']!r}, which is not an earlier field of this form."
    if controller["type"] not in CONTROLLING_TYPES:
        return "show_if can only depend on a choice, multi_choice or yes_no field."
    wanted = [rule["equals"]] if "equals" in rule else rule["in"]
    if controller["type"] == "yes_no":
        possible: list[Any] = [True, False]
    else:
        possible = [option["value"] for option in controller["options"]]
    if any(not any(type(w) is type(p) and w == p for p in possible) for w in wanted):
        return f"show_if compares {rule['field']!r} with a value it cannot have."
    return None
