"""The review queue and the record view: scope, filters, paging, masking, labels."""

from __future__ import annotations

import pytest

from server.extensions import db
from tests.factories import make_record, make_resident


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
    assert resident["id_number_masked"] == "350524************"
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
    assert (resident["id_number"], resident["id_number_masked"]) == (None, "350524************")
    assert "350524196005011234" not in response.get_data(as_text=True)


def test_record_outside_the_area_is_not_found(client, auth, records):
    response = client.get(f"/api/review/records/{records['v2a'].id}", headers=auth.headers("sup1"))
    assert response.status_code == 404


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
