"""GET /api/households and /api/households/<id>."""

from __future__ import annotations

from datetime import date

import pytest

from server.extensions import db
from tests.factories import make_household, make_resident, valid_id_number


@pytest.fixture
def homes(world):
    east = make_household(db.session, world.units["V1a"], address="东街3号", low_income=True)
    west = make_household(db.session, world.units["V1b"], address="西街8号")
    river = make_household(db.session, world.units["V2a"], address="河边1号")
    db.session.commit()
    return {"east": east, "west": west, "river": river}


def addresses(response) -> list[str]:
    assert response.status_code == 200, response.get_json()
    return sorted(item["address"] for item in response.get_json()["items"])


def test_list_covers_only_the_callers_scope(client, auth, homes):
    assert addresses(client.get("/api/households", headers=auth.headers("sup1"))) == [
        "东街3号",
        "西街8号",
    ]


def test_filter_by_low_income(client, auth, homes):
    response = client.get(
        "/api/households", query_string={"low_income": "true"}, headers=auth.headers("admin")
    )
    assert addresses(response) == ["东街3号"]


def test_filter_by_village(client, auth, homes, world):
    response = client.get(
        "/api/households",
        query_string={"village_id": world.units["V1b"].id},
        headers=auth.headers("sup1"),
    )
    assert addresses(response) == ["西街8号"]


def test_detail_lists_members_with_masked_id_numbers(client, auth, homes, world):
    number = valid_id_number(date(1955, 2, 2))
    make_resident(
        db.session, world.units["V1a"], name="老王", household_id=homes["east"].id, id_number=number
    )
    db.session.commit()
    response = client.get(f"/api/households/{homes['east'].id}", headers=auth.headers("sup1"))
    member = response.get_json()["members"][0]
    assert member["name"] == "老王"
    assert member["id_number_masked"] == number[:6] + "*" * 12
    assert number not in response.get_data(as_text=True)
    assert "low_income" in member["tags"]


def test_detail_out_of_scope_is_not_found(client, auth, homes):
    response = client.get(f"/api/households/{homes['river'].id}", headers=auth.headers("sup1"))
    assert response.status_code == 404


def test_assistants_are_refused(client, auth, homes):
    assert client.get("/api/households", headers=auth.headers("asst1")).status_code == 403
