"""A real county set up from the command line on an empty database, as the README walks it:
db upgrade → load-forms → org-units import → create-admin → staff import → residents import."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from server import create_app
from server.config import normalise_database_url
from server.core.org import OrgUnit
from server.demo.county import ORG_UNITS_FILE
from server.domain.accounts.model import User
from server.domain.registry.model import Household, Resident, ResidentTag
from server.extensions import db
from sync.models import Change
from tests.factories import valid_id_number
from tests.orgs.conftest import csv_bytes

ADMIN_PASSWORD = "county-admin-1"


@pytest.fixture
def fresh_app(empty_database_url):
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": normalise_database_url(empty_database_url), "TESTING": True}
    )
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def cli(app, *args: str, input: str | None = None, ok: bool = True):
    with app.app_context():
        result = app.test_cli_runner().invoke(args=list(args), input=input)
    assert (result.exit_code == 0) is ok, result.output
    return result.output


def login(app, username: str, password: str):
    return app.test_client().post(
        "/api/auth/login",
        json={"username": username, "password": password, "device_id": "setup-phone-1"},
    )


@pytest.fixture
def county(fresh_app):
    """The empty database after the first three steps."""
    cli(fresh_app, "db", "upgrade")
    cli(fresh_app, "load-forms")
    cli(fresh_app, "org-units", "import", str(ORG_UNITS_FILE))
    return fresh_app


def test_the_sample_file_builds_the_whole_tree(county):
    with county.app_context():
        levels = dict(
            db.session.execute(select(OrgUnit.level, func.count()).group_by(OrgUnit.level)).all()
        )
    assert levels == {"county": 1, "township": 3, "village": 12}


def test_a_dry_run_prints_the_changes_and_writes_nothing(fresh_app):
    cli(fresh_app, "db", "upgrade")
    output = cli(fresh_app, "org-units", "import", str(ORG_UNITS_FILE), "--dry-run")
    assert "16 to add" in output and "Dry run" in output
    with fresh_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OrgUnit)) == 0


def test_a_bad_file_prints_each_problem_by_line_and_column_and_fails(fresh_app, tmp_path):
    cli(fresh_app, "db", "upgrade")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([["350521000000", "惠安县", "", "1"], ["12345", "镇", "", "x"]]))
    output = cli(fresh_app, "org-units", "import", str(bad), ok=False)
    assert "line 3, column code: [org_code_invalid]" in output
    assert "line 3, column population: [org_population_invalid]" in output
    assert "单位代码应为 12 位统计用区划代码，“12345”不是。" in output  # as the workspace words it
    with fresh_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OrgUnit)) == 0


def test_create_admin_asks_twice_and_the_admin_signs_in(county):
    output = cli(
        county,
        "create-admin",
        "county_admin",
        "--org-unit",
        "350521000000",
        input=f"{ADMIN_PASSWORD}\n{ADMIN_PASSWORD}\n",
    )
    assert "Created administrator county_admin" in output
    answer = login(county, "county_admin", ADMIN_PASSWORD)
    assert answer.status_code == 200
    assert answer.get_json()["user"]["must_change_password"] is False


def test_create_admin_takes_the_password_as_an_option_for_scripts(county):
    cli(county, "create-admin", "ops", "--org-unit", "350521000000", "--password", ADMIN_PASSWORD)
    assert login(county, "ops", ADMIN_PASSWORD).status_code == 200


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--org-unit", "999999000000"], "org_unit_code_unknown"),
        (["--org-unit", "350521100000"], "role_level_mismatch"),  # a township
        (["--org-unit", "350521000000", "--password", "short"], "password_too_short"),
    ],
)
def test_create_admin_refuses_with_the_catalogue_code(county, args, said):
    args = [*args] if "--password" in args else [*args, "--password", ADMIN_PASSWORD]
    assert said in cli(county, "create-admin", "someone", *args, ok=False)


def test_staff_import_prints_passwords_once_and_they_must_be_changed(county, tmp_path):
    cli(county, "create-admin", "admin1", "--org-unit", "350521000000", "--password", "x" * 10)
    staff = tmp_path / "staff.csv"
    staff.write_bytes(
        csv_bytes(
            [
                ["sup_lc", "陈督导", "督导员", "350521100000", "13800000001"],
                ["asst_sk", "林助理", "助理员", "350521100201", ""],
            ],
            header=["username", "name", "role", "org_unit_code", "phone"],
        )
    )
    sheet = tmp_path / "passwords.xlsx"
    output = cli(county, "staff", "import", str(staff), "--by", "admin1", "--sheet", str(sheet))
    lines = {line.split("\t")[0]: line.split("\t") for line in output.splitlines() if "\t" in line}
    password = lines["asst_sk"][-1]
    answer = login(county, "asst_sk", password)
    assert answer.status_code == 200
    assert answer.get_json()["user"]["must_change_password"] is True
    rows = list(load_workbook(sheet).active.iter_rows(values_only=True))
    assert rows[2][0] == "asst_sk" and rows[2][-1] == password
    with county.app_context():
        stored = db.session.scalars(select(User).where(User.username == "asst_sk")).one()
        assert password not in stored.password_hash


def test_staff_import_refuses_a_whole_file_for_one_bad_row(county, tmp_path):
    cli(county, "create-admin", "admin1", "--org-unit", "350521000000", "--password", "x" * 10)
    staff = tmp_path / "staff.csv"
    staff.write_bytes(
        csv_bytes(
            [
                ["good_one", "甲", "assistant", "350521100201", ""],
                ["bad_one", "乙", "assistant", "350521100000", ""],  # a township
            ],
            header=["username", "name", "role", "org_unit_code", "phone"],
        )
    )
    output = cli(county, "staff", "import", str(staff), "--by", "admin1", ok=False)
    assert "line 3, column org_unit_code: [role_level_mismatch]" in output
    with county.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_residents_import_creates_households_that_phones_pull(county, tmp_path):
    from datetime import date

    cli(county, "create-admin", "admin1", "--org-unit", "350521000000", "--password", "x" * 10)
    born = date(1958, 3, 2)
    register = tmp_path / "register.csv"
    register.write_bytes(
        csv_bytes(
            [
                [
                    "350521100201",
                    "1",
                    "上坑村中街1号",
                    "王大明",
                    "男",
                    "1958-03-02",
                    valid_id_number(born, "011"),
                    "是",
                    "高血压",
                ],
                ["350521100201", "1", "上坑村中街1号", "李秀英", "女", "1960/07/15", "", "", ""],
                ["350521100202", "7", "下坑村后巷7号", "陈阿婆", "女", "19400101", "", "", ""],
            ],
            header=[
                "village_code",
                "household_no",
                "address",
                "name",
                "sex",
                "birth_date",
                "id_number",
                "head",
                "tags",
            ],
        )
    )
    dry = cli(county, "residents", "import", str(register), "--by", "admin1", "--dry-run")
    assert "Would create 2 households and 3 residents" in dry
    cli(county, "residents", "import", str(register), "--by", "admin1")
    with county.app_context():
        household = db.session.scalars(
            select(Household).where(Household.head_name == "王大明")
        ).one()
        assert household.address == "上坑村中街1号"
        residents = db.session.scalars(select(Resident).order_by(Resident.name)).all()
        assert {r.name: r.tags for r in residents}["王大明"] == ["hypertension"]
        feed = db.session.scalars(select(Change.entity)).all()
        spans = db.session.scalar(select(func.count()).select_from(ResidentTag))
        assert spans > 0
        assert sorted(feed) == ["household"] * 2 + ["resident"] * 3 + ["resident_tag"] * spans
    again = cli(county, "residents", "import", str(register), "--by", "admin1", "--dry-run")
    assert "3 suspected duplicates (3 skipped)" in again


def test_create_user_finds_the_imported_units(county):
    output = cli(
        county,
        "create-user",
        "asst_one",
        "--role",
        "assistant",
        "--org-unit",
        "350521100201",
        "--password",
        "assistant-pw-1",
    )
    assert "Created assistant asst_one in 上坑村." in output
    assert login(county, "asst_one", "assistant-pw-1").status_code == 200


@pytest.mark.parametrize(
    ("org_code", "said"),
    [("X", "org_unit_code_unknown"), ("350521100000", "role_level_mismatch")],
)
def test_create_user_refuses_with_the_catalogue_code(county, org_code, said):
    args = ["create-user", "asst_two", "--role", "assistant", "--org-unit", org_code]
    assert said in cli(county, *args, "--password", "assistant-pw-1", ok=False)


def test_setting_the_countys_edition_at_setup_reaches_its_villages(county):
    output = cli(county, "org-units", "settings", "350521000000", "--nip-version", "nip_2021")
    assert "免疫程序版本 (nip_version): nip_2021  [本单位设置 / set here]" in output
    village = cli(county, "org-units", "settings", "350521100201")
    assert "nip_2021  [继承自惠安县(示范) / inherited]" in village
    cleared = cli(county, "org-units", "settings", "350521000000", "--inherit", "nip_version")
    assert "nip_2025  [默认 / default]" in cleared


def test_an_unknown_edition_at_setup_fails_in_both_languages(county):
    output = cli(county, "org-units", "settings", "350521000000", "--nip-version", "x", ok=False)
    assert "[nip_version_unknown]" in output and "没有免疫程序版本 x" in output
