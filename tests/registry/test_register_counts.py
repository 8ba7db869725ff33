"""Ended records leave the active lists and the indicators' denominators, and stay findable."""

from __future__ import annotations

from datetime import date

import pytest

from server.domain.indicators.population import population
from server.extensions import db
from tests.factories import make_household, make_resident


@pytest.fixture
def village(world):
    """V1a: two active hypertensive residents, one who died, one who moved away next month."""
    v1a = world.units["V1a"]
    home = make_household(db.session, v1a)
    make_resident(db.session, v1a, name="在册甲", household_id=home.id, tags=["hypertension"])
    make_resident(db.session, v1a, name="在册乙", tags=["hypertension"])
    make_resident(
        db.session,
        v1a,
        name="已故",
        tags=["hypertension"],
        ended_on=date(2026, 10, 3),
        end_reason="died",
    )
    make_resident(
        db.session,
        v1a,
        name="下月迁出",
        tags=["hypertension"],
        ended_on=date(2026, 12, 2),
        end_reason="moved_away",
        end_destination="广州",
    )
    db.session.commit()
    return v1a


def _hypertension(answer: dict) -> int:
    return next(row["count"] for row in answer["by_tag"] if row["tag"] == "hypertension")


def test_a_denominator_leaves_out_records_ended_by_the_day(world, village):
    counts = population(db.session, world.users["sup1"], date(2026, 11, 30))
    assert (counts["active"], counts["ended"], _hypertension(counts)) == (3, 1, 3)


def test_a_record_counts_until_the_day_it_ends(world, village):
    counts = population(db.session, world.users["sup1"], date(2026, 12, 2))
    assert (counts["active"], counts["ended"], _hypertension(counts)) == (2, 2, 2)


def test_the_overview_of_a_past_month_counts_the_register_on_its_last_day(client, auth, village):
    response = client.get(
        "/api/overview", query_string={"month": "2026-10"}, headers=auth.headers("sup1")
    )
    assert response.status_code == 200, response.get_json()
    register = response.get_json()["register"]
    assert (register["on"], register["active"], register["ended"]) == ("2026-10-31", 3, 1)
    assert _hypertension(register) == 3


def test_the_overview_counts_only_the_callers_area(client, auth, village):
    response = client.get(
        "/api/overview", query_string={"month": "2026-10"}, headers=auth.headers("sup2")
    )
    assert response.get_json()["register"]["active"] == 0


def _names(client, auth, **query) -> list[str]:
    response = client.get("/api/residents", query_string=query, headers=auth.headers("sup1"))
    assert response.status_code == 200, response.get_json()
    return sorted(item["name"] for item in response.get_json()["items"])


def test_the_resident_list_leaves_out_ended_records_by_default(client, auth, village):
    assert _names(client, auth) == ["在册乙", "在册甲"]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("active", ["在册乙", "在册甲"]),
        ("ended", ["下月迁出", "已故"]),
        ("all", ["下月迁出", "在册乙", "在册甲", "已故"]),
    ],
)
def test_the_resident_list_filters_by_status(client, auth, village, status, expected):
    assert _names(client, auth, status=status) == expected


def test_an_ended_record_says_why_and_when(client, auth, village):
    query = {"status": "ended", "q": "已故"}
    response = client.get("/api/residents", query_string=query, headers=auth.headers("sup1"))
    item = response.get_json()["items"][0]
    assert (item["ended_on"], item["end_reason"], item["end_destination"]) == (
        "2026-10-03",
        "died",
        None,
    )
