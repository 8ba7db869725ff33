"""The suspected-duplicates work-list: found at registration, on upload and by the scan; merged
or set aside for good."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from server.core.audit import AuditEntry
from server.domain.registry.model import Resident, SuspectedDuplicate
from server.domain.registry.suspects import reason_between, scan
from server.extensions import db
from tests.factories import make_household, make_record, make_resident


def register(client, auth, username, **data):
    """A phone of `username` registers a resident through the sync push; answers its id."""
    rid = str(uuid.uuid4())
    body = {"name": "李秀英", "sex": "F", "birth_date": "1950-03-01", **data}
    mutation = {
        "mutation_id": str(uuid.uuid4()),
        "entity": "resident",
        "op": "create",
        "id": rid,
        "base_version": None,
        "data": body,
    }
    response = client.post(
        "/api/sync/push",
        json={"device_id": f"phone-{username}", "mutations": [mutation]},
        headers=auth.headers(username, device_id=f"phone-{username}"),
    )
    assert response.get_json()["results"][0]["status"] == "applied", response.get_json()
    return rid


def pairs(client, headers):
    response = client.get("/api/duplicates", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_registration_on_a_second_phone_lists_the_pair(client, auth, world):
    first = register(client, auth, "asst1")
    second = register(client, auth, "asst2")
    page = pairs(client, auth.headers("sup1"))
    assert page["total"] == 1
    (pair,) = page["items"]
    assert {pair["first"]["id"], pair["second"]["id"]} == {first, second}
    assert pair["reason"] == "name_birth_date"
    assert pair["found_by"] == "registration"


def test_each_side_shows_address_household_phone_tags_and_services(client, auth, world):
    household = make_household(db.session, world.units["V1a"], address="东村3号", head_name="王强")
    kept = make_resident(
        db.session,
        world.units["V1a"],
        name="李秀英",
        birth_date=date(1950, 3, 1),
        household_id=household.id,
        phone="13800000000",
        tags=["hypertension"],
    )
    make_record(db.session, kept, world.users["asst1"])
    db.session.commit()
    register(client, auth, "asst2")
    (pair,) = pairs(client, auth.headers("sup1"))["items"]
    side = pair["first"] if pair["first"]["id"] == str(kept.id) else pair["second"]
    assert side["address"] == "东村3号" and side["head_name"] == "王强"
    assert side["phone"] == "13800000000" and side["tags"] == ["hypertension"]
    assert side["services"] == 1


def test_the_same_id_number_is_a_pair_even_with_another_name(client, auth, world):
    register(client, auth, "asst1", id_number="350524195003011233")
    register(client, auth, "asst2", name="李秀瑛", id_number="350524195003011233")
    (pair,) = pairs(client, auth.headers("sup1"))["items"]
    assert pair["reason"] == "id_number"


def test_an_upload_that_changes_the_birth_date_finds_a_pair(client, auth, world):
    rid = register(client, auth, "asst1")
    make_resident(db.session, world.units["V1b"], name="李秀英", birth_date=date(1951, 3, 1))
    db.session.commit()
    assert pairs(client, auth.headers("sup1"))["total"] == 0
    mutation = {
        "mutation_id": str(uuid.uuid4()),
        "entity": "resident",
        "op": "update",
        "id": rid,
        "base_version": 1,
        "data": {"birth_date": "1951-03-01"},
    }
    headers = auth.headers("asst1", device_id="phone-asst1")
    client.post(
        "/api/sync/push",
        json={"device_id": "phone-asst1", "mutations": [mutation]},
        headers=headers,
    )
    (pair,) = pairs(client, auth.headers("sup1"))["items"]
    assert pair["found_by"] == "upload"


def test_the_menu_count_is_the_supervisors_open_pairs(client, auth, world):
    register(client, auth, "asst1")
    register(client, auth, "asst2")
    counts = client.get("/api/review/counts", headers=auth.headers("sup1")).get_json()
    assert counts["duplicates"] == 1
    assert (
        client.get("/api/review/counts", headers=auth.headers("sup2")).get_json()["duplicates"] == 0
    )


def test_merging_a_pair_keeps_one_resident_and_closes_the_pair(client, auth, world):
    keep = register(client, auth, "asst1")
    gone = register(client, auth, "asst2")
    (pair,) = pairs(client, auth.headers("sup1"))["items"]
    headers = auth.headers("sup1")
    response = client.post(
        f"/api/duplicates/{pair['id']}/merge", json={"keep_id": keep}, headers=headers
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["duplicate_id"] == gone
    assert db.session.get(Resident, uuid.UUID(gone)).merged_into_id == uuid.UUID(keep)
    assert pairs(client, headers)["total"] == 0
    assert db.session.get(SuspectedDuplicate, pair["id"]).status == "merged"
    audit = db.session.query(AuditEntry).filter_by(entity="suspected_duplicate").one()
    assert audit.action == "merge" and audit.actor_id == world.users["sup1"].id


def test_a_merged_pair_cannot_be_merged_again(client, auth, world):
    keep = register(client, auth, "asst1")
    register(client, auth, "asst2")
    (pair,) = pairs(client, auth.headers("sup1"))["items"]
    headers = auth.headers("sup1")
    client.post(f"/api/duplicates/{pair['id']}/merge", json={"keep_id": keep}, headers=headers)
    again = client.post(
        f"/api/duplicates/{pair['id']}/merge", json={"keep_id": keep}, headers=headers
    )
    assert again.status_code == 409 and again.get_json()["code"] == "duplicate_pair_decided"


def test_the_resident_to_keep_must_be_one_of_the_pair(client, auth, world):
    register(client, auth, "asst1")
    register(client, auth, "asst2")
    (pair,) = pairs(client, auth.headers("sup1"))["items"]
    response = client.post(
        f"/api/duplicates/{pair['id']}/merge",
        json={"keep_id": str(uuid.uuid4())},
        headers=auth.headers("sup1"),
    )
    assert (
        response.status_code == 422 and response.get_json()["code"] == "duplicate_keep_not_in_pair"
    )


def test_not_the_same_person_is_never_suggested_again(client, auth, world):
    first = register(client, auth, "asst1")
    register(client, auth, "asst2")
    (pair,) = pairs(client, auth.headers("sup1"))["items"]
    response = client.post(f"/api/duplicates/{pair['id']}/dismiss", headers=auth.headers("sup1"))
    assert response.status_code == 200
    assert pairs(client, auth.headers("sup1"))["total"] == 0
    assert scan(db.session) == 0
    db.session.commit()
    mutation = {
        "mutation_id": str(uuid.uuid4()),
        "entity": "resident",
        "op": "update",
        "id": first,
        "base_version": 1,
        "data": {"phone": "13900000000"},
    }
    client.post(
        "/api/sync/push",
        json={"device_id": "phone-asst1", "mutations": [mutation]},
        headers=auth.headers("asst1", device_id="phone-asst1"),
    )
    assert pairs(client, auth.headers("sup1"))["total"] == 0


def test_a_pair_outside_the_area_is_not_listed_nor_dismissable(client, auth, world):
    register(client, auth, "asst1")
    register(client, auth, "asst2")
    pair_id = db.session.query(SuspectedDuplicate).one().id
    assert pairs(client, auth.headers("sup2"))["total"] == 0
    response = client.post(f"/api/duplicates/{pair_id}/dismiss", headers=auth.headers("sup2"))
    assert response.status_code == 404


def test_the_scan_finds_pairs_made_before_it_and_is_safe_to_run_twice(runner, world):
    for village in ("V1a", "V1b"):
        make_resident(db.session, world.units[village], name="王芳", birth_date=date(1970, 1, 1))
    db.session.commit()
    first = runner.invoke(args=["duplicates", "scan"])
    assert first.exit_code == 0 and "1 new suspected duplicate pairs." in first.output
    again = runner.invoke(args=["duplicates", "scan"])
    assert "0 new suspected duplicate pairs." in again.output
    (pair,) = db.session.query(SuspectedDuplicate).all()
    assert pair.found_by == "scan"


def test_the_scan_pairs_the_same_name_in_households_with_one_head_and_close_birth_dates(world):
    for village, born in (("V1a", date(1970, 1, 1)), ("V1b", date(1970, 1, 20))):
        household = make_household(db.session, world.units[village], head_name="刘德")
        make_resident(
            db.session,
            world.units[village],
            name="刘明",
            birth_date=born,
            household_id=household.id,
        )
    assert scan(db.session) == 1
    assert db.session.query(SuspectedDuplicate).one().reason == "name_household_head"


D = date(1970, 1, 1)


@pytest.mark.parametrize(
    ("one", "other", "reason"),
    [
        ({"id_number": "X1", "name": "a"}, {"id_number": "X1", "name": "b"}, "id_number"),
        ({"name": "a", "birth_date": D}, {"name": "a", "birth_date": D}, "name_birth_date"),
        ({"name": "a", "birth_date": D}, {"name": "b", "birth_date": D}, None),
        (
            {"name": "a", "birth_date": D, "head_name": "h"},
            {"name": "a", "birth_date": date(1970, 2, 1), "head_name": "h"},
            "name_household_head",
        ),
        (
            {"name": "a", "birth_date": D, "head_name": "h"},
            {"name": "a", "birth_date": date(1970, 2, 2), "head_name": "h"},
            None,
        ),
        (
            {"name": "a", "birth_date": D, "head_name": "h"},
            {"name": "a", "birth_date": date(1970, 1, 5), "head_name": "k"},
            None,
        ),
        (
            {"name": "a", "birth_date": D, "head_name": ""},
            {"name": "a", "birth_date": date(1970, 1, 5), "head_name": ""},
            None,
        ),
    ],
)
def test_reason_between(one, other, reason):
    assert reason_between(one, other) == reason
