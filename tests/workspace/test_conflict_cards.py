"""Conflict cards with context (resident, form, visit date, who sent each value when), and the
phone whose value lost told, then shown the outcome."""

from __future__ import annotations

import uuid

import pytest

from server.domain.records.catalogue import load_definitions
from server.extensions import db
from tests.factories import make_resident

VISIT = {
    "visit_method": "home",
    "glucose_measured": True,
    "glucose_timing": "fasting",
    "blood_glucose": 5.5,
    "medication": "regular",
    "complaints": ["none"],
}


def push(client, auth, device, op, record_id, data, base_version=None, username="asst1"):
    mutation = {
        "mutation_id": str(uuid.uuid4()),
        "entity": "service_record",
        "op": op,
        "id": record_id,
        "base_version": base_version,
        "data": data,
    }
    response = client.post(
        "/api/sync/push",
        json={"device_id": device, "mutations": [mutation]},
        headers=auth.headers(username, device_id=device),
    )
    return response.get_json()["results"][0]


@pytest.fixture
def lost(client, auth, world):
    """Phone A sets the glucose to 6.2, phone B (same base) to 7.1: B's value loses."""
    load_definitions(db.session)
    resident = make_resident(db.session, world.units["V1a"], name="赵大妈")
    db.session.commit()
    record_id = str(uuid.uuid4())
    created = push(
        client,
        auth,
        "phone-aaaa",
        "create",
        record_id,
        {
            "resident_id": str(resident.id),
            "form_code": "diabetes_followup",
            "form_version": 1,
            "visit_date": "2026-11-05",
            "data": VISIT,
        },
    )
    assert created["status"] == "applied", created
    won = push(client, auth, "phone-aaaa", "update", record_id, {"data": {"blood_glucose": 6.2}}, 1)
    assert won["status"] == "applied", won
    answer = push(
        client, auth, "phone-bbbb", "update", record_id, {"data": {"blood_glucose": 7.1}}, 1
    )
    assert answer["status"] == "conflict", answer
    return record_id, resident


def test_a_conflict_card_names_the_resident_form_and_visit_date(client, auth, lost):
    record_id, resident = lost
    (card,) = client.get("/api/conflicts", headers=auth.headers("sup1")).get_json()["items"]
    assert card["resident"] == {"id": str(resident.id), "name": "赵大妈"}
    assert card["form_title"] == "2型糖尿病患者随访"
    assert card["visit_date"] == "2026-11-05"
    assert card["record_id"] == record_id
    assert card["label"] == "血糖值"


def test_a_conflict_card_says_who_sent_each_value_and_when(client, auth, world, lost):
    (card,) = client.get("/api/conflicts", headers=auth.headers("sup1")).get_json()["items"]
    assert (card["server_value"], card["client_value"]) == (6.2, 7.1)
    assert card["server_by"]["username"] == "asst1" and card["server_at"]
    assert card["author"]["username"] == "asst1" and card["created_at"]
    assert card["server_at"] <= card["created_at"]


def test_the_phone_whose_value_lost_is_told_the_supervisor_will_decide(client, auth, lost):
    record_id, _ = lost
    mine = client.get(f"/api/conflicts/mine?entity_id={record_id}", headers=auth.headers("asst1"))
    assert mine.status_code == 200
    (item,) = mine.get_json()["items"]
    assert (item["status"], item["client_value"], item["label"]) == ("open", 7.1, "血糖值")


def test_the_phone_sees_the_outcome_after_resolution(client, auth, lost):
    record_id, _ = lost
    (card,) = client.get("/api/conflicts", headers=auth.headers("sup1")).get_json()["items"]
    client.post(
        f"/api/conflicts/{card['id']}/resolve",
        json={"choice": "client"},
        headers=auth.headers("sup1"),
    )
    (item,) = client.get(
        f"/api/conflicts/mine?entity_id={record_id}", headers=auth.headers("asst1")
    ).get_json()["items"]
    assert (item["status"], item["resolved_value"]) == ("resolved", 7.1)


def test_another_assistant_sees_none_of_the_conflicts(client, auth, lost):
    record_id, _ = lost
    mine = client.get(f"/api/conflicts/mine?entity_id={record_id}", headers=auth.headers("asst2"))
    assert mine.get_json()["items"] == []


def test_the_menu_counts_open_conflicts(client, auth, lost):
    assert (
        client.get("/api/review/counts", headers=auth.headers("sup1")).get_json()["conflicts"] == 1
    )
