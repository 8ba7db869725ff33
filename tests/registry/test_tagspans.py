"""Effective and programme tags from spans: which stored tags hold on a day, and which of them a
clinical programme may act on (a confirmable condition only once the centre confirmed it)."""

from __future__ import annotations

from datetime import date

import pytest

from server.domain.registry.model import Household, Resident, ResidentTag
from server.domain.registry.tags import effective_tags, programme_tags

ON = date(2026, 6, 15)
ADULT = date(1980, 1, 1)


def span(tag, source="reported", origin="register", start=None, end=None) -> ResidentTag:
    return ResidentTag(tag=tag, source=source, origin=origin, start_on=start, end_on=end)


def person(tags=(), birth_date=ADULT, household=None) -> Resident:
    return Resident(
        name="测试", sex="F", birth_date=birth_date, tags=list(tags), household=household
    )


CASES = [
    # (what it shows, listed tags, spans, effective, programme)
    (
        "legacy span with no start holds",
        ["diabetes"],
        [span("diabetes", origin="legacy")],
        ["diabetes"],
        [],
    ),
    (
        "span started that day holds",
        ["pregnant"],
        [span("pregnant", start=ON)],
        ["pregnant"],
        ["pregnant"],
    ),
    (
        "span starting tomorrow does not hold yet",
        ["pregnant"],
        [span("pregnant", start=date(2026, 6, 16))],
        [],
        [],
    ),
    (
        "span ending that day no longer holds",
        [],
        [span("postpartum", origin="form", start=date(2026, 5, 1), end=ON)],
        [],
        [],
    ),
    (
        "span ending tomorrow still holds",
        [],
        [span("postpartum", origin="form", start=date(2026, 5, 1), end=date(2026, 6, 16))],
        ["postpartum"],
        ["postpartum"],
    ),
    (
        "confirmed hypertension counts for the programme",
        ["hypertension"],
        [span("hypertension", source="confirmed")],
        ["hypertension"],
        ["hypertension"],
    ),
    (
        "reported TB waits for the centre",
        ["tuberculosis"],
        [span("tuberculosis")],
        ["tuberculosis"],
        [],
    ),
    (
        "confirmed span that ended does not count",
        [],
        [span("diabetes", source="confirmed", origin="staff", end=date(2026, 6, 1))],
        [],
        [],
    ),
    (
        "reported and confirmed spans of one tag: confirmed wins",
        ["diabetes"],
        [span("diabetes"), span("diabetes", source="confirmed", origin="staff", start=ON)],
        ["diabetes"],
        ["diabetes"],
    ),
    (
        "a form's span holds without the list",
        [],
        [span("pregnant", origin="form", start=date(2026, 3, 1))],
        ["pregnant"],
        ["pregnant"],
    ),
    (
        "a listed tag not yet stored holds as reported",
        ["hypertension", "pregnant"],
        [],
        ["pregnant", "hypertension"],
        ["pregnant"],
    ),
    (
        "a reported register span dropped from the list no longer holds",
        [],
        [span("hypertension")],
        [],
        [],
    ),
    (
        "a confirmed span dropped from the list still holds",
        [],
        [span("hypertension", source="confirmed")],
        ["hypertension"],
        ["hypertension"],
    ),
    ("a stored age tag is ignored: age decides", ["child_0_6"], [span("child_0_6")], [], []),
    (
        "catalogue order, whatever the span order",
        ["diabetes", "pregnant"],
        [span("diabetes", source="confirmed"), span("pregnant")],
        ["pregnant", "diabetes"],
        ["pregnant", "diabetes"],
    ),
]


@pytest.mark.parametrize(
    ("listed", "spans", "effective", "programme"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_tags_held_on_the_day(listed, spans, effective, programme):
    resident = person(listed)
    assert effective_tags(resident, ON, spans) == effective
    assert programme_tags(resident, ON, spans) == programme


@pytest.mark.parametrize(
    ("birth_date", "household", "expected"),
    [
        (date(2022, 1, 1), None, ["child_0_6"]),
        (date(1950, 1, 1), None, ["elderly_65"]),
        (ADULT, Household(address="x", low_income=True), ["low_income"]),
    ],
    ids=["a child", "65 and over", "a low-income household"],
)
def test_derived_tags_hold_without_any_span(birth_date, household, expected):
    resident = person(birth_date=birth_date, household=household)
    assert effective_tags(resident, ON, []) == expected
    assert programme_tags(resident, ON, []) == expected
