"""The rule keys of issue 17 as the definition format takes them, and the mistakes it refuses:
ages with units, `visit_offset_days`, `not_before_field`, `compute`, `suggest`, `danger`.
What the rules refuse in answers is in tests/contracts/formrules_rules.json."""

from __future__ import annotations

from typing import Any

import pytest

from server.domain.records.catalogue import CatalogueError, check_definition
from tests.factories import form_definition as _definition
from tests.factories import label as _label


def _field(name: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": kind, "label": _label(name), **extra}


def _options(*values: str, **extra: Any) -> list[dict[str, Any]]:
    return [{"value": v, "label": _label(v), **extra} for v in values]


LMP = _field("lmp", "date")
BP = _field("bp", "blood_pressure")
REPORTED = _field("reported", "yes_no")
SIGNS = _field("signs", "multi_choice", options=_options("fever", "none"))


def _danger(*conditions: dict[str, Any], requires: str = "reported") -> dict[str, Any]:
    return {"id": "d", "label": _label("danger"), "any": list(conditions), "requires": requires}


def _errors(definition: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(CatalogueError) as caught:
        check_definition(definition)
    return caught.value.errors


def test_a_definition_with_every_new_rule_key_is_stored_as_written():
    definition = _definition(
        LMP,
        _field("edd", "date", compute={"add_days": {"field": "lmp", "days": 280}}),
        _field("weeks", "integer", compute={"weeks_since": "lmp"}),
        _field("due", "date", visit_offset_days={"min": -300, "max": 0}, not_before_field="lmp"),
        _field("visit_no", "integer", suggest={"count_prior": "c"}),
        _field("since_no", "integer", suggest={"count_prior": {"form": "c", "since_field": "due"}}),
        _field(
            "point",
            "choice",
            suggest={"nearest_age_point": True},
            options=[
                {"value": "m1", "label": _label("m1"), "at": {"value": 1, "unit": "months"}},
                {"value": "y3", "label": _label("y3"), "at": 3},
            ],
        ),
        BP,
        REPORTED,
        eligibility={"min_age": {"value": 28, "unit": "days"}, "max_age": 6},
        danger=[_danger({"field": "bp", "part": "systolic", "gte": 180})],
        effects=[{"tag": "pregnant", "action": "start", "on": "$visit_date"}],
    )
    assert check_definition(definition) == definition


@pytest.mark.parametrize(
    ("eligibility", "message"),
    [
        (
            {"min_age": {"value": 3, "unit": "fortnights"}},
            "unit must be days, weeks, months or years.",
        ),
        (
            {"min_age": {"value": -1, "unit": "days"}},
            "Must be greater than or equal to 0 and less than or equal to 54750.",
        ),
        ({"max_age": "3 months"}, "An age is whole years (0-150) or {value, unit}."),
        (
            {"min_age": {"value": 2, "unit": "years"}, "max_age": {"value": 12, "unit": "months"}},
            "`min_age` must not be greater than `max_age`.",
        ),
    ],
)
def test_an_age_needs_a_known_unit_and_bounds_in_order(eligibility, message):
    assert message in str(_errors(_definition(LMP, eligibility=eligibility))["eligibility"])


@pytest.mark.parametrize(
    ("field", "key", "message"),
    [
        (
            _field("due", "date", visit_offset_days={"min": 5, "max": -5}),
            "visit_offset_days",
            "`min` must not be greater than `max`.",
        ),
        (
            _field("n", "integer", visit_offset_days={"min": 0, "max": 5}),
            "visit_offset_days",
            "Only date fields take `visit_offset_days`.",
        ),
        (
            _field("due", "date", not_before_field="later"),
            "not_before_field",
            "not_before_field must name an earlier date field.",
        ),
        (
            _field("due", "date", not_before_field="reported"),
            "not_before_field",
            "not_before_field must name an earlier date field.",
        ),
        (
            _field("edd", "date", compute={"add_days": {"field": "reported", "days": 280}}),
            "compute",
            "add_days must name an earlier date field, not 'reported'.",
        ),
        (
            _field("edd", "date", compute={"add_days": {"field": "later", "days": 280}}),
            "compute",
            "add_days must name an earlier date field, not 'later'.",
        ),
        (
            _field("edd", "date", compute={"weeks_since": "lmp"}),
            "compute",
            "weeks_since is for integer fields.",
        ),
        (
            _field("edd", "date", required=True, compute={"add_days": {"field": "lmp", "days": 1}}),
            "compute",
            "A computed field cannot be required.",
        ),
        (
            _field("edd", "date", compute={"plus": "lmp"}),
            "compute",
            "compute is one of add_days, weeks_since or days_since.",
        ),
        (
            _field("n", "integer", suggest={"nearest_age_point": True}),
            "suggest",
            "nearest_age_point suggests a choice field.",
        ),
        (
            _field("p", "choice", suggest={"nearest_age_point": True}, options=_options("a")),
            "suggest",
            "nearest_age_point needs an `at` age on every option.",
        ),
        (
            _field("p", "choice", suggest={"count_prior": "c"}, options=_options("a")),
            "suggest",
            "count_prior suggests an integer field.",
        ),
        (
            _field("n", "integer", suggest={"guess": 1}),
            "suggest",
            'suggest is {"count_prior": form}, {"count_prior": {"form": form, "since_field": '
            'date field}} or {"nearest_age_point": true}.',
        ),
        (
            _field("n", "integer", suggest={"count_prior": {"form": "c", "since_field": "nope"}}),
            "suggest",
            "since_field must name a date field of the form.",
        ),
        (
            _field("n", "integer", suggest={"count_prior": {"form": "c", "since": "lmp"}}),
            "suggest",
            'suggest is {"count_prior": form}, {"count_prior": {"form": form, "since_field": '
            'date field}} or {"nearest_age_point": true}.',
        ),
        (
            _field("p", "multi_choice", options=_options("a", at=3)),
            "options",
            "Only choice options take `at`.",
        ),
    ],
)
def test_a_rule_key_must_fit_its_field_and_the_fields_before_it(field, key, message):
    errors = _errors(_definition(LMP, REPORTED, field, _field("later", "date")))
    assert message in str(errors["fields"][2][key])


@pytest.mark.parametrize(
    ("danger", "where", "message"),
    [
        (
            _danger({"field": "bp", "part": "systolic", "gte": 180}, requires="bp"),
            "requires",
            "requires must name a yes_no field of this form.",
        ),
        (
            _danger({"field": "bp", "part": "systolic", "gte": 180}, requires="nowhere"),
            "requires",
            "requires must name a yes_no field of this form.",
        ),
        (_danger({"field": "nowhere", "gte": 1}), "any", "'nowhere' is not a field of this form."),
        (
            _danger({"field": "bp", "gte": 180}),
            "any",
            "`part` (systolic or diastolic) is needed for blood_pressure fields, and only there.",
        ),
        (
            _danger({"field": "signs", "includes": ["cough"]}),
            "any",
            "The condition compares 'signs' with a value it cannot have.",
        ),
        (
            _danger({"field": "signs", "gte": 1}),
            "any",
            "gte and lte compare integer, decimal or blood_pressure answers.",
        ),
        (
            _danger({"field": "reported", "equals": 1}),
            "any",
            "'reported' is yes/no: compare it with true or false.",
        ),
        (
            _danger({"field": "lmp", "includes": ["x"]}),
            "any",
            "includes applies to multi_choice fields.",
        ),
    ],
)
def test_a_danger_value_names_fields_of_the_form_and_a_yes_no_to_require(danger, where, message):
    errors = _errors(_definition(LMP, BP, SIGNS, REPORTED, danger=[danger]))
    found = errors["danger"][0][where]
    assert (found[0] if where == "requires" else found[0][0]) == message


def test_a_condition_gives_exactly_one_operator():
    danger = _danger({"field": "bp", "part": "systolic", "gte": 180, "lte": 90})
    errors = _errors(_definition(BP, REPORTED, danger=[danger]))
    assert "Give exactly one of gte, lte, equals, in or includes." in str(errors["danger"])


def test_danger_ids_are_unique_within_a_form():
    danger = _danger({"field": "bp", "part": "systolic", "gte": 180})
    errors = _errors(_definition(BP, REPORTED, danger=[danger, danger]))
    assert errors["danger"][1]["id"] == ["Danger ids must be unique within a form."]


def test_effects_must_be_a_list_of_objects():
    errors = _errors(_definition(LMP, effects="open pregnancy"))
    assert "effects" in errors
