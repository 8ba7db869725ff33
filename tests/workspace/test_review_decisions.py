"""Approve, return and reject: rules, refusals, audit, history and bulk approval."""

from __future__ import annotations

import pytest

from server.domain.records.model import ServiceRecord
from server.extensions import db
from server.synced import REGISTRY
from sync.changes import server_write
from sync.models import Change


def ids(response) -> set[str]:
    return {item["id"] for item in response.get_json()["items"]}


def post(client, auth, record, action, username="sup1", **body):
    return client.post(
        f"/api/review/records/{record.id}/{action}",
        json={"version": record.version, **body},
        headers=auth.headers(username),
    )


def test_approve_sets_status_bumps_version_and_feeds_the_phones(client, auth, records):
    record = records["v1a"]
    response = post(client, auth, record, "approve")
    assert response.status_code == 200
    assert response.get_json()["review_status"] == "approved"
    assert response.get_json()["version"] == 2
    change = db.session.query(Change).filter_by(entity_id=str(record.id)).one()
    assert change.version == 2


def test_return_keeps_the_comment_for_the_author(client, auth, records):
    record = records["v1a"]
    response = post(client, auth, record, "return", comment="血压未填写")
    assert response.get_json()["review_status"] == "returned"
    assert response.get_json()["review_comment"] == "血压未填写"
    db.session.expire_all()
    assert db.session.get(ServiceRecord, record.id).review_comment == "血压未填写"


def test_reject_needs_a_reason(client, auth, records):
    response = post(client, auth, records["v1a"], "reject", reason="  ")
    assert response.status_code == 422
    assert "reason" in response.get_json()["errors"]


def test_return_needs_a_comment(client, auth, records):
    response = post(client, auth, records["v1a"], "return")
    assert response.status_code == 422
    assert "comment" in response.get_json()["errors"]


def test_reject_with_a_reason(client, auth, records):
    response = post(client, auth, records["v1a"], "reject", reason="重复录入")
    assert response.get_json()["review_status"] == "rejected"
    assert response.get_json()["review_comment"] == "重复录入"


def test_reviewing_an_old_version_is_refused(client, auth, records):
    record = records["v1a"]
    response = client.post(
        f"/api/review/records/{record.id}/approve",
        json={"version": record.version - 1},
        headers=auth.headers("sup1"),
    )
    assert response.status_code == 409
    assert response.get_json()["code"] == "stale_version"
    assert "changed since you opened it" in response.get_json()["message"]


def test_a_reviewed_record_cannot_be_reviewed_again(client, auth, records):
    record = records["v1a"]
    post(client, auth, record, "approve")
    db.session.refresh(record)
    response = post(client, auth, record, "reject", reason="改主意")
    assert response.status_code == 409
    assert "already approved" in response.get_json()["message"]


def test_review_out_of_area_is_not_found(client, auth, records):
    response = post(client, auth, records["v2a"], "approve")
    assert response.status_code == 404


@pytest.mark.parametrize("action", ["approve", "return", "reject"])
def test_assistants_cannot_review(client, auth, records, action):
    response = post(client, auth, records["v1a"], action, username="asst1", comment="x", reason="x")
    assert response.status_code == 403


def test_each_review_is_audited_with_who_and_comment(client, auth, world, records):
    record = records["v1a"]
    post(client, auth, record, "return", comment="请补充血压")
    body = client.get(f"/api/review/records/{record.id}", headers=auth.headers("sup1")).get_json()
    last = body["history"][-1]
    assert last["action"] == "return"
    assert last["actor"]["username"] == "sup1"
    assert last["comment"] == "请补充血压"
    assert last["review_status"] == "returned"
    assert last["version"] == 2


def correct(record: ServiceRecord, author, data: dict) -> None:
    """The assistant's corrected upload, as the sync engine applies it."""
    record.data = {**record.data, **data}
    record.review_status = "pending"
    server_write(db.session, REGISTRY.of(record), record, actor_id=author.id, action="update")
    db.session.commit()


def test_history_shows_every_round(client, auth, world, records):
    record = records["v1a"]
    headers = auth.headers("sup1")
    post(client, auth, record, "return", comment="血压未填写")
    db.session.refresh(record)
    correct(record, world.users["asst1"], {"note": "已补充"})
    assert record.version == 3
    approve = client.post(
        f"/api/review/records/{record.id}/approve", json={"version": 3}, headers=headers
    )
    assert approve.status_code == 200
    body = client.get(f"/api/review/records/{record.id}", headers=headers).get_json()
    rounds = [(h["action"], h["review_status"], h["version"]) for h in body["history"]]
    assert rounds == [
        ("return", "returned", 2),
        ("update", "pending", 3),
        ("approve", "approved", 4),
    ]
    assert "data.note" in body["history"][1]["changed"]


def test_corrected_record_is_back_in_the_pending_queue(client, auth, world, records):
    record = records["v1a"]
    post(client, auth, record, "return", comment="血压未填写")
    db.session.refresh(record)
    correct(record, world.users["asst1"], {"note": "已补充"})
    response = client.get("/api/review/records?status=pending", headers=auth.headers("sup1"))
    assert str(record.id) in ids(response)


def test_bulk_approve_answers_each_item(client, auth, records):
    good, other_area = records["v1a"], records["v2a"]
    stale = records["v1b"]
    response = client.post(
        "/api/review/records/approve",
        json={
            "items": [
                {"id": str(good.id), "version": good.version},
                {"id": str(stale.id), "version": stale.version + 1},
                {"id": str(other_area.id), "version": other_area.version},
            ]
        },
        headers=auth.headers("sup1"),
    )
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["status"] for r in results] == ["approved", "refused", "refused"]
    assert [r.get("code") for r in results] == [None, "stale_version", "record_not_found"]
    db.session.expire_all()
    assert db.session.get(ServiceRecord, good.id).review_status == "approved"
    assert db.session.get(ServiceRecord, stale.id).review_status == "pending"


def test_bulk_approve_needs_items(client, auth, records):
    response = client.post(
        "/api/review/records/approve", json={"items": []}, headers=auth.headers("sup1")
    )
    assert response.status_code == 422
