"""The org tree over HTTP: an administrator previews and applies an import, adds, renames and
removes units; everyone else is refused with a coded problem."""

from __future__ import annotations

from sqlalchemy import func, select

from server.core.org import OrgUnit
from server.extensions import db
from tests.factories import make_resident, make_user
from tests.orgs.conftest import HEADER, csv_bytes, upload, xlsx_bytes

NEW_VILLAGE = ["350521100205", "新村", "350521100000", "800"]
RENAMED = ["350521100201", "上坑社区", "350521100000", "1700"]


def count_units() -> int:
    return db.session.scalar(select(func.count()).select_from(OrgUnit))


def test_a_preview_lists_what_would_change_and_writes_nothing(client, auth, county):
    before = count_units()
    body = upload(csv_bytes([NEW_VILLAGE, RENAMED]))
    answer = client.post("/api/org-units/import/preview", json=body, headers=auth.headers("admin"))
    assert answer.status_code == 200
    report = answer.get_json()
    assert report["applied"] is False
    assert report["summary"]["added"] == 1 and report["summary"]["renamed"] == 1
    assert report["summary"]["population_changed"] == 1
    assert report["renamed"][0]["changes"]["name"] == ["上坑村", "上坑社区"]
    assert count_units() == before


def test_an_applied_xlsx_import_adds_and_renames(client, auth, county):
    body = upload(xlsx_bytes([NEW_VILLAGE, RENAMED]), "units.xlsx")
    answer = client.post("/api/org-units/import", json=body, headers=auth.headers("admin"))
    assert answer.status_code == 200 and answer.get_json()["applied"] is True
    names = {u.code: u.name for u in db.session.scalars(select(OrgUnit))}
    assert names["350521100205"] == "新村" and names["350521100201"] == "上坑社区"


def test_a_preview_reports_bad_rows_by_line_and_column(client, auth, county):
    body = upload(csv_bytes([NEW_VILLAGE, ["3505211002", "错", "350521100000", "1"]]))
    report = client.post(
        "/api/org-units/import/preview", json=body, headers=auth.headers("admin")
    ).get_json()
    assert report["errors"] == [
        {
            "line": 3,
            "column": "code",
            "code": "org_code_invalid",
            "message": "A unit's code is its 12-digit statistical division code; "
            "3505211002 is not one.",
            "params": {"code": "3505211002"},
        }
    ]


def test_applying_a_file_with_a_bad_row_is_import_has_errors_and_changes_nothing(
    client, auth, county
):
    before = count_units()
    body = upload(csv_bytes([NEW_VILLAGE, ["3505211002", "错", "350521100000", "1"]]))
    answer = client.post("/api/org-units/import", json=body, headers=auth.headers("admin"))
    assert answer.status_code == 422
    problem = answer.get_json()
    assert problem["code"] == "import_has_errors"
    assert [row["line"] for row in problem["errors"]["rows"]] == [3]
    assert count_units() == before


def test_an_admin_cannot_import_another_county(client, auth, county):
    body = upload(csv_bytes([["350583000000", "南安市", "", "1"]]))
    report = client.post(
        "/api/org-units/import/preview", json=body, headers=auth.headers("admin")
    ).get_json()
    assert [e["code"] for e in report["errors"]] == ["org_unit_not_in_area"]


def test_a_supervisor_may_not_import(client, auth, county):
    body = upload(csv_bytes([NEW_VILLAGE]))
    answer = client.post("/api/org-units/import", json=body, headers=auth.headers("sup"))
    assert (answer.status_code, answer.get_json()["code"]) == (403, "role_not_allowed")


def test_content_that_is_not_base64_is_import_file_unreadable(client, auth, county):
    body = {"filename": "x.csv", "content": "not base64!"}
    answer = client.post("/api/org-units/import", json=body, headers=auth.headers("admin"))
    assert (answer.status_code, answer.get_json()["code"]) == (422, "import_file_unreadable")


