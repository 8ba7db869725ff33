"""Records a phone made offline for a resident that a supervisor merged away meanwhile."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from server.domain.records.model import ServiceRecord
from server.domain.registry.merge import merge_residents
from server.extensions import db
from tests.factories import make_resident
from tests.sync.conftest import new_record, update

BORN = date(1950, 4, 1)


def merged_pair(world, keep_village: str, dup_village: str):
    keep = make_resident(
        db.session, world.units[keep_village], name="钱大妈", birth_date=BORN, tags=["hypertension"]
    )
    dup = make_resident(
        db.session, world.units[dup_village], name="钱大妈", birth_date=BORN, tags=["hypertension"]
    )
    db.session.commit()
    merge_residents(db.session, keep, dup, actor_id=world.users["sup1"].id)
    db.session.commit()
    return keep, dup


def owner(record_id: str) -> uuid.UUID:
    db.session.expire_all()
    return db.session.get(ServiceRecord, uuid.UUID(record_id)).resident_id


@pytest.mark.parametrize("batch", [1, 3], ids=["alone", "in-a-batch"])
def test_a_record_for_a_merged_away_resident_lands_on_the_kept_one(phone, world, batch):
    keep, dup = merged_pair(world, "V1a", "V1a")
    creates = [new_record(str(dup.id)) for _ in range(batch)]

    results = phone("asst1").push(*creates)

    assert [r["status"] for r in results] == ["applied"] * batch
    assert {owner(c["id"]) for c in creates} == {keep.id}


def test_the_phone_learns_the_kept_resident_from_the_next_pull(phone, world):
    keep, dup = merged_pair(world, "V1a", "V1a")
    asst1 = phone("asst1")
    create = new_record(str(dup.id))
    asst1.push_one(create)

    seen = asst1.pull_all()

    assert seen["service_record", create["id"]]["data"]["resident_id"] == str(keep.id)
    assert seen["resident", str(dup.id)]["op"] == "delete"


def test_moving_a_record_onto_a_merged_away_resident_moves_it_to_the_kept_one(phone, world):
    keep, dup = merged_pair(world, "V1a", "V1a")
    other = make_resident(
        db.session, world.units["V1a"], name="孙伯", birth_date=BORN, tags=["hypertension"]
    )
    db.session.commit()
    asst1 = phone("asst1")
    created = asst1.push_one(new_record(str(other.id)))

    result = asst1.push_one(update("service_record", created["id"], 1, resident_id=str(dup.id)))

    assert result["status"] == "applied"
    assert owner(created["id"]) == keep.id


def test_a_merge_into_another_village_refuses_the_record_with_a_reason(phone, world):
    _, dup = merged_pair(world, "V1a", "V1b")

    result = phone("asst2").push_one(new_record(str(dup.id)))

    assert (result["status"], result["code"]) == ("rejected", "resident_merged")
    assert "merged" in result["message"]
    assert db.session.query(ServiceRecord).filter_by(resident_id=dup.id).count() == 0


def test_a_merge_across_villages_moves_the_records_to_the_kept_residents_village(phone, world):
    keep = make_resident(
        db.session, world.units["V1a"], name="钱大妈", birth_date=BORN, tags=["hypertension"]
    )
    dup = make_resident(
        db.session, world.units["V1b"], name="钱大妈", birth_date=BORN, tags=["hypertension"]
    )
    db.session.commit()
    asst1, asst2 = phone("asst1"), phone("asst2")
    visit = new_record(str(dup.id))
    asst2.push_one(visit)
    asst1.pull_all(), asst2.pull_all()

    merge_residents(db.session, keep, dup, actor_id=world.users["sup1"].id)
    db.session.commit()

    db.session.expire_all()
    assert db.session.get(ServiceRecord, uuid.UUID(visit["id"])).village_id == keep.village_id
    assert asst2.pull_all()["service_record", visit["id"]]["op"] == "delete"
    moved = asst1.pull_all()["service_record", visit["id"]]
    assert (moved["op"], moved["data"]["resident_id"]) == ("upsert", str(keep.id))
