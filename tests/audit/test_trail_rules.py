"""The audit trail's plain rules, as tables: time bounds, who reads, what an ID search keeps."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from server.core.problems import Problem
from server.domain.audit.trail import check_reader, time_bound
from server.domain.registry.register import id_number_search
from tests.audit.conftest import FULL_NUMBER

CST = timezone(timedelta(hours=8))


@pytest.mark.parametrize(
    ("value", "end", "expected"),
    [
        (date(2026, 12, 1), False, datetime(2026, 11, 30, 16, 0, tzinfo=UTC)),
        (date(2026, 12, 1), True, datetime(2026, 12, 1, 16, 0, tzinfo=UTC)),
        (datetime(2026, 12, 1, 8, 0, tzinfo=CST), False, datetime(2026, 12, 1, 0, 0, tzinfo=UTC)),
        (datetime(2026, 12, 1, 8, 0, tzinfo=UTC), True, datetime(2026, 12, 1, 8, 0, tzinfo=UTC)),
    ],
)
def test_a_date_is_a_china_day_and_an_instant_is_itself(value, end, expected):
    assert time_bound(value, end=end) == expected


@pytest.mark.parametrize(
    ("role", "allowed"), [("assistant", False), ("supervisor", True), ("admin", True)]
)
def test_who_reads_the_trail(role, allowed):
    reader = SimpleNamespace(role=role)
    if allowed:
        check_reader(reader)
        return
    with pytest.raises(Problem) as refused:
        check_reader(reader)
    assert refused.value.code == "audit_not_allowed"


MASKED = FULL_NUMBER[:6] + "*" * 12


@pytest.mark.parametrize(
    ("query", "role", "kept"),
    [
        ("张三", "supervisor", None),
        ("zsf", "supervisor", None),
        ("12", "supervisor", None),  # too short to search
        ("6956", "supervisor", {"kind": "tail", "digits": 4}),
        ("6956", "admin", None),  # a phone fragment for an admin: cannot match ID numbers
        (FULL_NUMBER, "admin", {"kind": "full_number", "id_number": MASKED}),
        (FULL_NUMBER, "supervisor", {"kind": "full_number", "id_number": MASKED}),
        (FULL_NUMBER.lower(), "admin", {"kind": "full_number", "id_number": MASKED}),
    ],
)
def test_what_the_audit_keeps_of_a_search(query, role, kept):
    assert id_number_search(query, role) == kept
