"""Form answers checked by the server against the contract tables (the phone: test_contracts_js).

Each case names a form (inline in the table or a file in server/forms/), the answers and the
expected errors per field; the server must give exactly those messages, in order.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

import pytest

from server.domain.records.catalogue import check_definition
from server.domain.records.formrules import FormSchema, form_schema
from tests.contracts.formcases import contract_table
from tests.contracts.generate import GENERATED, render
from tests.contracts.tables import cases, definition_for, table


@cache
def _schema(name: str, code: str, version: int) -> FormSchema:
    return form_schema(check_definition(definition_for(name, {"code": code, "version": version})))


def _server_errors(name: str, case: dict[str, Any]) -> dict[str, list[str]]:
    today = date.fromisoformat(case.get("today") or table(name)["today"])
    form = case["form"]
    return _schema(name, form["code"], form["version"]).errors(case["answers"], today=today)


def _messages(case: dict[str, Any]) -> dict[str, list[str]]:
    return {field: [e["message"] for e in found] for field, found in case["errors"].items()}


@pytest.mark.parametrize("case", cases("formrules"))
def test_the_server_gives_the_messages_of_each_written_case(case):
    assert _server_errors("formrules", case) == _messages(case)


@pytest.mark.parametrize("case", cases("formrules_generated"))
def test_the_server_gives_the_messages_of_each_generated_case(case):
    assert _server_errors("formrules_generated", case) == _messages(case)


def test_the_committed_generated_cases_are_what_the_generator_makes():
    fresh = render(contract_table())
    assert GENERATED.read_text(encoding="utf-8") == fresh, (
        "formrules_generated.json is stale: run `python -m tests.contracts.generate`"
        " and commit the result"
    )
