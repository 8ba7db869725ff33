"""Importing a county's registers: households grouped from rows, duplicates found as the phone
finds them, a dry-run report, one transaction, an audit row, and the phones pull the result."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from server.core.audit import AuditEntry
from server.domain.registry.model import Household, Resident
from server.extensions import db
from tests.factories import make_resident, make_user, valid_id_number
from tests.orgs.conftest import County, csv_bytes, upload

HEADER = [
    "village_code",
    "household_no",
    "address",
    "name",
    "sex",
    "birth_date",
    "id_number",
    "phone",
    "tags",
    "head",
]
BORN = date(1958, 3, 2)
NUMBER = valid_id_number(BORN, "011")
HEAD = [
    "350521100201",
    "1",
    "上坑村中街1号",
    "王大明",
    "男",
    "1958-03-02",
    NUMBER,
    "13800000000",
    "高血压、糖尿病",
    "是",
]
WIFE = ["350521100201", "1", "上坑村中街1号", "李秀英", "女", "1960年7月15日", "", "", "", ""]
NEIGHBOUR = ["350521100202", "9", "下坑村后巷9号", "陈阿婆", "F", "19400101", "", "", "低保", ""]


@pytest.fixture
def county(app):
    county = County(db.session)
    make_user(db.session, "asst1", "assistant", county.village)
    db.session.commit()
    return county


def send(client, auth, rows, path="/api/residents/import/preview", user="admin", **extra):
    body = upload(csv_bytes(rows, header=HEADER), "register.csv", **extra)
    return client.post(path, json=body, headers=auth.headers(user))


def test_a_dry_run_reports_households_residents_and_writes_nothing(client, auth, county):
    report = send(client, auth, [HEAD, WIFE, NEIGHBOUR]).get_json()
    assert report["summary"] == {
        "households": 2,
        "residents": 3,
        "suspected_duplicates": 0,
        "skipped": 0,
        "errors": 0,
    }
    assert db.session.scalar(select(func.count()).select_from(Resident)) == 0


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({4: "x"}, [(2, "sex", "import_value_invalid")]),
        ({5: "1958-02-30"}, [(2, "birth_date", "import_value_invalid")]),
        ({5: "1958-03-03"}, [(2, "birth_date", "import_value_invalid")]),  # not the ID's date
        (
            {6: NUMBER[:-1] + ("0" if NUMBER[-1] != "0" else "1")},
            [(2, "id_number", "import_value_invalid")],
        ),
        ({8: "近视"}, [(2, "tags", "tag_unknown")]),
        ({0: "350521100000"}, [(2, "village_code", "org_unit_level_invalid")]),
        ({0: "350521199201"}, [(2, "village_code", "org_unit_code_unknown")]),
        ({3: ""}, [(2, "name", "import_value_required")]),
    ],
)
def test_each_bad_cell_is_reported_by_line_and_column(client, auth, county, change, expected):
    row = [change.get(i, cell) for i, cell in enumerate(HEAD)]
    errors = send(client, auth, [row]).get_json()["errors"]
    assert [(e["line"], e["column"], e["code"]) for e in errors] == expected


def test_an_id_number_twice_in_the_file_is_import_duplicate_row(client, auth, county):
    twin = [*HEAD[:3], "王小明", *HEAD[4:]]
    errors = send(client, auth, [HEAD, twin]).get_json()["errors"]
    assert [(e["line"], e["code"]) for e in errors] == [(3, "import_duplicate_row")]
    assert NUMBER not in repr(errors)  # never the whole number


def test_a_supervisor_imports_only_into_their_township(client, auth, county):
    elsewhere = [*NEIGHBOUR]
    elsewhere[0] = "350521102201"  # a village of 黄塘镇
    errors = send(client, auth, [elsewhere], user="sup").get_json()["errors"]
    assert [e["code"] for e in errors] == ["org_unit_not_in_area"]


def test_people_already_registered_are_suspected_duplicates_and_skipped(client, auth, county):
    make_resident(db.session, county.village, name="李秀英", birth_date=date(1960, 7, 15))
    other = county.units["350521103201"]
    make_resident(db.session, other, name="别人", id_number=NUMBER, birth_date=BORN)
    db.session.commit()
    report = send(client, auth, [HEAD, WIFE, NEIGHBOUR]).get_json()
    assert report["summary"]["suspected_duplicates"] == 2
    assert report["summary"]["residents"] == 1
    by_line = {d["line"]: d["matches"] for d in report["duplicates"]}
    assert by_line[2] == [{"reason": "id_number", "village": "林口村"}]
    assert by_line[3] == [{"reason": "name_birth_date", "village": "上坑村"}]


def test_keep_duplicates_creates_them_too(client, auth, county):
    make_resident(db.session, county.village, name="李秀英", birth_date=date(1960, 7, 15))
    db.session.commit()
    report = send(client, auth, [HEAD, WIFE], keep_duplicates=True).get_json()
    assert (report["summary"]["residents"], report["summary"]["skipped"]) == (2, 0)


def test_an_applied_import_groups_households_and_marks_the_head(client, auth, county):
    answer = send(client, auth, [WIFE, HEAD, NEIGHBOUR], path="/api/residents/import")
    assert answer.status_code == 200 and answer.get_json()["applied"] is True
    household = db.session.scalars(
        select(Household).where(Household.address == "上坑村中街1号")
    ).one()
    members = db.session.scalars(
        select(Resident).where(Resident.household_id == household.id)
    ).all()
    assert household.head_name == "王大明"
    assert {m.name for m in members} == {"王大明", "李秀英"}
    poor = db.session.scalars(select(Household).where(Household.address == "下坑村后巷9号")).one()
    assert poor.low_income is True


def test_the_import_is_one_audit_row_naming_the_file(client, auth, county):
    send(client, auth, [HEAD, WIFE], path="/api/residents/import")
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.entity == "import", AuditEntry.entity_id == "residents")
    ).one()
    assert entry.action == "import_residents"
    assert entry.after["source"] == "register.csv" and entry.after["residents"] == 2


def test_one_bad_row_imports_nothing(client, auth, county):
    bad = [*NEIGHBOUR]
    bad[4] = "?"
    answer = send(client, auth, [HEAD, bad], path="/api/residents/import")
    assert (answer.status_code, answer.get_json()["code"]) == (422, "import_has_errors")
    assert db.session.scalar(select(func.count()).select_from(Household)) == 0


def test_the_village_assistant_pulls_the_imported_residents(client, auth, county):
    send(client, auth, [HEAD, WIFE, NEIGHBOUR], path="/api/residents/import")
    headers = auth.headers("asst1")
    page = client.get("/api/sync/pull?limit=1000", headers=headers).get_json()
    names = {c["data"]["name"] for c in page["changes"] if c["entity"] == "resident"}
    assert names == {"王大明", "李秀英"}  # 陈阿婆 lives in another village
