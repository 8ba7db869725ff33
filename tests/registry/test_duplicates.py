"""Duplicate detection across the county, and how little is said about other areas."""

from __future__ import annotations

from datetime import date

import pytest

from server.domain.orgs.tree import add_unit
from server.domain.registry.duplicates import BY_ID_NUMBER, BY_NAME_AND_BIRTH_DATE, find_duplicates
from server.extensions import db
from tests.factories import make_resident, valid_id_number

BORN = date(1950, 8, 8)
NUMBER = valid_id_number(BORN, serial="777")


@pytest.fixture
def grandma(world):
    """Registered in V2a (township T2)."""
    resident = make_resident(
        db.session, world.units["V2a"], name="刘奶奶", sex="F", birth_date=BORN, id_number=NUMBER
    )
    db.session.commit()
    return resident


def test_same_id_number_in_another_village_is_found(grandma):
    found = find_duplicates(db.session, id_number=NUMBER, name="别的名字", birth_date=None)
    assert [(d.resident.id, d.reason) for d in found] == [(grandma.id, BY_ID_NUMBER)]


def test_lowercase_x_check_digit_matches(world):
    number = next(
        valid_id_number(BORN, serial=f"{n:03d}")
        for n in range(1000)
        if valid_id_number(BORN, serial=f"{n:03d}").endswith("X")
    )
    make_resident(db.session, world.units["V1a"], id_number=number)
    found = find_duplicates(db.session, id_number=number.lower(), name=None, birth_date=None)
    assert len(found) == 1


def test_same_name_and_birth_date_is_found_without_id_number(grandma):
    found = find_duplicates(db.session, id_number=None, name=" 刘奶奶 ", birth_date=BORN)
    assert [(d.resident.id, d.reason) for d in found] == [(grandma.id, BY_NAME_AND_BIRTH_DATE)]


def test_same_name_with_another_birth_date_is_not_a_duplicate(grandma):
    assert (
        find_duplicates(db.session, id_number=None, name="刘奶奶", birth_date=date(1951, 1, 1))
        == []
    )


def test_the_record_being_edited_is_excluded(grandma):
    found = find_duplicates(
        db.session, id_number=NUMBER, name=None, birth_date=None, exclude_id=grandma.id
    )
    assert found == []


def test_deleted_residents_are_not_duplicates(grandma):
    grandma.deleted = True
    db.session.commit()
    assert find_duplicates(db.session, id_number=NUMBER, name=None, birth_date=None) == []


def test_another_county_is_not_searched(world, grandma):
    other = add_unit(db.session, None, "county", "C2", "邻县", 1000)
    other_village = add_unit(
        db.session,
        add_unit(db.session, other, "township", "C2T", "镇", 10),
        "village",
        "C2V",
        "村",
        1,
    )
    make_resident(db.session, other_village, name="刘奶奶", birth_date=BORN, id_number=NUMBER)
    found = find_duplicates(
        db.session, id_number=NUMBER, name=None, birth_date=None, county_id=world.units["C"].id
    )
    assert [d.resident.id for d in found] == [grandma.id]


def test_api_answers_full_summary_inside_the_callers_scope(client, auth, grandma):
    response = client.post(
        "/api/residents/duplicates", json={"id_number": NUMBER}, headers=auth.headers("asst3")
    )
    assert response.status_code == 200
    [match] = response.get_json()["matches"]
    assert match["in_scope"] is True
    assert (match["id"], match["name"], match["birth_date"]) == (
        str(grandma.id),
        "刘奶奶",
        "1950-08-08",
    )
    assert match["id_number_masked"] == NUMBER[:6] + "*" * 12
    assert match["village"]["name"] == "河口村"


def test_api_answers_only_the_village_outside_the_callers_scope(client, auth, grandma):
    response = client.post(
        "/api/residents/duplicates",
        json={"name": "刘奶奶", "birth_date": "1950-08-08"},
        headers=auth.headers("asst1"),
    )
    [match] = response.get_json()["matches"]
    assert match == {
        "in_scope": False,
        "reason": BY_NAME_AND_BIRTH_DATE,
        "village": {"id": grandma.village_id, "name": "河口村"},
    }


def test_api_never_sends_the_full_id_number(client, auth, grandma):
    response = client.post(
        "/api/residents/duplicates", json={"id_number": NUMBER}, headers=auth.headers("admin")
    )
    assert NUMBER not in response.get_data(as_text=True)


def test_api_needs_an_id_number_or_name_and_birth_date(client, auth, grandma):
    response = client.post(
        "/api/residents/duplicates", json={"name": "刘奶奶"}, headers=auth.headers("asst1")
    )
    assert response.status_code == 422


def test_api_needs_a_signed_in_user(client, grandma):
    assert client.post("/api/residents/duplicates", json={"id_number": NUMBER}).status_code == 401


def test_like_id_finds_the_duplicates_of_a_resident_by_their_stored_number(
    client, auth, world, grandma
):
    twin = make_resident(
        db.session, world.units["V1a"], name="刘老太", birth_date=BORN, id_number=NUMBER
    )
    db.session.commit()
    response = client.post(
        "/api/residents/duplicates", json={"like_id": str(twin.id)}, headers=auth.headers("admin")
    )
    assert response.status_code == 200
    found = [(m["id"], m["reason"]) for m in response.get_json()["matches"]]
    assert found == [(str(grandma.id), BY_ID_NUMBER)]


def test_like_id_outside_the_callers_area_is_not_found(client, auth, grandma):
    response = client.post(
        "/api/residents/duplicates", json={"like_id": str(grandma.id)}, headers=auth.headers("sup1")
    )
    assert response.status_code == 404
