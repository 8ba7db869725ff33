"""A pushed record's answers are checked against its own visit date: an LMP within 300 days of
the visit is accepted though it is longer ago today, and computed fields count to the visit."""

from __future__ import annotations

import pytest

from server.domain.records.catalogue import publish_definition
from server.extensions import db
from tests.sync.conftest import mutation, new_resident, update

PREGNANCY = {
    "code": "pregnancy_check",
    "version": 1,
    "title": {"zh": "孕检", "en": "Pregnancy check"},
    "category": "maternal",
    "weight": 1,
    "subject": "resident",
    "non_medical": True,
    "fields": [
        {
            "name": "lmp",
            "type": "date",
            "label": {"zh": "末次月经", "en": "LMP"},
            "not_future": True,
            "visit_offset_days": {"min": -300, "max": 0},
        },
        {
            "name": "weeks",
            "type": "integer",
            "label": {"zh": "孕周", "en": "Weeks"},
            "compute": {"weeks_since": "lmp"},
        },
    ],
}


@pytest.fixture
def asst1(phone):
    publish_definition(db.session, PREGNANCY, None)
    db.session.commit()
    return phone("asst1")


def _record(resident_id: str, visit_date: str, **data) -> dict:
    values = {
        "resident_id": resident_id,
        "form_code": "pregnancy_check",
        "form_version": 1,
        "visit_date": visit_date,
        "data": data,
    }
    return mutation("service_record", "create", values)


def test_an_lmp_is_checked_against_the_records_visit_date_not_today(asst1):
    resident = asst1.push_one(new_resident())
    result = asst1.push_one(_record(resident["id"], "2026-11-01", lmp="2026-01-10", weeks=42))
    assert result["status"] == "applied", result


def test_computed_weeks_count_to_the_visit_date(asst1):
    resident = asst1.push_one(new_resident())
    result = asst1.push_one(_record(resident["id"], "2026-11-01", lmp="2026-09-01", weeks=12))
    assert result["code"] == "validation_error"
    assert result["errors"]["data"] == {"weeks": ["Must be 8: it is computed from lmp."]}


def test_moving_the_visit_date_rechecks_the_dates_relative_to_it(asst1):
    resident = asst1.push_one(new_resident())
    record = asst1.push_one(_record(resident["id"], "2026-11-01", lmp="2026-09-01", weeks=8))
    moved = asst1.push_one(update("service_record", record["id"], 1, visit_date="2026-08-20"))
    assert moved["code"] == "validation_error"
    assert moved["errors"]["data"]["lmp"] == [
        "Must be between 0 and 300 days before the visit date."
    ]