def test_a_file_missing_a_column_names_it(client, auth, county):
    body = upload(csv_bytes([["350521100205", "新村", "350521100000"]], header=HEADER[:3]))
    report = client.post(
        "/api/org-units/import/preview", json=body, headers=auth.headers("admin")
    ).get_json()
    assert [(e["line"], e["column"], e["code"]) for e in report["errors"]] == [
        (1, "population", "import_column_missing")
    ]


# -- One unit at a time --------------------------------------------------------------------------


def test_an_admin_adds_a_village_under_a_township(client, auth, county):
    body = {"parent_id": county.township.id, "code": "350521100206", "name": "新建村"}
    answer = client.post("/api/org-units", json=body, headers=auth.headers("admin"))
    assert answer.status_code == 201
    created = answer.get_json()
    assert (created["level"], created["parent_id"]) == ("village", county.township.id)
    assert (
        client.get(f"/api/org-units/{created['id']}", headers=auth.headers("sup")).status_code
        == 200
    )


def test_adding_a_code_of_the_wrong_level_or_prefix_or_taken_is_refused(client, auth, county):
    headers = auth.headers("admin")
    cases = [
        ("350521100000", "org_unit_level_invalid"),  # a township code under a township
        ("350521101201", "org_code_outside_parent"),
        ("350521100201", "org_unit_code_taken"),
        ("12345", "org_code_invalid"),
    ]
    for code, problem in cases:
        body = {"parent_id": county.township.id, "code": code, "name": "村"}
        answer = client.post("/api/org-units", json=body, headers=headers)
        assert answer.get_json()["code"] == problem, code


def test_an_admin_renames_a_unit_and_corrects_its_population(client, auth, county):
    answer = client.patch(
        f"/api/org-units/{county.village.id}",
        json={"name": "上坑社区", "population": 1777},
        headers=auth.headers("admin"),
    )
    assert answer.status_code == 200
    assert (answer.get_json()["name"], answer.get_json()["population"]) == ("上坑社区", 1777)


def test_an_empty_name_is_org_name_invalid(client, auth, county):
    answer = client.patch(
        f"/api/org-units/{county.village.id}", json={"name": " "}, headers=auth.headers("admin")
    )
    assert (answer.status_code, answer.get_json()["code"]) == (422, "org_name_invalid")


def test_an_empty_unit_is_removed(client, auth, county):
    empty = county.units["350521103204"]
    answer = client.delete(f"/api/org-units/{empty.id}", headers=auth.headers("admin"))
    assert answer.status_code == 204
    assert db.session.get(OrgUnit, empty.id) is None


def test_a_unit_with_residents_users_or_children_is_not_removed(client, auth, county):
    make_resident(db.session, county.village)
    other = county.units["350521100202"]
    make_user(db.session, "asst_x", "assistant", other)
    db.session.commit()
    headers = auth.headers("admin")
    for unit, kind in [
        (county.village, "residents"),
        (other, "accounts"),
        (county.township, "units"),
    ]:
        answer = client.delete(f"/api/org-units/{unit.id}", headers=headers)
        body = answer.get_json()
        assert (answer.status_code, body["code"]) == (409, "org_unit_not_empty")
        assert kind in body["errors"]["contents"]
    assert db.session.get(OrgUnit, county.village.id) is not None


def test_a_supervisor_may_not_edit_the_tree(client, auth, county):
    answer = client.patch(
        f"/api/org-units/{county.village.id}", json={"name": "x"}, headers=auth.headers("sup")
    )
    assert (answer.status_code, answer.get_json()["code"]) == (403, "role_not_allowed")


def test_a_village_whose_residents_left_keeps_their_feed_history_and_stays(client, auth, county):
    from sync.models import Change

    empty = county.units["350521103204"]
    db.session.add(
        Change(entity="resident", entity_id="x", village_id=empty.id, seq=1, version=2, op="delete")
    )
    db.session.commit()
    answer = client.delete(f"/api/org-units/{empty.id}", headers=auth.headers("admin"))
    assert (answer.status_code, answer.get_json()["code"]) == (409, "org_unit_not_empty")
    assert answer.get_json()["errors"]["contents"] == {"sync changes": 1}
