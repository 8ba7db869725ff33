"""Form answers checked by the server against the contract tables (the phone: test_contracts_js).

Each case names a form (inline in the table or a file in server/forms/), the answers, the
record's visit date (else today) and the expected errors per field; the server must give exactly
those messages, in order. Every tests/contracts/formrules*.json file is a table here.
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
from tests.contracts.tables import FORMRULES_TABLES, definition_for, form_cases, table

WRITTEN = tuple(name for name in FORMRULES_TABLES if name != "formrules_generated")


@cache
def _schema(name: str, code: str, version: int) -> FormSchema:
    return form_schema(check_definition(definition_for(name, {"code": code, "version": version})))


def _server_errors(name: str, case: dict[str, Any]) -> dict[str, list[str]]:
    today = date.fromisoformat(case.get("today") or table(name)["today"])
    visit = date.fromisoformat(case["visit_date"]) if case.get("visit_date") else None
    form = case["form"]
    schema = _schema(name, form["code"], form["version"])
    return schema.errors(case["answers"], today=today, visit_date=visit)


def _messages(case: dict[str, Any]) -> dict[str, list[str]]:
    return {field: [e["message"] for e in found] for field, found in case["errors"].items()}


@pytest.mark.parametrize(("name", "case"), form_cases(WRITTEN))
def test_the_server_gives_the_messages_of_each_written_case(name, case):
    assert _server_errors(name, case) == _messages(case)


@pytest.mark.parametrize(("name", "case"), form_cases(("formrules_generated",)))
def test_the_server_gives_the_messages_of_each_generated_case(name, case):
    assert _server_errors(name, case) == _messages(case)


def test_the_committed_generated_cases_are_what_the_generator_makes():
    fresh = render(contract_table())
    assert GENERATED.read_text(encoding="utf-8") == fresh, (
        "formrules_generated.json is stale: run `python -m tests.contracts.generate`"
        " and commit the result"
    )
