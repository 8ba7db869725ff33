"""A row that moves to another village leaves a `delete` in the feed of the village it left.

A supervisor can link a resident to a household, or a record to a resident, of another village
of her township. The phones of the old village must drop their copy, the new village's phones
must get it, and a viewer of both villages (the township supervisor) must end up holding it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select

from server.domain.registry.model import Resident
from server.extensions import db
from server.synced import REGISTRY
from sync.changes import server_write
from sync.models import Change
from tests.sync.conftest import Phone, new_household, new_record, new_resident, update
from tests.sync.test_client_http import Devices


def follow(phone: Phone, cursor: str | None, limit: int | None = None) -> tuple[list, str]:
    """Every change after `cursor`, in feed order, and the cursor at the end."""
    changes: list[dict[str, Any]] = []
    while True:
        page = phone.pull(cursor, limit)
        changes += page["changes"]
        cursor = page["cursor"]
        if not page["has_more"]:
            return changes, cursor


def held(changes: list[dict[str, Any]], local: dict | None = None) -> dict[tuple[str, str], dict]:
    """A phone's copy after applying `changes` in order, as the clients do."""
    local = dict(local or {})
    for change in changes:
        key = change["entity"], change["id"]
        if change["op"] == "delete":
            local.pop(key, None)
        else:
            local[key] = change
    return local


@dataclass
class Township:
    """asst1 (V1a), asst2 (V1b) and sup1 (T1, both villages), each with a cursor at the end."""

    asst1: Phone
    asst2: Phone
    sup1: Phone
    cursors: dict[str, str]
    home: str  # household in V1a
    away: str  # household in V1b
    resident: str  # lives in `home`, version 1

    def catch_up(self, name: str, limit: int | None = None) -> list[dict[str, Any]]:
        changes, self.cursors[name] = follow(getattr(self, name), self.cursors[name], limit)
        return changes

    def move(self, household: str, base_version: int) -> dict[str, Any]:
        """sup1 links the resident to `household` through the push endpoint."""
        result = self.sup1.push_one(
            update("resident", self.resident, base_version, household_id=household)
        )
        assert result["status"] == "applied", result
        return result


@pytest.fixture
def township(phone) -> Township:
    asst1, asst2, sup1 = phone("asst1"), phone("asst2"), phone("sup1")
    home = asst1.push_one(new_household())["id"]
    resident = asst1.push_one(new_resident(home))["id"]
    away = asst2.push_one(new_household(address="下村5号"))["id"]
    cursors = {name: follow(p, None)[1] for name, p in [("asst1", asst1), ("asst2", asst2)]}
    cursors["sup1"] = follow(sup1, None)[1]
    return Township(asst1, asst2, sup1, cursors, home, away, resident)


def only(changes: list[dict[str, Any]], ident: str) -> list[tuple[str, int]]:
    return [(c["op"], c["version"]) for c in changes if c["id"] == ident]


def test_the_old_villages_assistant_gets_a_delete_when_a_supervisor_moves_a_resident(township):
    township.move(township.away, 1)

    changes = township.catch_up("asst1")

    assert changes == [
        {"entity": "resident", "id": township.resident, "op": "delete", "version": 2, "data": {}}
    ]


def test_the_old_village_holds_nothing_of_the_resident_on_a_first_pull(township, phone):
    township.move(township.away, 1)

    changes, _ = follow(phone("asst1"), None)

    assert ("resident", township.resident) not in held(changes)


def test_the_new_villages_assistant_gets_the_moved_resident(township, world):
    township.move(township.away, 1)

    changes = township.catch_up("asst2")

    assert only(changes, township.resident) == [("upsert", 2)]
    data = held(changes)["resident", township.resident]["data"]
    assert (data["household_id"], data["village_id"]) == (township.away, world.units["V1b"].id)


def test_the_delete_comes_before_the_upsert_in_a_feed_that_holds_both_villages(township):
    township.move(township.away, 1)

    changes = township.catch_up("sup1", limit=1)

    assert only(changes, township.resident) == [("delete", 2), ("upsert", 2)]


def test_the_township_supervisor_keeps_the_moved_resident(township):
    township.move(township.away, 1)
    before = held(follow(township.sup1, None)[0])

    after = held(township.catch_up("sup1"), before)

    assert after["resident", township.resident]["data"]["household_id"] == township.away


