"""A record's review round trip over the real sync endpoints: push, return, pull, fix, approve."""

from __future__ import annotations

import uuid

from server.domain.records.catalogue import load_definitions
from server.extensions import db
from tests.factories import make_resident

VISIT = {
    "visit_method": "home",
    "bp_source": "not_measured",
    "medication": "regular",
    "complaints": ["none"],
}


def push(client, headers, device, entity_id, op, data, base_version=None):
    mutation = {
        "mutation_id": str(uuid.uuid4()),
        "entity": "service_record",
        "op": op,
        "id": entity_id,
        "base_version": base_version,
        "data": data,
        "client_time": "2026-11-02T09:30:00+08:00",
    }
    response = client.post(
        "/api/sync/push", json={"device_id": device, "mutations": [mutation]}, headers=headers
    )
    result = response.get_json()["results"][0]
    assert result["status"] == "applied", result
    return result


def pulled_record(client, headers, record_id):
    changes = client.get("/api/sync/pull", headers=headers).get_json()["changes"]
    return next(c for c in changes if c["id"] == record_id)


def test_returned_record_reaches_the_phone_and_comes_back_pending(client, auth, world):
    load_definitions(db.session)
    resident = make_resident(db.session, world.units["V1a"])
    db.session.commit()
    phone = auth.headers("asst1", device_id="phone-asst1")
    desk = auth.headers("sup1")
    record_id = str(uuid.uuid4())
    created = {
        "resident_id": str(resident.id),
        "form_code": "hypertension_followup",
        "form_version": 1,
        "visit_date": "2026-11-01",
        "data": VISIT,
    }
    push(client, phone, "phone-asst1", record_id, "create", created)

    returned = client.post(
        f"/api/review/records/{record_id}/return",
        json={"version": 1, "comment": "请测量血压"},
        headers=desk,
    )
    assert returned.status_code == 200
    on_phone = pulled_record(client, phone, record_id)
    assert on_phone["data"]["review_status"] == "returned"
    assert on_phone["data"]["review_comment"] == "请测量血压"

    fix = {"data": {"bp_source": "measured", "blood_pressure": {"systolic": 150, "diastolic": 95}}}
    fixed = push(client, phone, "phone-asst1", record_id, "update", fix, on_phone["version"])
    detail = client.get(f"/api/review/records/{record_id}", headers=desk).get_json()
    assert detail["review_status"] == "pending"
    assert detail["version"] == fixed["version"]
    assert detail["device"]["client_id"] == "phone-asst1"

    approved = client.post(
        f"/api/review/records/{record_id}/approve", json={"version": fixed["version"]}, headers=desk
    )
    assert approved.status_code == 200
    assert pulled_record(client, phone, record_id)["data"]["review_status"] == "approved"
    history = client.get(f"/api/review/records/{record_id}", headers=desk).get_json()["history"]
    assert [h["review_status"] for h in history] == ["pending", "returned", "pending", "approved"]
    assert [h["version"] for h in history] == [1, 2, 3, 4]
    assert history[1]["comment"] == "请测量血压"
