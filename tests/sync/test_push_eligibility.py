"""A pushed record must fit its form's sex and ages at its visit date, and not predate its
resident's birth; one refused record leaves the rest of its batch applied, and an edit of an
old record's answers is never refused for these facts."""

from __future__ import annotations

import uuid

import pytest

from server.domain.records.catalogue import publish_definition
from server.domain.records.eligible_facts import BEFORE_BIRTH, WRONG_AGE, WRONG_SEX
from server.domain.records.model import ServiceRecord
from server.domain.registry.model import Resident
from server.extensions import db
from tests.sync.conftest import mutation, new_resident, update

BOOKING = {
    "code": "booking_check",
    "version": 1,
    "title": {"zh": "早孕建册", "en": "Booking"},
    "category": "maternal",
    "weight": 1,
    "subject": "resident",
    "non_medical": True,
    "eligibility": {"sex": "F", "min_age": 15, "max_age": 49, "tags_any": ["pregnant"]},
    "fields": [{"name": "note", "type": "text", "label": {"zh": "备注", "en": "Note"}}],
}


@pytest.fixture
def asst1(phone):
    publish_definition(db.session, BOOKING, None)
    db.session.commit()
    return phone("asst1")


def _booking(resident_id: str, visit_date: str = "2026-11-01", note: str = "") -> dict:
    values = {
        "resident_id": resident_id,
        "form_code": "booking_check",
        "form_version": 1,
        "visit_date": visit_date,
        "data": {"note": note},
    }
    return mutation("service_record", "create", values)


def test_a_boys_booking_dated_before_his_birth_is_refused(asst1):
    boy = asst1.push_one(new_resident(name="王小明", sex="M", birth_date="2026-11-02"))
    result = asst1.push_one(_booking(boy["id"], "2026-10-30"))
    assert result["code"] == "validation_error"
    assert result["errors"] == {"visit_date": [BEFORE_BIRTH]}


def test_a_mans_booking_is_refused_under_the_resident(asst1):
    man = asst1.push_one(new_resident(name="王强", sex="M", birth_date="1990-01-01"))
    result = asst1.push_one(_booking(man["id"]))
    assert result["errors"] == {"resident_id": [WRONG_SEX]}


def test_a_booking_for_a_woman_over_49_at_the_visit_is_refused(asst1):
    woman = asst1.push_one(new_resident(birth_date="1976-10-31"))
    result = asst1.push_one(_booking(woman["id"]))
    assert result["errors"] == {"resident_id": [WRONG_AGE]}


def test_a_booking_is_not_refused_for_a_missing_pregnant_tag(asst1):
    woman = asst1.push_one(new_resident(birth_date="1996-05-01"))
    assert asst1.push_one(_booking(woman["id"]))["status"] == "applied"


def test_one_refused_record_leaves_the_rest_of_the_batch_applied(asst1):
    woman = new_resident(birth_date="1996-05-01")
    old = new_resident(name="赵奶奶", birth_date="1940-05-01")
    results = asst1.push(
        woman, old, _booking(woman["id"]), _booking(old["id"]), _booking(woman["id"], "2026-11-02")
    )
    assert [r["status"] for r in results] == [
        "applied",
        "applied",
        "applied",
        "rejected",
        "applied",
    ]


def test_an_old_records_answers_stay_editable_after_its_resident_no_longer_fits(asst1):
    woman = asst1.push_one(new_resident(birth_date="1996-05-01"))
    record = asst1.push_one(_booking(woman["id"]))
    db.session.get(Resident, uuid.UUID(woman["id"])).sex = "M"  # corrected in the registry since
    db.session.commit()
    edit = update("service_record", record["id"], record["version"], data={"note": "复查"})
    assert asst1.push_one(edit)["status"] == "applied"
    assert db.session.get(ServiceRecord, uuid.UUID(record["id"])).data["note"] == "复查"


def test_moving_an_old_record_to_a_date_before_the_birth_is_refused(asst1):
    woman = asst1.push_one(new_resident(birth_date="2010-06-01"))
    record = asst1.push_one(_booking(woman["id"]))
    edit = update("service_record", record["id"], record["version"], visit_date="2010-05-31")
    assert asst1.push_one(edit)["errors"] == {"visit_date": [BEFORE_BIRTH]}
