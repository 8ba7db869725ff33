"""The danger values a record's answers meet, as the server finds them (the phone: danger.js)."""

from __future__ import annotations

import pytest

from server.domain.records.catalogue import check_definition
from server.domain.records.danger import danger_flags
from tests.contracts.tables import cases, definition_for


@pytest.mark.parametrize("case", cases("dangerflags"))
def test_the_server_flags_the_dangers_the_table_says(case):
    definition = check_definition(definition_for("dangerflags", case["form"]))
    assert danger_flags(definition, case["data"]) == case["flags"]
