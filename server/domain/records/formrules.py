"""Form data validation built from a definition: one marshmallow schema per form version.

The rules here are mirrored by the PWA (see docs/forms.md), so phone and server agree:
types and ranges per field (formfields.py), `required` only for visible fields, hidden fields
must be empty.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from marshmallow import RAISE, Schema, ValidationError, pre_load, validates_schema
from marshmallow.experimental.context import Context

from server.core.clock import local_today
from server.domain.records.formfields import FIELD_TYPES, is_number

REQUIRED = "This field is required."


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
    # (name, the earlier number field it may not exceed), for `max_field` (parity <= gravidity).
    at_most: ClassVar[tuple[tuple[str, str], ...]] = ()

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
            # Every county this serves keeps China Standard Time; "today" is that date.
            today = context["today"] or local_today()
            for name in self.not_future:
                answer = data.get(name)
                if isinstance(answer, date) and answer > today:
                    problems[name] = ["Must not be in the future."]
        for name, other in self.at_most:
            # Both answered, shown and valid (an invalid or hidden answer is not in `data`).
            value, bound = data.get(name), data.get(other)
            if is_number(value) and is_number(bound) and value > bound and name not in problems:
                problems[name] = [f"Must not be greater than {other}."]
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
    attributes["at_most"] = tuple(
        (spec["name"], spec["max_field"]) for spec in specs if spec.get("max_field")
    )
    name = f"Form_{definition['code']}_v{definition['version']}"
    return type(name, (FormSchema,), attributes)()
