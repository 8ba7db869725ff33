"""The case generator covers every rule of every form (tests/contracts/formcases.py).

The cases themselves run in tests/contracts/test_formrules.py (server) and
tests/browser/test_contracts_js.py (phone), from the committed formrules_generated.json.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from tests.catalogue.conftest import file_definition
from tests.catalogue.later import LATER
from tests.contracts.formcases import CODES, all_cases
from tests.contracts.tables import table

CASES = all_cases()
# Version 1 of every form, and each later version with questions of its own.
VERSIONS = [(code, 1) for code in CODES] + sorted(LATER)
RELATIVE_KEYS = ("visit_offset_days", "not_before_field", "compute")


def _written(code: str, version: int) -> set[str]:
    """Fields with a failing case in the hand-written table of the later versions' rules."""
    return {
        name
        for written in ("formrules_maternal", "formrules_chronic")
        for case in table(written)["cases"]
        if case["form"] == {"code": code, "version": version}
        for name in case["errors"]
    }


def _carries_a_rule(spec: dict[str, Any]) -> bool:
    return bool(
        spec.get("required")
        or spec.get("not_future")
        or spec.get("show_if")
        or spec["type"] in ("blood_pressure", "choice", "multi_choice")
        or "min" in spec
        or "max" in spec
        or any(key in spec for key in RELATIVE_KEYS)
    )


def test_the_generator_makes_cases_of_every_rule_kind():
    kinds = Counter(case.rule for case in CASES)
    print(f"{len(CASES)} generated cases: {dict(sorted(kinds.items()))}")
    assert len(CASES) >= 250
    assert set(kinds) == {
        "required",
        "below_min",
        "above_max",
        "unknown_option",
        "hidden_answered",
        "bp_order",
        "future_date",
        "exclusive_with_other",  # version 2 of hypertension and diabetes follow-ups
        "over_max_field",  # version 2 of early pregnancy: parity over gravidity
    }
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize(("code", "version"), VERSIONS)
def test_every_field_carrying_a_rule_has_a_case(code, version):
    definition = file_definition(code, version)
    with_rules = {spec["name"] for spec in definition["fields"] if _carries_a_rule(spec)}
    with_rules |= {danger["requires"] for danger in definition.get("danger", [])}
    assert with_rules
    generated = {c.field for c in CASES if (c.code, c.version) == (code, version)}
    assert generated | _written(code, version) == with_rules


@pytest.mark.parametrize(("code", "version"), VERSIONS)
def test_every_field_with_show_if_can_be_hidden(code, version):
    fields = file_definition(code, version)["fields"]
    dependent = {spec["name"] for spec in fields if spec.get("show_if")}
    hidden = {
        c.field
        for c in CASES
        if (c.code, c.version) == (code, version) and c.rule == "hidden_answered"
    }
    assert hidden == dependent