def test_a_new_phone_of_the_township_supervisor_holds_the_moved_resident(township, phone):
    township.move(township.away, 1)

    changes, _ = follow(phone("sup1"), None, limit=1)

    assert held(changes)["resident", township.resident]["version"] == 2


def test_moving_back_restores_the_resident_on_the_first_villages_phones(township):
    township.move(township.away, 1)
    assert only(township.catch_up("asst1"), township.resident) == [("delete", 2)]

    township.move(township.home, 2)

    changes = township.catch_up("asst1")
    assert only(changes, township.resident) == [("upsert", 3)]
    assert held(changes)["resident", township.resident]["data"]["household_id"] == township.home


def test_moving_back_sends_the_second_village_a_delete(township):
    township.move(township.away, 1)
    assert only(township.catch_up("asst2"), township.resident) == [("upsert", 2)]

    township.move(township.home, 2)

    assert only(township.catch_up("asst2"), township.resident) == [("delete", 3)]


def test_the_township_supervisor_keeps_a_resident_moved_there_and_back(township):
    before = held(follow(township.sup1, None)[0])
    township.move(township.away, 1)
    township.move(township.home, 2)

    after = held(township.catch_up("sup1", limit=1), before)

    assert after["resident", township.resident]["data"]["household_id"] == township.home


def test_the_delete_is_sent_once(township):
    township.move(township.away, 1)
    township.catch_up("asst1")
    township.sup1.push_one(update("resident", township.resident, 2, phone="13800000000"))

    assert township.catch_up("asst1") == []


def test_a_record_moved_to_a_resident_of_another_village_leaves_a_delete(township):
    record = township.asst1.push_one(new_record(township.resident))["id"]
    other = township.asst2.push_one(new_resident(township.away, name="赵大海"))["id"]
    township.catch_up("asst1")
    township.catch_up("asst2")

    township.sup1.push_one(update("service_record", record, 1, resident_id=other))

    assert only(township.catch_up("asst1"), record) == [("delete", 2)]
    assert only(township.catch_up("asst2"), record) == [("upsert", 2)]


def test_a_server_side_write_that_moves_a_row_leaves_a_delete(township, world):
    resident = db.session.get(Resident, uuid.UUID(township.resident))
    resident.village_id = world.units["V1b"].id
    resident.household_id = None
    server_write(
        db.session,
        REGISTRY.of(resident),
        resident,
        actor_id=world.users["admin"].id,
        action="update",
    )
    db.session.commit()

    assert only(township.catch_up("asst1"), township.resident) == [("delete", 2)]
    assert only(township.catch_up("asst2"), township.resident) == [("upsert", 2)]


def test_only_a_move_adds_a_feed_entry(township):
    township.sup1.push_one(update("resident", township.resident, 1, phone="13800000000"))
    entries = select(func.count()).select_from(Change).where(Change.entity_id == township.resident)
    assert db.session.scalar(entries) == 1

    township.move(township.away, 2)
    township.move(township.home, 3)

    db.session.rollback()
    assert db.session.scalar(entries) == 2  # one per village the resident has lived in


def test_reference_clients_of_both_villages_and_the_township_converge(app, world):
    devices = Devices(app)
    asst1, asst2, sup1 = devices.new("asst1"), devices.new("asst2"), devices.new("sup1")
    home = asst1.create("household", {"address": "村口1号", "head_name": "王建国"})
    resident = asst1.create(
        "resident",
        {"household_id": home, "name": "李秀英", "sex": "F", "birth_date": "1958-03-02"},
    )
    asst1.sync()
    away = asst2.create("household", {"address": "下村5号", "head_name": "赵大海"})
    asst2.sync()
    for device in (asst1, asst2, sup1):
        device.pull()

    sup1.update("resident", resident, {"household_id": away})
    sup1.sync()
    asst1.sync()
    asst2.sync()

    assert resident not in asst1.confirmed()["resident"]
    assert asst2.confirmed()["resident"][resident]["version"] == 2
    assert sup1.confirmed()["resident"][resident]["data"]["household_id"] == away

    sup1.update("resident", resident, {"household_id": home})
    sup1.sync()
    asst1.sync()
    asst2.sync()

    assert asst1.confirmed()["resident"][resident]["data"]["household_id"] == home
    assert resident not in asst2.confirmed()["resident"]
    assert sup1.confirmed()["resident"][resident]["version"] == 3
