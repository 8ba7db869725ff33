"""Answers the phone pre-fills, suggested by the server's functions as the contract table says."""

from __future__ import annotations

from datetime import date

import pytest

from server.domain.records.suggest import suggestions
from tests.contracts.tables import cases


@pytest.mark.parametrize("case", cases("suggestions"))
def test_the_server_suggests_what_the_table_says(case):
    definition = {"fields": case["fields"]}
    birth = date.fromisoformat(case["birth_date"]) if case["birth_date"] else None
    visit = date.fromisoformat(case["visit_date"])
    found = suggestions(
        definition, birth, visit, case["prior"], case["exclude_id"], case.get("data") or {}
    )
    assert found == case["suggested"]
