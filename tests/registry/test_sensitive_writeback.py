"""Masking never loses data: an admin shown a resident without their tuberculosis, who edits
the tags and pushes them back, keeps the tuberculosis on the server."""

from __future__ import annotations

import uuid

from server.domain.records.model import ServiceRecord
from server.domain.registry.model import Resident
from server.extensions import db
from tests.factories import TB_VISIT
from tests.sync.conftest import mutation, new_household, new_resident, update


def _create(phone):
    household = new_household()
    resident = new_resident(household["id"], tags=["hypertension", "tuberculosis"])
    assert [r["status"] for r in phone.push(household, resident)] == ["applied", "applied"]
    return resident["id"]


def test_admin_editing_masked_tags_keeps_the_hidden_tuberculosis(phone):
    resident_id = _create(phone("asst1"))
    admin = phone("admin")
    shown = admin.pull_all()["resident", resident_id]["data"]["tags"]
    assert shown == ["hypertension"]
    result = admin.push_one(update("resident", resident_id, 1, tags=[*shown, "diabetes"]))
    assert result["status"] == "applied"
    assert admin.pull_all()["resident", resident_id]["data"]["tags"] == [*shown, "diabetes"]
    stored = db.session.get(Resident, uuid.UUID(resident_id))
    assert stored.tags == ["hypertension", "diabetes", "tuberculosis"]


def test_the_villages_assistant_can_still_remove_the_tag(phone):
    assistant = phone("asst1")
    resident_id = _create(assistant)
    result = assistant.push_one(update("resident", resident_id, 1, tags=["hypertension"]))
    assert result["status"] == "applied"
    assert db.session.get(Resident, uuid.UUID(resident_id)).tags == ["hypertension"]


def test_admin_correcting_a_masked_follow_up_keeps_its_form_and_answers(phone):
    assistant = phone("asst1")
    resident_id = _create(assistant)
    values = {"resident_id": resident_id, "form_code": "tuberculosis_followup"}
    record = mutation(
        "service_record",
        "create",
        {**values, "form_version": 1, "visit_date": "2026-11-01", "data": TB_VISIT},
    )
    assert assistant.push_one(record)["status"] == "applied"
    admin = phone("admin")
    shown = admin.pull_all()["service_record", record["id"]]["data"]
    assert (shown["form_code"], shown["data"]) == ("followup", {})
    result = admin.push_one(
        update("service_record", record["id"], 1, form_code="followup", visit_date="2026-11-02")
    )
    assert result["status"] == "applied"
    stored = db.session.get(ServiceRecord, uuid.UUID(record["id"]))
    assert (stored.form_code, stored.data) == ("tuberculosis_followup", TB_VISIT)
    assert stored.visit_date.isoformat() == "2026-11-02"
