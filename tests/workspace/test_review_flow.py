"""Working through the queue: neighbours in the filtered queue, marks, old -> new, fields shown."""

from __future__ import annotations

from datetime import date

import pytest

from server.domain.records.catalogue import load_definitions
from server.domain.review.queue import review_record
from server.extensions import db
from tests.factories import make_record, make_resident

BP = {
    "visit_method": "home",
    "bp_source": "measured",
    "medication": "regular",
    "complaints": ["none"],
}


@pytest.fixture
def forms(app):
    load_definitions(db.session)
    db.session.commit()


@pytest.fixture
def five(world, forms):
    """Five pending hypertension records in V1a, oldest received first."""
    resident = make_resident(db.session, world.units["V1a"])
    made = [
        make_record(
            db.session,
            resident,
            world.users["asst1"],
            data={**BP, "blood_pressure": {"systolic": 130 + i, "diastolic": 80}},
            visit_date=date(2026, 11, 1 + i),
        )
        for i in range(5)
    ]
    db.session.commit()
    return made


def around(client, headers, record, query=""):
    response = client.get(f"/api/review/records/{record.id}/neighbours?{query}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_neighbours_follow_the_queue_order_newest_first(client, auth, five):
    answer = around(client, auth.headers("sup1"), five[2])
    assert answer == {
        "previous_id": str(five[3].id),
        "next_id": str(five[1].id),
        "position": 3,
        "total": 5,
    }


def test_the_newest_record_has_no_previous_and_the_oldest_no_next(client, auth, five):
    headers = auth.headers("sup1")
    assert around(client, headers, five[4])["previous_id"] is None
    assert around(client, headers, five[0])["next_id"] is None


def test_next_is_found_after_the_record_left_a_pending_filter(client, auth, world, five):
    review_record(db.session, world.users["sup1"], five[3], "approve", five[3].version)
    db.session.commit()
    answer = around(client, auth.headers("sup1"), five[3], "status=pending")
    assert answer["next_id"] == str(five[2].id)
    assert answer["previous_id"] == str(five[4].id)
    assert answer["total"] == 4


def test_neighbours_keep_to_the_filters(client, auth, world, five):
    other = make_resident(db.session, world.units["V1b"], name="李四")
    make_record(db.session, other, world.users["asst2"], data={**BP, "bp_source": "not_measured"})
    db.session.commit()
    answer = around(client, auth.headers("sup1"), five[4], f"village_id={world.units['V1a'].id}")
    assert answer["previous_id"] is None and answer["total"] == 5


def test_neighbours_of_a_record_outside_the_area_are_not_found(client, auth, five):
    response = client.get(
        f"/api/review/records/{five[0].id}/neighbours", headers=auth.headers("sup2")
    )
    assert response.status_code == 404


def test_a_danger_value_is_marked_on_the_queue_row_and_the_record(client, auth, world, forms):
    resident = make_resident(db.session, world.units["V1a"])
    record = make_record(
        db.session,
        resident,
        world.users["asst1"],
        data={**BP, "blood_pressure": {"systolic": 185, "diastolic": 95}},
    )
    db.session.commit()
    headers = auth.headers("sup1")
    (row,) = client.get("/api/review/records", headers=headers).get_json()["items"]
    assert [(m["field"], m["kind"]) for m in row["marks"]] == [("blood_pressure", "danger")]
    assert "收缩压≥180" in row["marks"][0]["message"]["zh"]
    detail = client.get(f"/api/review/records/{record.id}", headers=headers).get_json()
    assert detail["marks"] == row["marks"]


def test_a_big_change_since_the_last_record_is_marked(client, auth, five):
    headers = auth.headers("sup1")
    newest = five[4]
    newest.data = {**newest.data, "weight_kg": 70.0}
    five[3].data = {**five[3].data, "weight_kg": 62.0}
    db.session.commit()
    marks = client.get(f"/api/review/records/{newest.id}", headers=headers).get_json()["marks"]
    assert [(m["field"], m["kind"]) for m in marks] == [("weight_kg", "change")]


def test_an_unremarkable_record_has_no_marks(client, auth, five):
    detail = client.get(f"/api/review/records/{five[0].id}", headers=auth.headers("sup1"))
    assert detail.get_json()["marks"] == []


def test_fields_hidden_by_show_if_or_optional_and_empty_are_not_listed(client, auth, world, forms):
    resident = make_resident(db.session, world.units["V1a"])
    record = make_record(
        db.session,
        resident,
        world.users["asst1"],
        data={**BP, "bp_source": "not_measured", "weight_kg": 61.5},
    )
    db.session.commit()
    detail = client.get(f"/api/review/records/{record.id}", headers=auth.headers("sup1")).get_json()
    names = [f["name"] for f in detail["fields"]]
    assert names == ["visit_method", "bp_source", "weight_kg", "medication", "complaints"]


def test_history_shows_old_and_new_values_of_a_correction(client, auth, world, forms):
    from server.domain.records.synced import SERVICE_RECORD
    from sync.changes import server_write

    resident = make_resident(db.session, world.units["V1a"])
    record = make_record(
        db.session,
        resident,
        world.users["asst1"],
        data={**BP, "blood_pressure": {"systolic": 150, "diastolic": 90}},
    )
    server_write(
        db.session, SERVICE_RECORD, record, actor_id=world.users["asst1"].id, action="create"
    )
    db.session.commit()
    record.data = {
        **record.data,
        "blood_pressure": {"systolic": 135, "diastolic": 85},
        "weight_kg": 60.0,
    }
    server_write(
        db.session, SERVICE_RECORD, record, actor_id=world.users["asst1"].id, action="update"
    )
    db.session.commit()
    detail = client.get(f"/api/review/records/{record.id}", headers=auth.headers("sup1")).get_json()
    update = next(e for e in detail["history"] if e["action"] == "update")
    assert update["changes"] == [
        {"name": "blood_pressure", "label": "血压", "old": "150/90", "new": "135/85"},
        {"name": "weight_kg", "label": "体重(家用秤)", "old": "", "new": "60.0 kg"},
    ]
    create = next(e for e in detail["history"] if e["action"] == "create")
    assert create["changes"] == []
