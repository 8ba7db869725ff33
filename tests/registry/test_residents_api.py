"""GET /api/residents and /api/residents/<id>: search, filters, masking, scope and roles."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from server.domain.registry.tags import years_before
from server.extensions import db
from tests.factories import make_household, make_record, make_resident, valid_id_number

ZHANG_ID = valid_id_number(date(1960, 5, 1), serial="456")


@pytest.fixture
def people(world):
    """Residents spread over the three villages, for searching."""
    v1a, v1b, v2a = (world.units[k] for k in ("V1a", "V1b", "V2a"))
    zhang = make_resident(db.session, v1a, name="张三丰", phone="13812345678", id_number=ZHANG_ID)
    zeng = make_resident(db.session, v1a, name="曾国藩", birth_date=date(1970, 1, 1))
    li = make_resident(
        db.session, v1b, name="李四", birth_date=date(1980, 3, 3), phone="13900001111"
    )
    wang = make_resident(db.session, v2a, name="王五", birth_date=date(1985, 4, 4))
    db.session.commit()
    return {"zhang": zhang, "zeng": zeng, "li": li, "wang": wang}


def names(response) -> list[str]:
    assert response.status_code == 200, response.get_json()
    return sorted(item["name"] for item in response.get_json()["items"])


@pytest.mark.parametrize(
    "q", ["zsf", "ZSF", "zhangsanfeng", "ZhangSanFeng", "zhang san feng", "sanfeng", "张三"]
)
def test_search_finds_by_name_pinyin_or_initials(client, auth, people, q):
    response = client.get("/api/residents", query_string={"q": q}, headers=auth.headers("sup1"))
    assert names(response) == ["张三丰"]


@pytest.mark.parametrize("q", ["zgf", "zengguofan", "cgf", "cengguofan"])
def test_search_finds_a_polyphonic_surname_by_either_reading(client, auth, people, q):
    response = client.get("/api/residents", query_string={"q": q}, headers=auth.headers("sup1"))
    assert names(response) == ["曾国藩"]


def test_search_finds_by_phone_digits(client, auth, people):
    response = client.post(
        "/api/residents/search", json={"q": "12345678"}, headers=auth.headers("sup1")
    )
    assert names(response) == ["张三丰"]


def test_a_supervisor_finds_a_resident_by_the_last_digits_of_the_id_number(client, auth, people):
    response = client.post(
        "/api/residents/search", json={"q": ZHANG_ID[-4:]}, headers=auth.headers("sup1")
    )
    assert names(response) == ["张三丰"]


def test_search_with_too_few_digits_is_refused(client, auth, people):
    response = client.post("/api/residents/search", json={"q": "12"}, headers=auth.headers("sup1"))
    assert response.status_code == 422
    assert "q" in response.get_json()["errors"]


def test_list_covers_only_the_callers_scope(client, auth, people):
    assert names(client.get("/api/residents", headers=auth.headers("sup1"))) == [
        "张三丰",
        "曾国藩",
        "李四",
    ]
    assert names(client.get("/api/residents", headers=auth.headers("sup2"))) == ["王五"]
    assert len(client.get("/api/residents", headers=auth.headers("admin")).get_json()["items"]) == 4


def test_filter_by_village(client, auth, people, world):
    response = client.get(
        "/api/residents",
        query_string={"village_id": world.units["V1b"].id},
        headers=auth.headers("sup1"),
    )
    assert names(response) == ["李四"]


def test_filter_by_a_village_out_of_scope_finds_nothing(client, auth, people, world):
    response = client.get(
        "/api/residents",
        query_string={"village_id": world.units["V2a"].id},
        headers=auth.headers("sup1"),
    )
    assert names(response) == []


def test_filter_by_stored_tag(client, auth, people):
    people["li"].tags = ["hypertension"]
    db.session.commit()
    response = client.get(
        "/api/residents", query_string={"tag": "hypertension"}, headers=auth.headers("sup1")
    )
    assert names(response) == ["李四"]


def test_filter_by_derived_age_tag(client, auth, world):
    today = date.today()
    make_resident(db.session, world.units["V1a"], name="小宝", birth_date=today - timedelta(400))
    make_resident(db.session, world.units["V1a"], name="大宝", birth_date=years_before(today, 7))
    db.session.commit()
    response = client.get(
        "/api/residents", query_string={"tag": "child_0_6"}, headers=auth.headers("sup1")
    )
    assert names(response) == ["小宝"]


def test_filter_by_unknown_tag_is_refused(client, auth, people):
    response = client.get(
        "/api/residents", query_string={"tag": "vip"}, headers=auth.headers("sup1")
    )
    assert response.status_code == 422


def test_filter_by_age_band_includes_both_ends(client, auth, world):
    today = date.today()
    for name, years in [("三十", 30), ("四十", 40), ("四十一", 41), ("二十九", 29)]:
        born = years_before(today, years)
        make_resident(db.session, world.units["V1a"], name=name, birth_date=born)
    db.session.commit()
    response = client.get(
        "/api/residents", query_string={"age_min": 30, "age_max": 40}, headers=auth.headers("sup1")
    )
    assert names(response) == ["三十", "四十"]


def test_age_band_upside_down_is_refused(client, auth, people):
    response = client.get(
        "/api/residents", query_string={"age_min": 50, "age_max": 40}, headers=auth.headers("sup1")
    )
    assert response.status_code == 422


def test_filter_by_low_income_follows_the_household(client, auth, people, world):
    poor = make_household(db.session, world.units["V1b"], low_income=True)
    people["li"].household_id = poor.id
    db.session.commit()
    headers = auth.headers("sup1")
    yes = client.get("/api/residents", query_string={"low_income": "true"}, headers=headers)
    no = client.get("/api/residents", query_string={"low_income": "false"}, headers=headers)
    assert names(yes) == ["李四"]
    assert names(no) == ["张三丰", "曾国藩"]


def test_list_pages(client, auth, people):
    headers = auth.headers("sup1")
    first = client.get("/api/residents", query_string={"per_page": 2}, headers=headers).get_json()
    second = client.get(
        "/api/residents", query_string={"per_page": 2, "page": 2}, headers=headers
    ).get_json()
    assert (first["total"], len(first["items"]), len(second["items"])) == (3, 2, 1)
    assert {i["id"] for i in first["items"]}.isdisjoint(i["id"] for i in second["items"])


def test_list_masks_id_numbers(client, auth, people):
    response = client.get("/api/residents", query_string={"q": "zsf"}, headers=auth.headers("sup1"))
    item = response.get_json()["items"][0]
    assert item["id_number_masked"] == ZHANG_ID[:6] + "*" * 12
    assert ZHANG_ID not in response.get_data(as_text=True)


def test_list_leaves_out_deleted_residents(client, auth, people):
    people["zeng"].deleted = True
    db.session.commit()
    assert "曾国藩" not in names(client.get("/api/residents", headers=auth.headers("sup1")))


def test_supervisor_detail_shows_the_full_id_number(client, auth, people):
    response = client.get(f"/api/residents/{people['zhang'].id}", headers=auth.headers("sup1"))
    assert response.status_code == 200
    assert response.get_json()["id_number"] == ZHANG_ID


def test_admin_detail_shows_the_id_number_masked_only(client, auth, people):
    response = client.get(f"/api/residents/{people['zhang'].id}", headers=auth.headers("admin"))
    body = response.get_json()
    assert body["id_number"] is None
    assert body["id_number_masked"] == ZHANG_ID[:6] + "*" * 12
    assert ZHANG_ID not in response.get_data(as_text=True)


def test_detail_timeline_is_newest_first(client, auth, people, world):
    author = world.users["asst1"]
    for day in (date(2026, 3, 1), date(2026, 9, 1), date(2026, 6, 1)):
        make_record(db.session, people["zhang"], author, visit_date=day)
    db.session.commit()
    body = client.get(
        f"/api/residents/{people['zhang'].id}", headers=auth.headers("sup1")
    ).get_json()
    assert [s["visit_date"] for s in body["services"]] == ["2026-09-01", "2026-06-01", "2026-03-01"]


def test_detail_out_of_scope_is_not_found(client, auth, people):
    response = client.get(f"/api/residents/{people['wang'].id}", headers=auth.headers("sup1"))
    assert response.status_code == 404
    assert response.get_json()["code"] == "resident_not_found"


def test_detail_of_a_deleted_resident_is_not_found(client, auth, people):
    people["zhang"].deleted = True
    db.session.commit()
    response = client.get(f"/api/residents/{people['zhang'].id}", headers=auth.headers("admin"))
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/api/residents", "/api/residents/{id}"])
def test_assistants_are_refused_the_read_endpoints(client, auth, people, path):
    response = client.get(path.format(id=people["zhang"].id), headers=auth.headers("asst1"))
    assert response.status_code == 403
    assert response.get_json()["code"] == "role_not_allowed"


def test_list_needs_a_signed_in_user(client, people):
    assert client.get("/api/residents").status_code == 401
