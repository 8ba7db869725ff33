"""Merging a confirmed duplicate: services move, gaps are filled, nothing is lost, all audited."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from server.core.audit import audit_entries
from server.core.problems import Problem
from server.domain.records.model import ServiceRecord
from server.domain.registry.merge import merge_residents
from server.domain.registry.model import Resident
from server.extensions import db
from sync.models import Change
from tests.factories import make_household, make_record, make_resident, valid_id_number

BORN = date(1948, 3, 9)
NUMBER = valid_id_number(BORN, serial="321")


@pytest.fixture
def pair(world):
    """The same man registered twice in township T1: once in V1a, once in V1b with more data."""
    keep = make_resident(db.session, world.units["V1a"], name="赵大爷", birth_date=BORN)
    home = make_household(db.session, world.units["V1b"])
    dup = make_resident(
        db.session,
        world.units["V1b"],
        name="赵大爷",
        birth_date=BORN,
        id_number=NUMBER,
        phone="13700000000",
        household_id=home.id,
        tags=["hypertension"],
    )
    make_record(db.session, keep, world.users["asst1"], visit_date=date(2026, 1, 5))
    for day in (date(2026, 2, 5), date(2026, 3, 5)):
        make_record(db.session, dup, world.users["asst2"], visit_date=day)
    db.session.commit()
    return keep, dup


def merge(client, auth, keep, dup, user="sup1"):
    return client.post(
        f"/api/residents/{keep.id}/merge",
        json={"duplicate_id": str(dup.id)},
        headers=auth.headers(user),
    )


def test_merge_moves_every_service_record_to_the_kept_resident(world, pair):
    keep, dup = pair
    before = set(db.session.scalars(select(ServiceRecord.id)))
    merge_residents(db.session, keep, dup, actor_id=world.users["sup1"].id)
    db.session.commit()
    owners = dict(db.session.execute(select(ServiceRecord.id, ServiceRecord.resident_id)).all())
    assert set(owners) == before
    assert set(owners.values()) == {keep.id}


def test_merge_fills_only_the_empty_fields_of_the_kept_resident(world, pair):
    keep, dup = pair
    keep.phone = "13811112222"
    db.session.commit()
    result = merge_residents(db.session, keep, dup, actor_id=world.users["sup1"].id)
    assert (keep.id_number, keep.phone, keep.household_id) == (
        NUMBER,
        "13811112222",
        dup.household_id,
    )
    assert keep.tags == ["hypertension"]
    assert result.filled_fields == ["household_id", "id_number", "tags"]


def test_duplicate_stays_as_a_tombstone(world, pair):
    keep, dup = pair
    merge_residents(db.session, keep, dup, actor_id=world.users["sup1"].id)
    db.session.commit()
    tombstone = db.session.get(Resident, dup.id)
    assert tombstone.deleted is True
    assert (tombstone.name, tombstone.id_number) == ("赵大爷", NUMBER)


def test_every_changed_row_enters_the_change_feed(world, pair):
    keep, dup = pair
    moved = [r.id for r in db.session.scalars(select(ServiceRecord).filter_by(resident_id=dup.id))]
    merge_residents(db.session, keep, dup, actor_id=world.users["sup1"].id)
    db.session.commit()
    feed = {(c.entity, c.entity_id): c.op for c in db.session.scalars(select(Change))}
    assert feed[("resident", str(keep.id))] == "upsert"
    assert feed[("resident", str(dup.id))] == "delete"
    assert all(feed[("service_record", str(i))] == "upsert" for i in moved)


def test_merge_is_audited_with_the_supervisor_as_actor(world, pair):
    keep, dup = pair
    sup1 = world.users["sup1"]
    merge_residents(db.session, keep, dup, actor_id=sup1.id)
    db.session.commit()
    [entry] = audit_entries(db.session, "resident", dup.id)
    assert (entry.action, entry.actor_id) == ("merge", sup1.id)
    assert entry.before["deleted"] is False and entry.after["deleted"] is True
    assert str(keep.id) in entry.comment
    assert audit_entries(db.session, "resident", keep.id)[-1].action == "merge"


def test_merged_rows_get_a_new_version(world, pair):
    keep, dup = pair
    merge_residents(db.session, keep, dup, actor_id=world.users["sup1"].id)
    assert (keep.version, dup.version) == (2, 2)


def test_residents_with_different_id_numbers_are_not_merged(world, pair):
    keep, dup = pair
    keep.id_number = valid_id_number(BORN, serial="999")
    with pytest.raises(Problem) as refused:
        merge_residents(db.session, keep, dup, actor_id=world.users["sup1"].id)
    assert refused.value.code == "merge_id_numbers_differ"


def test_a_resident_is_not_merged_into_itself(world, pair):
    keep, _ = pair
    with pytest.raises(Problem) as refused:
        merge_residents(db.session, keep, keep, actor_id=world.users["sup1"].id)
    assert refused.value.code == "merge_same_resident"


def test_api_merge_answers_the_kept_resident_with_the_whole_timeline(client, auth, pair):
    keep, dup = pair
    response = merge(client, auth, keep, dup)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["kept"]["id"] == str(keep.id)
    assert [s["visit_date"] for s in body["kept"]["services"]] == [
        "2026-03-05",
        "2026-02-05",
        "2026-01-05",
    ]
    assert len(body["moved_record_ids"]) == 2
    assert client.get(f"/api/residents/{dup.id}", headers=auth.headers("sup1")).status_code == 404


def test_api_merge_of_a_resident_out_of_scope_is_not_found(client, auth, world, pair):
    keep, _ = pair
    stranger = make_resident(db.session, world.units["V2a"], name="赵大爷", birth_date=BORN)
    db.session.commit()
    response = merge(client, auth, keep, stranger)
    assert response.status_code == 404
    assert db.session.get(Resident, stranger.id).deleted is False


def test_api_merge_is_refused_to_assistants(client, auth, pair):
    keep, dup = pair
    response = merge(client, auth, keep, dup, user="asst1")
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Resident, dup.id).deleted is False


def test_api_merge_of_an_already_merged_duplicate_is_not_found(client, auth, pair):
    keep, dup = pair
    assert merge(client, auth, keep, dup).status_code == 200
    assert merge(client, auth, keep, dup).status_code == 404
