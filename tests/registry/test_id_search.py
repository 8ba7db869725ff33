"""Searching residents by ID digits: part of a number only for supervisors (who see full numbers),
a whole number for anyone, and never in a URL (access logs keep URLs)."""

from __future__ import annotations

from datetime import date

import pytest

from server.extensions import db
from tests.factories import make_household, make_resident, valid_id_number

NUMBER = valid_id_number(date(1960, 5, 1), serial="457")


@pytest.fixture
def zhang(world):
    home = make_household(db.session, world.units["V1a"], address="东山镇上村3组8号")
    resident = make_resident(
        db.session, world.units["V1a"], phone="13812345678", id_number=NUMBER,
        household_id=home.id,
    )  # fmt: skip
    db.session.commit()
    return resident


def search(client, auth, username, q):
    return client.post("/api/residents/search", json={"q": q}, headers=auth.headers(username))


def found(response) -> list[str]:
    assert response.status_code == 200, response.get_json()
    return [item["name"] for item in response.get_json()["items"]]


@pytest.mark.parametrize(
    ("username", "q", "names"),
    [
        ("sup1", NUMBER[-4:], ["张三丰"]),
        ("sup1", NUMBER[-8:], ["张三丰"]),
        ("admin", NUMBER[-4:], []),
        ("admin", NUMBER[-8:], []),
        ("admin", NUMBER[6:14], []),
        ("admin", NUMBER, ["张三丰"]),
        ("admin", NUMBER.lower(), ["张三丰"]),
        ("sup1", NUMBER, ["张三丰"]),
        ("admin", "12345678", ["张三丰"]),
        ("admin", "上村3组", ["张三丰"]),
        ("admin", "王建国", ["张三丰"]),
    ],
)
def test_who_finds_the_resident_by_which_digits(client, auth, zhang, username, q, names):
    assert found(search(client, auth, username, q)) == names


@pytest.mark.parametrize("q", [NUMBER[:12], NUMBER[:17], NUMBER[-5:] + "X", "1234X"])
def test_part_of_an_id_number_longer_than_a_phone_is_refused_to_an_admin(client, auth, zhang, q):
    response = search(client, auth, "admin", q)
    assert (response.status_code, response.get_json()["code"]) == (422, "partial_id_number_search")


def test_a_supervisor_may_search_by_a_long_tail_of_an_id_number(client, auth, zhang):
    assert found(search(client, auth, "sup1", NUMBER[-12:])) == ["张三丰"]


@pytest.mark.parametrize("username", ["sup1", "admin"])
@pytest.mark.parametrize("q", [NUMBER[-4:], NUMBER, "13812345678", "张3"])
def test_digits_in_the_list_url_are_refused(client, auth, zhang, username, q):
    response = client.get("/api/residents", query_string={"q": q}, headers=auth.headers(username))
    assert (response.status_code, response.get_json()["code"]) == (422, "number_search_needs_post")


def test_the_search_body_takes_the_list_filters(client, auth, zhang, world):
    response = client.post(
        "/api/residents/search",
        json={"q": "zsf", "village_id": world.units["V1b"].id, "per_page": 10},
        headers=auth.headers("sup1"),
    )
    assert (found(response), response.get_json()["per_page"]) == ([], 10)


def test_assistants_search_on_the_phone_not_here(client, auth, zhang):
    assert search(client, auth, "asst1", "zsf").status_code == 403
