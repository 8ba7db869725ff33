"""A form field of type `resident` (a child's guardian) must name a live resident the pushing
assistant may see, on the bulk and the single-row push path, rejecting only that mutation."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from server.domain.records.references import NO_SUCH_RESIDENT
from server.extensions import db
from tests.catalogue.samples import VALID
from tests.factories import make_resident
from tests.sync.conftest import mutation, new_household, new_resident, update


@pytest.fixture
def residents(world):
    """A child and a guardian in V1a (asst1's), someone in V2a, and a deleted one in V1a."""
    units = world.units
    found = {
        "child": make_resident(db.session, units["V1a"], name="小明", birth_date=date(2023, 5, 1)),
        "guardian": make_resident(db.session, units["V1a"], name="王芳"),
        "elsewhere": make_resident(db.session, units["V2a"], name="赵六"),
        "gone": make_resident(db.session, units["V1a"], name="钱七", deleted=True),
    }
    db.session.commit()
    return {name: str(r.id) for name, r in found.items()}


def checkup(child: str, guardian: str) -> dict:
    values = {
        "resident_id": child,
        "form_code": "child_checkup",
        "form_version": 1,
        "visit_date": "2026-11-01",
        "data": {**VALID["child_checkup"], "guardian": guardian},
    }
    return mutation("service_record", "create", values)


def _guardian_error(result: dict) -> list[str] | None:
    return ((result.get("errors") or {}).get("data") or {}).get("guardian")


@pytest.mark.parametrize("who", ["elsewhere", "gone", "unknown"])
def test_a_guardian_outside_the_villages_missing_or_deleted_is_refused(phone, residents, who):
    guardian = residents.get(who, str(uuid.uuid4()))
    result = phone("asst1").push_one(checkup(residents["child"], guardian))

    assert result["status"] == "rejected"
    assert result["code"] == "validation_error"
    assert _guardian_error(result) == [NO_SUCH_RESIDENT]


def test_a_guardian_in_the_village_is_accepted(phone, residents):
    result = phone("asst1").push_one(checkup(residents["child"], residents["guardian"]))

    assert result["status"] == "applied", result


def test_in_a_batch_only_the_bad_reference_is_rejected(phone, residents):
    good = checkup(residents["child"], residents["guardian"])
    bad = checkup(residents["child"], residents["elsewhere"])
    also_good = checkup(residents["child"], residents["guardian"])

    results = phone("asst1").push(good, bad, also_good)

    assert [r["status"] for r in results] == ["applied", "rejected", "applied"]


def test_a_guardian_registered_earlier_in_the_same_batch_is_found(phone, residents):
    household = new_household()
    guardian = new_resident(household["id"], name="孙丽")

    results = phone("asst1").push(household, guardian, checkup(residents["child"], guardian["id"]))

    assert [r["status"] for r in results] == ["applied"] * 3, results


def test_an_update_to_a_guardian_elsewhere_is_refused(phone, residents):
    device = phone("asst1")
    created = checkup(residents["child"], residents["guardian"])
    device.push_one(created)

    form = {**VALID["child_checkup"], "guardian": residents["elsewhere"]}
    result = device.push_one(update("service_record", created["id"], 1, data=form))

    assert result["status"] == "rejected"
    assert _guardian_error(result) == [NO_SUCH_RESIDENT]
