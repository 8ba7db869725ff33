"""Which forms a resident gets, decided by the server against the contract table."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from server.core.clock import local_today
from server.domain.records.catalogue import eligible
from tests.contracts.tables import cases


def _on(case: dict[str, Any]) -> date:
    if "on" in case:
        return date.fromisoformat(case["on"])
    return local_today(datetime.fromisoformat(case["now"]))


@pytest.mark.parametrize("case", cases("eligibility"))
def test_the_server_decides_eligibility_as_the_table_says(case):
    resident = case["resident"]
    birth = resident["birth_date"]
    born = date.fromisoformat(birth) if birth else None
    found = eligible(case["form"], born, _on(case), resident["sex"], resident["tags"])
    assert found is case["eligible"]
