"""Form data validation built from a definition: one marshmallow schema per form version.

The rules here are mirrored by the PWA (see docs/forms.md), so phone and server agree:
types and ranges per field (formfields.py), `required` only for visible fields, hidden fields
must be empty; then the rules between answers: dates against today and the visit date, date
order, computed fields (daterules.py), `max_field`, and the answer a met danger value requires.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

from marshmallow import RAISE, Schema, ValidationError, pre_load, validates_schema
from marshmallow.experimental.context import Context

from server.core.clock import local_today
from server.domain.records.conditions import condition_holds
from server.domain.records.daterules import compute_source, computed_problem, offset_problem
from server.domain.records.formfields import FIELD_TYPES, is_number

REQUIRED = "This field is required."
# Records a field's problem unless it already has one: (field name, message or None).
Report = Callable[[str, str | None], None]


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
    message alone is reported. The rules between answers come last, against the caller's
    "today" and the record's visit date (today when unknown), each field getting the first
    problem found. Both hooks share the call's `Context` (marshmallow's context variable), so a
    cached schema serves concurrent requests.
    """

    class Meta:
        unknown = RAISE

    # (name, controlling field or None, answers that show it, required), in definition order.
    rules: ClassVar[tuple[tuple[str, str | None, tuple[Any, ...], bool], ...]] = ()
    not_future: ClassVar[tuple[str, ...]] = ()
    # (name, the earlier number field it may not exceed), for `max_field` (parity <= gravidity).
    at_most: ClassVar[tuple[tuple[str, str], ...]] = ()
    # (name, min, max) of `visit_offset_days`; (name, earlier date) of `not_before_field`.
    offsets: ClassVar[tuple[tuple[str, int, int], ...]] = ()
    not_before: ClassVar[tuple[tuple[str, str], ...]] = ()
    computed: ClassVar[tuple[tuple[str, dict[str, Any]], ...]] = ()
    dangers: ClassVar[tuple[dict[str, Any], ...]] = ()

    def errors(
        self, data: Any, today: date | None = None, visit_date: date | None = None
    ) -> dict[str, list[str]]:
        """Problems per field; empty when the data is valid for this form version."""
        return self.validate(data, today=today, visit_date=visit_date)

    def validate(
        self, data: Any, *, today: date | None = None, visit_date: date | None = None, **kw: Any
    ) -> dict:
        with Context(_context(today, visit_date)):
            return super().validate(data, **kw)

    def load(
        self, data: Any, *, today: date | None = None, visit_date: date | None = None, **kw: Any
    ) -> Any:
        with Context(_context(today, visit_date)):
            return super().load(data, **kw)

    @pre_load
    def _apply_rules(self, data: Any, **_kwargs: Any) -> dict[str, Any]:
        # As `visible_fields`: shown when it has no rule, or its controlling field is shown and
        # answered so (a rule names an earlier field, so one pass in order suffices).
        if not isinstance(data, dict):
            raise ValidationError("Form data must be an object of field answers.")
        shown: set[str] = set()
        context = Context.get()
        context["shown"], context["raw"] = shown, data
        refused: dict[str, list[str]] = context["refused"]
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
        # An answer in `data` is shown and valid for its own field (others are left out).
        context = Context.get()
        problems = context["refused"]
        # Every county this serves keeps China Standard Time; "today" is that date.
        today = context["today"] or local_today()
        visit = context["visit_date"] or today

        def add(name: str, problem: str | None) -> None:
            if problem and name not in problems:
                problems[name] = [problem]

        for name in self.not_future:
            answer = data.get(name)
            if isinstance(answer, date) and answer > today:
                add(name, "Must not be in the future.")
        for name, low, high in self.offsets:
            answer = data.get(name)
            if isinstance(answer, date):
                add(name, offset_problem(answer, visit, low, high))
        for name, other in self.not_before:
            answer, bound = data.get(name), data.get(other)
            if isinstance(answer, date) and isinstance(bound, date) and answer < bound:
                add(name, f"Must not be before {other}.")
        for name, other in self.at_most:
            value, bound = data.get(name), data.get(other)
            if is_number(value) and is_number(bound) and value > bound:
                add(name, f"Must not be greater than {other}.")
        self._computed_problems(data, visit, add)
        self._danger_problems(data, add)
        if problems:
            raise ValidationError(problems)

    def _computed_problems(self, data: dict[str, Any], visit: date, add: Report) -> None:
        """A computed answer must be what its source date makes, or blank without one."""
        shown, raw = Context.get()["shown"], Context.get()["raw"]
        for name, compute in self.computed:
            if name not in shown or (name not in data and not is_blank(raw.get(name))):
                continue  # hidden, or its own type or range problem is reported instead
            source = data.get(compute_source(compute))
            add(name, computed_problem(compute, data.get(name), source, visit))

    def _danger_problems(self, data: dict[str, Any], add: Report) -> None:
        """A met danger value makes its `requires` question (a shown yes/no) required."""
        shown, raw = Context.get()["shown"], Context.get()["raw"]
        for danger in self.dangers:
            needed = danger["requires"]
            if needed not in shown or not is_blank(raw.get(needed)):
                continue
            if any(
                condition["field"] in data
                and data[condition["field"]] is not None
                and condition_holds(condition, data[condition["field"]])
                for condition in danger["any"]
            ):
                add(needed, f"This field is required: {danger['label']['en']}.")


def _context(today: date | None, visit_date: date | None) -> dict[str, Any]:
    return {"today": today, "visit_date": visit_date, "refused": {}, "shown": set(), "raw": {}}


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
    attributes["offsets"] = tuple(
        (spec["name"], spec["visit_offset_days"]["min"], spec["visit_offset_days"]["max"])
        for spec in specs
        if spec.get("visit_offset_days")
    )
    attributes["not_before"] = tuple(
        (spec["name"], spec["not_before_field"]) for spec in specs if spec.get("not_before_field")
    )
    attributes["computed"] = tuple(
        (spec["name"], spec["compute"]) for spec in specs if spec.get("compute")
    )
    attributes["dangers"] = tuple(definition.get("danger") or ())
    name = f"Form_{definition['code']}_v{definition['version']}"
    return type(name, (FormSchema,), attributes)()
