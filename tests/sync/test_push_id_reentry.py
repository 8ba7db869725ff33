"""An assistant corrects a resident's ID number by sending a new one: accepted, checked as at
registration, and audited masked (the phone never holds the stored number to edit it)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select

from server.core.audit import AuditEntry
from server.domain.registry.model import Resident
from server.extensions import db
from tests.factories import valid_id_number
from tests.sync.conftest import new_household, new_resident, update

BORN = date(1958, 3, 2)
TYPED_WRONG = valid_id_number(BORN, serial="418")
RIGHT = valid_id_number(BORN, serial="481")


def _registered(phone) -> str:
    household = new_household()
    resident = new_resident(household["id"], id_number=TYPED_WRONG)
    phone.push(household, resident)
    return resident["id"]


def test_an_assistant_replaces_a_residents_number_through_sync(phone):
    asst = phone("asst1")
    rid = _registered(asst)
    result = asst.push_one(update("resident", rid, 1, id_number=RIGHT))
    db.session.expire_all()
    assert (result["status"], db.session.get(Resident, uuid.UUID(rid)).id_number) == (
        "applied",
        RIGHT,
    )


def test_the_answer_to_a_replaced_number_does_not_echo_it(phone):
    asst = phone("asst1")
    rid = _registered(asst)
    result = asst.push_one(update("resident", rid, 1, id_number=RIGHT))
    assert (result["status"], RIGHT[6:] in str(result)) == ("applied", False)


def test_a_replacement_number_with_a_wrong_check_digit_is_refused(phone):
    asst = phone("asst1")
    rid = _registered(asst)
    wrong = RIGHT[:17] + ("1" if RIGHT[-1] != "1" else "2")
    result = asst.push_one(update("resident", rid, 1, id_number=wrong))
    assert (result["status"], list(result["errors"])) == ("rejected", ["id_number"])
    assert wrong not in str(result)


def test_a_replacement_number_of_another_birth_date_is_refused(phone):
    asst = phone("asst1")
    rid = _registered(asst)
    result = asst.push_one(update("resident", rid, 1, id_number=valid_id_number(date(1958, 3, 3))))
    assert (result["status"], list(result["errors"])) == ("rejected", ["id_number"])


def test_a_replaced_number_is_audited_masked_before_and_after(phone):
    asst = phone("asst1")
    rid = _registered(asst)
    asst.push_one(update("resident", rid, 1, id_number=RIGHT))
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.entity_id == rid, AuditEntry.action == "update")
    ).one()
    assert (entry.before["id_number"], entry.after["id_number"]) == (
        "350521************",
        "350521************",
    )
