"""The review queue: filters, the record view, approve / return / reject, and refusals."""

from __future__ import annotations

from datetime import date

import pytest

from server.domain.records.model import ServiceRecord
from server.extensions import db
from sync.changes import server_write
from sync.models import Change
from tests.factories import make_record, make_resident


@pytest.fixture
def records(world):
    """Two records in T1 (V1a by asst1, V1b by asst2) and one in T2 (V2a by asst3)."""
    units, users = world.units, world.users
    r1 = make_resident(db.session, units["V1a"], id_number="350524196005011234")
    r2 = make_resident(db.session, units["V1b"], name="李四")
    r3 = make_resident(db.session, units["V2a"], name="王五")
    out = {
        "v1a": make_record(db.session, r1, users["asst1"], visit_date=date(2026, 11, 3)),
        "v1b": make_record(
            db.session,
            r2,
            users["asst2"],
            form_code="diabetes_followup",
            visit_date=date(2026, 11, 20),
        ),
        "v2a": make_record(db.session, r3, users["asst3"]),
    }
    db.session.commit()
    return out


def ids(response) -> set[str]:
    return {item["id"] for item in response.get_json()["items"]}


def test_queue_lists_only_the_supervisors_township(client, auth, records):
    response = client.get("/api/review/records", headers=auth.headers("sup1"))
    assert response.status_code == 200
    assert ids(response) == {str(records["v1a"].id), str(records["v1b"].id)}
    assert response.get_json()["total"] == 2


def test_admin_queue_covers_the_county(client, auth, records):
    response = client.get("/api/review/records", headers=auth.headers("admin"))
    assert response.get_json()["total"] == 3


def test_queue_is_refused_to_assistants(client, auth, records):
    response = client.get("/api/review/records", headers=auth.headers("asst1"))
    assert response.status_code == 403
    assert response.get_json()["code"] == "role_not_allowed"


def test_queue_is_newest_received_first_and_paged(client, auth, world):
    resident = make_resident(db.session, world.units["V1a"])
    made = [make_record(db.session, resident, world.users["asst1"]) for _ in range(5)]
    db.session.commit()
    headers = auth.headers("sup1")
    first = client.get("/api/review/records?per_page=2", headers=headers).get_json()
    third = client.get("/api/review/records?per_page=2&page=3", headers=headers).get_json()
    assert [i["id"] for i in first["items"]] == [str(r.id) for r in made[::-1][:2]]
    assert [i["id"] for i in third["items"]] == [str(made[0].id)]
    assert first["total"] == 5


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("village_id={V1b}", {"v1b"}),
        ("author_id={asst1}", {"v1a"}),
        ("form_code=diabetes_followup", {"v1b"}),
        ("date_from=2026-11-10", {"v1b"}),
        ("date_to=2026-11-10", {"v1a"}),
        ("date_from=2026-11-03&date_to=2026-11-03", {"v1a"}),
        ("status=approved", {"v1a"}),
        ("status=pending", {"v1b"}),
    ],
)
def test_queue_filter(client, auth, world, records, query, expected):
    records["v1a"].review_status = "approved"
    db.session.commit()
    names = {k: u.id for k, u in [*world.units.items(), *world.users.items()]}
    response = client.get(
        "/api/review/records?" + query.format(**names), headers=auth.headers("sup1")
    )
    assert response.status_code == 200
    assert ids(response) == {str(records[name].id) for name in expected}


def test_filtering_on_a_village_outside_the_area_finds_nothing(client, auth, world, records):
    response = client.get(
        f"/api/review/records?village_id={world.units['V2a'].id}", headers=auth.headers("sup1")
    )
    assert response.get_json()["items"] == []


def test_queue_rejects_an_unknown_status(client, auth, records):
    response = client.get("/api/review/records?status=lost", headers=auth.headers("sup1"))
    assert response.status_code == 422
    assert "status" in response.get_json()["errors"]


def test_queue_shows_resident_id_number_masked(client, auth, records):
    response = client.get(
        f"/api/review/records?author_id={records['v1a'].author_id}", headers=auth.headers("sup1")
    )
    resident = response.get_json()["items"][0]["resident"]
    assert resident["id_number_masked"] == "3505**********1234"
    assert "id_number" not in resident


def test_record_view_shows_the_full_id_number_assistant_and_received_time(client, auth, records):
    record = records["v1a"]
    body = client.get(f"/api/review/records/{record.id}", headers=auth.headers("sup1")).get_json()
    assert body["resident"]["id_number"] == "350524196005011234"
    assert body["author"]["username"] == "asst1"
    assert body["visit_date"] == "2026-11-03"
    assert body["received_at"]
    assert body["version"] == 1


def test_record_view_for_an_admin_masks_the_id_number(client, auth, records):
    record = records["v1a"]
    response = client.get(f"/api/review/records/{record.id}", headers=auth.headers("admin"))
    resident = response.get_json()["resident"]
    assert (resident["id_number"], resident["id_number_masked"]) == (None, "3505**********1234")
    assert "350524196005011234" not in response.get_data(as_text=True)


def test_record_outside_the_area_is_not_found(client, auth, records):
    response = client.get(f"/api/review/records/{records['v2a'].id}", headers=auth.headers("sup1"))
    assert response.status_code == 404


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
    server_write(db.session, record, actor_id=author.id, action="update")
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


@pytest.fixture
def forms(app):
    from server.domain.records.catalogue import load_definitions

    load_definitions(db.session)
    db.session.commit()


def test_record_view_shows_every_field_under_its_chinese_label(client, auth, world, forms):
    resident = make_resident(db.session, world.units["V1a"])
    data = {
        "visit_method": "home",
        "bp_source": "measured",
        "blood_pressure": {"systolic": 150, "diastolic": 95},
    }
    record = make_record(db.session, resident, world.users["asst1"], data=data)
    db.session.commit()
    body = client.get(f"/api/review/records/{record.id}", headers=auth.headers("sup1")).get_json()
    shown = {f["label"]: f["display"] for f in body["fields"]}
    assert shown["随访方式"] == "入户"
    assert shown["血压"] == "150/95"
    assert body["form_title"] == "高血压患者随访"
