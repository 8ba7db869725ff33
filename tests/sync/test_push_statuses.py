"""Push over HTTP: one test per answer a mutation can get."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, select

from server.core.audit import audit_entries
from server.core.clock import local_today
from server.domain.accounts.model import Device
from server.domain.records.model import ServiceRecord
from server.domain.registry.model import Household, Resident
from server.extensions import db
from sync.models import AppliedMutation, Conflict
from tests.factories import make_household
from tests.sync.conftest import new_household, new_record, new_resident, update


def count(model: type) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def household(ident: str) -> Household:
    db.session.expire_all()
    return db.session.get(Household, uuid.UUID(ident))


def test_a_new_household_is_applied_at_version_1_and_audited(phone, world):
    asst1 = phone("asst1")
    create = new_household()

    result = asst1.push_one(create)

    assert result["status"] == "applied"
    assert (result["id"], result["version"]) == (create["id"], 1)
    assert household(create["id"]).address == "村口1号"
    [entry] = audit_entries(db.session, "household", create["id"])
    device = db.session.scalars(select(Device).where(Device.client_id == asst1.device_id)).one()
    assert (entry.actor_id, entry.device_id, entry.action) == (
        world.users["asst1"].id,
        device.id,
        "create",
    )
    assert entry.after["address"] == "村口1号"


def test_an_update_on_the_current_version_is_applied_as_the_next_version(phone):
    asst1 = phone("asst1")
    created = asst1.push_one(new_household())

    result = asst1.push_one(update("household", created["id"], 1, address="村口2号"))

    assert (result["status"], result["version"]) == ("applied", 2)
    assert household(created["id"]).address == "村口2号"


def test_a_mutation_sent_again_is_a_duplicate_with_the_first_answer_and_no_new_write(phone):
    asst1 = phone("asst1")
    create = new_household()
    first = asst1.push_one(create)

    again = asst1.push_one(create)

    assert again["status"] == "duplicate"
    assert again["first_status"] == "applied"
    assert (again["id"], again["version"]) == (first["id"], first["version"])
    assert count(Household) == 1
    assert count(AppliedMutation) == 1
    assert len(audit_entries(db.session, "household", create["id"])) == 1


def test_edits_to_different_fields_since_the_base_are_merged_and_both_kept(phone):
    asst1, sup1 = phone("asst1"), phone("sup1")
    created = asst1.push_one(new_household())
    sup1.push_one(update("household", created["id"], 1, head_name="王建军"))

    result = asst1.push_one(update("household", created["id"], 1, address="村口9号"))

    assert (result["status"], result["version"]) == ("merged", 3)
    row = household(created["id"])
    assert (row.address, row.head_name) == ("村口9号", "王建军")
    assert result["record"]["data"]["head_name"] == "王建军"


def test_the_same_field_changed_on_both_sides_keeps_the_server_value_and_files_a_conflict(phone):
    asst1, sup1 = phone("asst1"), phone("sup1")
    created = asst1.push_one(new_household())
    sup1.push_one(update("household", created["id"], 1, head_name="王建军"))

    edit = update("household", created["id"], 1, head_name="王建民", low_income=True)
    result = asst1.push_one(edit)

    assert result["status"] == "conflict"
    assert result["conflicts"] == ["head_name"]
    assert result["record"]["data"]["head_name"] == "王建军"
    row = household(created["id"])
    assert (row.head_name, row.low_income) == ("王建军", True)
    [conflict] = db.session.scalars(select(Conflict)).all()
    assert (conflict.field, conflict.server_value, conflict.client_value) == (
        "head_name",
        "王建军",
        "王建民",
    )
    assert (conflict.status, conflict.mutation_id, conflict.base_version) == (
        "open",
        edit["mutation_id"],
        1,
    )


def test_form_fields_of_a_service_record_merge_one_by_one(phone):
    asst1, sup1 = phone("asst1"), phone("sup1")
    resident = asst1.push_one(new_resident())
    record = asst1.push_one(new_record(resident["id"]))
    sup1.push_one(update("service_record", record["id"], 1, data={"notes": "复查"}))

    result = asst1.push_one(update("service_record", record["id"], 1, data={"weight_kg": 61.5}))

    assert result["status"] == "merged"
    db.session.expire_all()
    stored = db.session.get(ServiceRecord, uuid.UUID(record["id"])).data
    assert (stored["notes"], stored["weight_kg"]) == ("复查", 61.5)


def test_invalid_resident_fields_are_rejected_per_field_and_nothing_is_stored(phone):
    asst1 = phone("asst1")

    result = asst1.push_one(new_resident(sex="X", id_number="110101199003071234"))

    assert result["status"] == "rejected"
    assert result["code"] == "validation_error"
    assert set(result["errors"]) == {"sex", "id_number"}
    assert count(Resident) == 0
    assert count(AppliedMutation) == 0


def test_form_data_is_checked_against_the_form_definition(phone):
    asst1 = phone("asst1")
    resident = asst1.push_one(new_resident())

    result = asst1.push_one(new_record(resident["id"], blood_pressure=None, medication="lots"))

    assert result["status"] == "rejected"
    assert set(result["errors"]["data"]) == {"blood_pressure", "medication"}
    assert count(ServiceRecord) == 0


def test_a_household_of_another_village_is_not_found_for_update(phone, world):
    other = make_household(db.session, world.units["V1b"])
    db.session.commit()

    result = phone("asst1").push_one(update("household", str(other.id), 1, address="x"))

    assert (result["status"], result["code"]) == ("rejected", "not_found")
    assert household(str(other.id)).address == "村口1号"


def test_a_resident_cannot_be_created_in_another_villages_household(phone, world):
    other = make_household(db.session, world.units["V2a"])
    db.session.commit()

    result = phone("asst1").push_one(new_resident(str(other.id)))

    assert (result["status"], result["code"]) == ("rejected", "not_found")
    assert result["errors"] == {"household_id": ["No such household."]}
    assert count(Resident) == 0


def test_an_approved_record_cannot_be_changed_or_deleted(phone):
    asst1 = phone("asst1")
    resident = asst1.push_one(new_resident())
    record = asst1.push_one(new_record(resident["id"]))
    row = db.session.get(ServiceRecord, uuid.UUID(record["id"]))
    row.review_status = "approved"
    db.session.commit()

    edit = asst1.push_one(update("service_record", record["id"], 1, data={"notes": "改"}))
    delete = asst1.push_one(update("service_record", record["id"], 1) | {"op": "delete"})

    assert [(r["status"], r["code"]) for r in (edit, delete)] == [
        ("rejected", "record_reviewed"),
        ("rejected", "record_reviewed"),
    ]
    db.session.expire_all()
    assert not db.session.get(ServiceRecord, uuid.UUID(record["id"])).deleted


def test_editing_a_returned_record_sends_it_back_to_review(phone):
    asst1 = phone("asst1")
    resident = asst1.push_one(new_resident())
    record = asst1.push_one(new_record(resident["id"]))
    row = db.session.get(ServiceRecord, uuid.UUID(record["id"]))
    row.review_status, row.review_comment = "returned", "血压请复测"
    db.session.commit()

    result = asst1.push_one(
        update(
            "service_record",
            record["id"],
            1,
            data={"blood_pressure": {"systolic": 138, "diastolic": 88}},
        )
    )

    assert result["status"] == "applied"
    db.session.expire_all()
    assert db.session.get(ServiceRecord, uuid.UUID(record["id"])).review_status == "pending"


def test_a_mutation_id_reused_for_another_change_is_rejected_and_changes_nothing(phone):
    asst1 = phone("asst1")
    create = new_household()
    asst1.push_one(create)

    reused = {**create, "data": {**create["data"], "address": "别处"}}
    result = asst1.push_one(reused)

    assert (result["status"], result["code"]) == ("rejected", "mutation_id_reused")
    assert household(create["id"]).address == "村口1号"
    assert count(Household) == 1


def test_valid_mutations_land_even_when_others_in_the_batch_are_rejected(phone):
    asst1 = phone("asst1")
    good, bad, also_good = new_household(), new_household(address=""), new_household()

    results = asst1.push(good, bad, also_good)

    assert [r["status"] for r in results] == ["applied", "rejected", "applied"]
    assert [r["mutation_id"] for r in results] == [m["mutation_id"] for m in (good, bad, also_good)]
    assert count(Household) == 2


def test_a_delete_leaves_a_tombstone_at_the_next_version(phone):
    asst1 = phone("asst1")
    created = asst1.push_one(new_household())

    result = asst1.push_one(update("household", created["id"], 1) | {"op": "delete"})

    assert (result["status"], result["version"]) == ("applied", 2)
    assert household(created["id"]).deleted


def test_a_future_visit_date_is_rejected(phone):
    asst1 = phone("asst1")
    resident = asst1.push_one(new_resident())
    record = new_record(resident["id"])
    record["data"]["visit_date"] = date(2999, 1, 1).isoformat()

    result = asst1.push_one(record)

    assert result["errors"] == {"visit_date": ["This date is in the future."]}


def test_a_visit_dated_today_in_china_is_accepted_whatever_the_servers_zone(phone):
    asst1 = phone("asst1")
    resident = asst1.push_one(new_resident())
    record = new_record(resident["id"])
    record["data"]["visit_date"] = local_today().isoformat()

    assert asst1.push_one(record)["status"] == "applied"
