"""Keeping the register current through sync: ends, moves and mothers pushed by phones.

Every refusal is of that one mutation: the rest of the batch lands, on the bulk path (a run
of creates) and the one-at-a-time path (updates) alike.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from server.core.clock import local_today
from server.domain.registry.model import Resident
from server.extensions import db
from tests.factories import make_user
from tests.sync.conftest import Phone, new_household, new_resident, update

FUTURE = (local_today() + timedelta(days=3)).isoformat()
ENDED = {"ended_on": "2026-10-01", "end_reason": "died"}


def _row(ident: str) -> Resident | None:
    db.session.expire_all()
    return db.session.get(Resident, uuid.UUID(ident))


def _created(asst, **data):
    home = new_household()
    person = new_resident(home["id"], **data)
    results = asst.push(home, person)
    assert [r["status"] for r in results] == ["applied", "applied"], results
    return home["id"], person["id"]


def test_an_end_of_record_lands_and_travels_in_the_feed(phone):
    asst = phone("asst1")
    _, ident = _created(asst)
    moved = {"ended_on": "2026-10-01", "end_reason": "moved_away", "end_destination": "广州"}
    assert asst.push_one(update("resident", ident, 1, **moved))["status"] == "applied"
    data = asst.pull_all()["resident", ident]["data"]
    assert {k: data[k] for k in moved} == moved


@pytest.mark.parametrize(
    ("end", "field"),
    [
        ({"ended_on": FUTURE, "end_reason": "died"}, "ended_on"),
        ({"ended_on": "1950-01-01", "end_reason": "died"}, "ended_on"),
        ({"ended_on": "2026-10-01", "end_reason": "emigrated"}, "end_reason"),
        ({"ended_on": "2026-10-01", "end_reason": "moved_away"}, "end_destination"),
        ({"ended_on": "2026-10-01"}, "end_reason"),
    ],
)
def test_a_bad_end_in_a_bulk_of_creates_rejects_only_that_resident(phone, end, field):
    asst = phone("asst1")
    home = new_household()
    bad = new_resident(home["id"], name="错误", **end)
    good = new_resident(home["id"], name="正确")
    results = asst.push(home, bad, good)
    assert [r["status"] for r in results] == ["applied", "rejected", "applied"]
    assert results[1]["code"] == "validation_error"
    assert field in results[1]["errors"]
    assert _row(bad["id"]) is None


def test_a_future_end_date_on_an_update_rejects_only_that_update(phone):
    asst = phone("asst1")
    _, first = _created(asst)
    _, second = _created(asst)
    results = asst.push(
        update("resident", first, 1, ended_on=FUTURE, end_reason="died"),
        update("resident", second, 1, **ENDED),
    )
    assert [r["status"] for r in results] == ["rejected", "applied"]
    assert results[0]["errors"]["ended_on"] == ["This date is in the future."]
    assert _row(first).ended_on is None


def test_an_assistant_cannot_take_back_an_end_once_uploaded(phone):
    asst = phone("asst1")
    _, ident = _created(asst, **ENDED)
    undo = update("resident", ident, 1, ended_on=None, end_reason=None)
    result = asst.push_one(undo)
    assert (result["status"], result["code"]) == ("rejected", "record_ended")


def test_a_supervisor_restores_an_ended_record(phone):
    _, ident = _created(phone("asst1"), **ENDED)
    undo = update("resident", ident, 1, ended_on=None, end_reason=None)
    assert phone("sup1").push_one(undo)["status"] == "applied"
    assert _row(ident).ended_on is None


def test_a_resident_moves_to_another_household_of_the_village(phone):
    asst = phone("asst1")
    _, ident = _created(asst)
    other = new_household(address="村尾9号")
    asst.push_one(other)
    assert asst.push_one(update("resident", ident, 1, household_id=other["id"]))["status"] == (
        "applied"
    )
    assert str(_row(ident).household_id) == other["id"]


def test_an_assistant_cannot_move_a_resident_to_another_village(phone, world):
    _, ident = _created(phone("asst1"))
    sup = phone("sup1")  # sees both villages of the township, so the move is hers to refuse
    away = new_household(address="下村2号", village_id=world.units["V1b"].id)
    assert sup.push_one(away)["status"] == "applied"
    result = phone("asst1").push_one(update("resident", ident, 1, household_id=away["id"]))
    assert result["status"] == "rejected"
    assert result["code"] == "not_found"  # the other village is out of her scope


def test_an_assistant_of_several_villages_moves_people_only_within_one(client, auth, phone, world):
    make_user(db.session, "asst_t1", "assistant", world.units["T1"])
    db.session.commit()
    _, ident = _created(phone("asst1"))
    covering = Phone(client, auth.headers("asst_t1", device_id="device-t1"), "device-t1")
    away = new_household(address="下村2号", village_id=world.units["V1b"].id)
    assert covering.push_one(away)["status"] == "applied"
    result = covering.push_one(update("resident", ident, 1, household_id=away["id"]))
    assert (result["status"], result["code"]) == ("rejected", "household_elsewhere")
    assert _row(ident).village_id == world.units["V1a"].id


def test_a_staff_move_across_villages_still_lands(phone, world):
    _, ident = _created(phone("asst1"))
    sup = phone("sup1")
    away = new_household(address="下村2号", village_id=world.units["V1b"].id)
    sup.push_one(away)
    assert sup.push_one(update("resident", ident, 1, household_id=away["id"]))["status"] in (
        "applied",
        "merged",
    )


def test_a_newborn_links_to_a_mother_created_in_the_same_batch(phone):
    asst = phone("asst1")
    home = new_household()
    mother = new_resident(home["id"], name="王丽", birth_date="1996-05-05")
    baby = new_resident(
        home["id"], name="王丽之子", sex="M", birth_date="2026-10-01", mother_id=mother["id"]
    )
    results = asst.push(home, mother, baby)
    assert [r["status"] for r in results] == ["applied"] * 3, results
    assert asst.pull_all()["resident", baby["id"]]["data"]["mother_id"] == mother["id"]


@pytest.mark.parametrize(
    ("mother", "error"),
    [
        ({"sex": "M"}, "The mother must be a woman."),
        ({"birth_date": "2026-10-02"}, "The mother must be born before the child."),
    ],
)
def test_a_wrong_mother_rejects_only_the_newborn(phone, mother, error):
    asst = phone("asst1")
    home = new_household()
    mum = new_resident(home["id"], name="某人", **mother)
    baby = new_resident(home["id"], name="新生儿", birth_date="2026-10-01", mother_id=mum["id"])
    sibling = new_resident(home["id"], name="哥哥", birth_date="2020-01-01")
    results = asst.push(home, mum, baby, sibling)
    assert [r["status"] for r in results] == ["applied", "applied", "rejected", "applied"]
    assert results[2]["errors"]["mother_id"] == [error]


def test_a_mother_of_another_village_is_a_coded_problem_for_staff(phone, world):
    sup = phone("sup1")
    here = new_household(village_id=world.units["V1a"].id)
    there = new_household(village_id=world.units["V1b"].id)
    mum = new_resident(there["id"], name="外村母亲", birth_date="1990-01-01")
    baby = new_resident(here["id"], name="新生儿", birth_date="2026-10-01", mother_id=mum["id"])
    results = sup.push(here, there, mum, baby)
    assert results[3]["status"] == "rejected"
    assert results[3]["code"] == "mother_elsewhere"


def test_a_mother_out_of_scope_looks_missing(phone):
    _, mum = _created(phone("asst2"), birth_date="1990-01-01")
    asst = phone("asst1")
    home = new_household()
    baby = new_resident(home["id"], name="新生儿", birth_date="2026-10-01", mother_id=mum)
    results = asst.push(home, baby)
    assert results[1]["code"] == "validation_error"
    assert results[1]["errors"]["mother_id"] == ["No such resident."]
