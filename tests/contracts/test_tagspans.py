"""Tags held on a day: the server's `effective_tags` and `programme_tags` give what the contract
cases say (the phone's pwa/js/tagspans.js passes the same table in the browser)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest

from server.domain.registry.model import Household, Resident, ResidentTag
from server.domain.registry.tags import effective_tags, programme_tags
from tests.contracts.tables import cases, table

ON = date.fromisoformat(table("tagspans")["on"])


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def span_of(case_span: dict[str, Any]) -> ResidentTag:
    return ResidentTag(
        tag=case_span["tag"],
        source=case_span["source"],
        origin=case_span["origin"],
        start_on=_day(case_span.get("start_on")),
        end_on=_day(case_span.get("end_on")),
        record_id=case_span.get("record_id")
        and uuid.uuid5(uuid.NAMESPACE_URL, case_span["record_id"]),
    )


def resident_of(case: dict[str, Any]) -> Resident:
    told = case["resident"]
    home = told.get("household")
    return Resident(
        name="测试",
        sex="F",
        birth_date=date.fromisoformat(told["birth_date"]),
        tags=list(told["tags"]),
        household=Household(address="x", low_income=home["low_income"]) if home else None,
    )


@pytest.mark.parametrize("case", cases("tagspans"))
def test_the_server_holds_the_tags_the_table_says(case):
    spans = [span_of(s) for s in case["spans"]]
    assert effective_tags(resident_of(case), ON, spans) == case["effective"]
    assert programme_tags(resident_of(case), ON, spans) == case["programme"]
