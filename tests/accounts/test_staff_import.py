"""Importing staff over HTTP: the rows checked like accounts made one by one, passwords made by
the server and offered once as a sheet, and the first sign-in must change them."""

from __future__ import annotations

import base64
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from server.core.audit import AuditEntry
from server.domain.accounts.model import User
from server.domain.accounts.staffimport import PASSWORD_LENGTH, temporary_password
from server.extensions import db
from tests.orgs.conftest import County, csv_bytes, upload, xlsx_bytes

HEADER = ["username", "name", "role", "org_unit_code", "phone"]
ASSISTANT = ["asst_sk", "林助理", "助理员", "350521100201", "13900000001"]
SUPERVISOR = ["sup_ht", "黄督导", "supervisor", "350521102000", ""]


@pytest.fixture
def county(app):
    return County(db.session)


def preview(client, auth, rows, user="admin"):
    body = upload(csv_bytes(rows, header=HEADER))
    return client.post("/api/users/import/preview", json=body, headers=auth.headers(user))


def problems(client, auth, rows):
    return [
        (e["line"], e["column"], e["code"])
        for e in preview(client, auth, rows).get_json()["errors"]
    ]


def test_a_temporary_password_is_long_and_readable_off_paper():
    password = temporary_password()
    assert len(password) == PASSWORD_LENGTH
    assert not set(password) & set("0O1lI")


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (ASSISTANT, []),
        (["a", "名", "assistant", "350521100201", ""], [(2, "username", "import_value_invalid")]),
        (["ok_user", "名", "boss", "350521100201", ""], [(2, "role", "import_value_invalid")]),
        (
            ["ok_user", "名", "assistant", "350521999201", ""],
            [(2, "org_unit_code", "org_unit_code_unknown")],
        ),
        (
            ["ok_user", "名", "assistant", "350521100000", ""],
            [(2, "org_unit_code", "role_level_mismatch")],
        ),
        (["admin", "名", "assistant", "350521100201", ""], [(2, "username", "username_taken")]),
        (
            ["ok_user", "名", "assistant", "350521100201", "12345"],
            [(2, "phone", "import_value_invalid")],
        ),
        (["", "名", "assistant", "350521100201", ""], [(2, "username", "import_value_required")]),
    ],
)
def test_each_row_gets_the_rules_of_creating_one_account(client, auth, county, row, expected):
    assert problems(client, auth, [row]) == expected


def test_a_username_twice_in_the_file_is_import_duplicate_row(client, auth, county):
    again = ["ASST_SK", "又一个", "assistant", "350521100202", ""]
    assert problems(client, auth, [ASSISTANT, again]) == [(3, "username", "import_duplicate_row")]


def test_a_supervisor_cannot_import_accounts(client, auth, county):
    assert preview(client, auth, [ASSISTANT], user="sup").status_code == 403


def test_an_import_creates_accounts_that_must_change_the_password_once_signed_in(
    client, auth, county
):
    body = upload(xlsx_bytes([ASSISTANT, SUPERVISOR], header=HEADER), "staff.xlsx")
    answer = client.post("/api/users/import", json=body, headers=auth.headers("admin"))
    assert answer.status_code == 200
    report = answer.get_json()
    created = {c["username"]: c for c in report["created"]}
    assert set(created) == {"asst_sk", "sup_ht"}
    password = created["asst_sk"]["temporary_password"]
    signed_in = auth.tokens("asst_sk", password=password)
    assert signed_in["user"]["must_change_password"] is True
    user = db.session.scalars(select(User).where(User.username == "asst_sk")).one()
    assert (user.phone, user.org_unit_id) == ("13900000001", county.village.id)


def test_the_passwords_come_once_as_a_sheet_to_hand_out(client, auth, county):
    body = upload(csv_bytes([ASSISTANT], header=HEADER))
    report = client.post("/api/users/import", json=body, headers=auth.headers("admin")).get_json()
    sheet = report["sheet"]
    assert sheet["filename"].endswith(".xlsx")
    rows = list(load_workbook(io.BytesIO(base64.b64decode(sheet["content"]))).active.values)
    assert rows[0][0] == "用户名"
    assert rows[1][0] == "asst_sk" and rows[1][-1] == report["created"][0]["temporary_password"]


def test_the_audit_trail_never_holds_a_temporary_password(client, auth, county):
    body = upload(csv_bytes([ASSISTANT], header=HEADER))
    report = client.post("/api/users/import", json=body, headers=auth.headers("admin")).get_json()
    password = report["created"][0]["temporary_password"]
    entries = db.session.scalars(select(AuditEntry)).all()
    assert {e.action for e in entries} >= {"create", "import_staff"}
    assert all(password not in repr((e.before, e.after, e.comment)) for e in entries)


def test_one_bad_row_creates_no_account_at_all(client, auth, county):
    before = db.session.scalar(select(func.count()).select_from(User))
    bad = ["ok_user", "名", "assistant", "350521100000", ""]
    body = upload(csv_bytes([ASSISTANT, bad], header=HEADER))
    answer = client.post("/api/users/import", json=body, headers=auth.headers("admin"))
    assert (answer.status_code, answer.get_json()["code"]) == (422, "import_has_errors")
    assert db.session.scalar(select(func.count()).select_from(User)) == before
