"""Pull over HTTP: scoped, in sequence order, paged by an opaque cursor, reset on a move."""

from __future__ import annotations

import uuid

from server.domain.accounts.model import User
from server.domain.records.model import ServiceRecord
from server.extensions import db
from server.synced import REGISTRY
from sync.changes import server_write
from tests.factories import make_household
from tests.sync.conftest import new_household, new_record, new_resident, update


def test_an_assistant_receives_only_rows_of_their_own_village(phone, world):
    asst1 = phone("asst1")
    mine = asst1.push_one(new_household())
    phone("asst2").push_one(new_household())  # V1b
    phone("asst3").push_one(new_household())  # V2a

    feed = asst1.pull_all()

    assert list(feed) == [("household", mine["id"])]
    assert feed["household", mine["id"]]["data"]["village_id"] == world.units["V1a"].id


def test_a_supervisor_receives_every_village_of_their_township(phone):
    ids = {phone(name).push_one(new_household())["id"] for name in ("asst1", "asst2")}
    phone("asst3").push_one(new_household())

    feed = phone("sup1").pull_all()

    assert {ident for _entity, ident in feed} == ids


def test_changes_come_in_write_order_with_each_row_at_its_latest_version(phone):
    asst1 = phone("asst1")
    first = asst1.push_one(new_household())
    second = asst1.push_one(new_household())
    asst1.push_one(update("household", first["id"], 1, address="新地址"))

    changes = asst1.pull()["changes"]

    assert [(c["id"], c["version"]) for c in changes] == [(second["id"], 1), (first["id"], 2)]
    assert changes[1]["data"]["address"] == "新地址"


def test_pages_follow_the_cursor_without_gaps_or_repeats(phone):
    asst1 = phone("asst1")
    ids = [asst1.push_one(new_household())["id"] for _ in range(5)]

    first = asst1.pull(limit=2)
    second = asst1.pull(first["cursor"], limit=2)
    third = asst1.pull(second["cursor"], limit=2)

    assert [first["has_more"], second["has_more"], third["has_more"]] == [True, True, False]
    pages = first["changes"] + second["changes"] + third["changes"]
    assert [c["id"] for c in pages] == ids


def test_a_pull_from_the_latest_cursor_returns_only_what_changed_since(phone):
    asst1 = phone("asst1")
    asst1.push_one(new_household())
    cursor = asst1.pull()["cursor"]
    later = asst1.push_one(new_household())

    page = asst1.pull(cursor)

    assert [c["id"] for c in page["changes"]] == [later["id"]]
    assert asst1.pull(page["cursor"])["changes"] == []


def test_a_deleted_row_arrives_as_a_delete_with_no_data(phone):
    asst1 = phone("asst1")
    created = asst1.push_one(new_household())
    asst1.push_one(update("household", created["id"], 1) | {"op": "delete"})

    [change] = asst1.pull()["changes"]

    assert (change["op"], change["version"], change["data"]) == ("delete", 2, {})


def test_a_resident_is_pulled_with_a_masked_id_number_and_pinyin_keys(phone):
    asst1 = phone("asst1")
    asst1.push_one(
        new_resident(name="张三丰", id_number="11010519491231002X", birth_date="1949-12-31")
    )

    [change] = asst1.pull()["changes"]

    data = change["data"]
    assert "id_number" not in data
    assert data["id_number_masked"] == "110105************"
    assert (data["name_pinyin"], data["name_initials"]) == ("zhangsanfeng", "zsf")


def test_a_returned_record_reaches_its_author_with_the_supervisors_comment(phone, world):
    asst1 = phone("asst1")
    resident = asst1.push_one(new_resident())
    record = asst1.push_one(new_record(resident["id"]))
    cursor = asst1.pull()["cursor"]
    row = db.session.get(ServiceRecord, uuid.UUID(record["id"]))
    row.review_status, row.review_comment = "returned", "血压请复测"
    server_write(
        db.session, REGISTRY.of(row), row, actor_id=world.users["sup1"].id, action="return"
    )
    db.session.commit()

    [change] = asst1.pull(cursor)["changes"]

    assert change["id"] == record["id"]
    assert change["version"] == 2
    assert (change["data"]["review_status"], change["data"]["review_comment"]) == (
        "returned",
        "血压请复测",
    )


def test_a_move_to_another_village_resets_the_feed_to_the_new_scope(phone, world):
    asst1 = phone("asst1")
    asst1.push_one(new_household())
    cursor = asst1.pull()["cursor"]
    there = make_household(db.session, world.units["V1b"])
    server_write(db.session, REGISTRY.of(there), there, actor_id=None, action="create")
    user = db.session.get(User, world.users["asst1"].id)
    user.org_unit_id = world.units["V1b"].id
    db.session.commit()

    page = asst1.pull(cursor)

    assert page["reset"] is True
    assert [c["id"] for c in page["changes"]] == [str(there.id)]
    assert "reset" not in asst1.pull(page["cursor"])


def test_a_cursor_that_was_not_issued_here_is_a_validation_error(phone):
    response = phone("asst1").pull_response("not-a-cursor")

    assert response.status_code == 422
    assert "since" in response.get_json()["errors"]
