"""The case generator covers every rule of every form (tests/contracts/formcases.py).

The cases themselves run in tests/contracts/test_formrules.py (server) and
tests/browser/test_contracts_js.py (phone), from the committed formrules_generated.json.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from tests.catalogue.conftest import file_definition
from tests.contracts.formcases import CODES, all_cases

CASES = all_cases()


def _carries_a_rule(spec: dict[str, Any]) -> bool:
    return bool(
        spec.get("required")
        or spec.get("not_future")
        or spec.get("show_if")
        or spec["type"] in ("blood_pressure", "choice", "multi_choice")
        or "min" in spec
        or "max" in spec
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


@pytest.mark.parametrize("code", CODES)
def test_every_field_carrying_a_rule_has_a_case(code):
    fields = file_definition(code)["fields"]
    with_rules = {spec["name"] for spec in fields if _carries_a_rule(spec)}
    assert with_rules
    first = {case.field for case in CASES if case.code == code and case.version == 1}
    assert first == with_rules


@pytest.mark.parametrize("code", CODES)
def test_every_field_with_show_if_can_be_hidden(code):
    dependent = {spec["name"] for spec in file_definition(code)["fields"] if spec.get("show_if")}
    hidden = {case.field for case in CASES if case.code == code and case.rule == "hidden_answered"}
    assert hidden == dependent
