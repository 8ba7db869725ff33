"""The org-unit import as a table: each file, the problems it gets (line, column, code)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from server.core.audit import AuditEntry
from server.core.org import OrgUnit
from server.core.problems import Problem
from server.domain.orgs.importing import apply_org_import, plan_org_import
from server.domain.orgs.tree import add_unit
from server.extensions import db
from tests.factories import make_resident, make_user
from tests.orgs.conftest import COUNTY, HEADER, TOWNSHIP, VILLAGE, sheet

T2 = ["350521102000", "黄塘镇", "350521000000", "48000"]


def issues_of(rows, header=HEADER, **kw):
    plan = plan_org_import(db.session, sheet(rows, header), **kw)
    return [(i.line, i.column, i.kind.code) for i in plan.issues]


def imported(rows, header=HEADER, **kw):
    plan = plan_org_import(db.session, sheet(rows, header), **kw)
    report = apply_org_import(db.session, plan, actor_id=None, source="test.csv")
    db.session.commit()
    return report


def units() -> dict[str, OrgUnit]:
    return {u.code: u for u in db.session.scalars(select(OrgUnit))}


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([COUNTY, TOWNSHIP, VILLAGE], []),
        ([VILLAGE, TOWNSHIP, COUNTY], []),  # any order: parents found in the file
        ([["35052110", "螺城镇", "350521000000", "1"]], [(2, "code", "org_code_invalid")]),
        ([["350500000000", "泉州市", "", "1"]], [(2, "code", "org_code_invalid")]),
        ([COUNTY, ["350521000000", "又一个", "", "1"]], [(3, "code", "import_duplicate_row")]),
        ([COUNTY, ["350521100000", "", "350521000000", "1"]], [(3, "name", "org_name_invalid")]),
        (
            [COUNTY, ["350521100000", "镇", "350521000000", "很多"]],
            [(3, "population", "org_population_invalid")],
        ),
        (
            [COUNTY, ["350521100000", "镇", "350521000000", "-5"]],
            [(3, "population", "org_population_invalid")],
        ),
        ([COUNTY, ["350521100000", "镇", "", "5"]], [(3, "parent_code", "org_parent_required")]),
        (
            [COUNTY, ["350521100000", "镇", "350521999000", "5"]],
            [(3, "parent_code", "org_parent_unknown")],
        ),
        (
            [COUNTY, ["350521100201", "村", "350521000000", "5"]],  # a village under the county
            [(3, "code", "org_unit_level_invalid")],
        ),
        (
            [COUNTY, ["350522100000", "镇", "350521000000", "5"]],  # another county's township
            [(3, "code", "org_code_outside_parent")],
        ),
        (
            [COUNTY, TOWNSHIP, ["350521101201", "村", "350521100000", "5"]],
            [(4, "code", "org_code_outside_parent")],
        ),
        ([["", "无代码", "", "1"]], [(2, "code", "import_value_required")]),
    ],
)
def test_each_row_is_checked(app, rows, expected):
    assert issues_of(rows) == expected


def test_a_missing_column_is_named_on_the_header_line(app):
    rows = [["350521000000", "惠安县", ""]]
    assert issues_of(rows, header=["code", "name", "parent_code"]) == [
        (1, "population", "import_column_missing")
    ]


def test_per_year_resident_population_is_kept_by_year(app):
    header = [*HEADER, "resident_population_2025", "常住人口2024"]
    imported([[*COUNTY, "452000", "450000"]], header=header)
    assert units()["350521000000"].resident_population == {"2025": 452000, "2024": 450000}


def test_a_bad_resident_population_is_reported_in_its_column(app):
    header = [*HEADER, "resident_population_2025"]
    assert issues_of([[*COUNTY, "abc"]], header=header) == [
        (2, "resident_population_2025", "org_population_invalid")
    ]


def test_an_import_builds_the_tree_with_paths_for_scoping(app):
    imported([VILLAGE, TOWNSHIP, COUNTY])
    tree = units()
    village, township, county = (tree[c[0]] for c in (VILLAGE, TOWNSHIP, COUNTY))
    assert village.path == f"/{county.id}/{township.id}/{village.id}/"
    assert (village.level, village.parent_id) == ("village", township.id)


def test_a_reimport_renames_and_updates_populations_and_adds(app):
    imported([COUNTY, TOWNSHIP])
    report = imported([COUNTY, ["350521100000", "螺城镇(新)", "350521000000", "63000"], T2])
    assert report["summary"] == {
        "added": 1,
        "renamed": 1,
        "population_changed": 1,
        "moved": 0,
        "unchanged": 1,
        "not_in_file": 0,
        "errors": 0,
    }
    assert units()["350521100000"].name == "螺城镇(新)"
    assert report["renamed"][0]["changes"]["name"] == ["螺城镇", "螺城镇(新)"]


def test_units_missing_from_the_file_are_kept(app):
    imported([COUNTY, TOWNSHIP, VILLAGE])
    report = imported([COUNTY])
    assert report["summary"]["not_in_file"] == 2
    assert set(units()) == {COUNTY[0], TOWNSHIP[0], VILLAGE[0]}


def test_a_village_moved_without_the_move_column_is_refused(app):
    imported([COUNTY, TOWNSHIP])
    county = units()[COUNTY[0]]
    old = add_unit(db.session, county, "township", "350521109000", "旧镇", 1)
    village = add_unit(db.session, old, "village", "350521100201", "上坑村", 1)
    db.session.commit()
    row = ["350521100201", "上坑村", "350521100000", "1"]
    assert issues_of([row]) == [(2, "parent_code", "org_unit_move_not_confirmed")]
    header = [*HEADER, "move"]
    report = imported([[*row, "是"]], header=header)
    assert report["summary"]["moved"] == 1
    township = units()["350521100000"]
    db.session.refresh(village)
    assert village.parent_id == township.id
    assert village.path == f"{township.path}{village.id}/"


def test_allow_moves_confirms_every_move(app):
    imported([COUNTY, TOWNSHIP])
    county = units()[COUNTY[0]]
    old = add_unit(db.session, county, "township", "350521109000", "旧镇", 1)
    add_unit(db.session, old, "village", "350521100201", "上坑村", 1)
    db.session.commit()
    row = ["350521100201", "上坑村", "350521100000", "1"]
    assert issues_of([row], allow_moves=True) == []


def test_an_admin_imports_only_into_their_county(app):
    imported([COUNTY, TOWNSHIP])
    other = ["350522000000", "另一县", "", "1"]
    imported([other])
    scope = units()[COUNTY[0]]
    rows = [["350522100000", "镇", "350522000000", "1"], T2]
    assert issues_of(rows, scope=scope) == [(2, "code", "org_unit_not_in_area")]


def test_a_file_with_any_problem_writes_nothing(app):
    plan = plan_org_import(db.session, sheet([COUNTY, ["bad", "镇", "", "1"]]))
    with pytest.raises(Problem) as caught:
        apply_org_import(db.session, plan, actor_id=None, source="x")
    assert caught.value.code == "import_has_errors"
    assert caught.value.errors["rows"][0]["line"] == 3
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(OrgUnit)) == 0


def test_an_import_is_audited_once_and_per_unit(app):
    imported([COUNTY, TOWNSHIP])
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["import_create", "import_create", "import_org_units"]


def test_a_unit_with_data_keeps_its_data_on_reimport(app):
    imported([COUNTY, TOWNSHIP, VILLAGE])
    village = units()[VILLAGE[0]]
    make_user(db.session, "asst", "assistant", village)
    make_resident(db.session, village)
    db.session.commit()
    imported([["350521100201", "上坑村(改名)", "350521100000", "1700"]])
    assert units()[VILLAGE[0]].name == "上坑村(改名)"


def test_an_admin_cannot_move_another_countys_unit_into_theirs(app):
    imported([COUNTY])
    mine = units()[COUNTY[0]]
    theirs = add_unit(db.session, None, "county", "350522000000", "另一县", 1)
    their_township = add_unit(db.session, theirs, "township", "B-T1", "彼镇", 1)
    add_unit(db.session, their_township, "village", "350522100201", "彼村", 1)
    add_unit(db.session, mine, "township", "A-T1", "此镇", 1)
    db.session.commit()
    row = ["350522100201", "彼村", "A-T1", "1", "是"]
    assert issues_of([row], header=[*HEADER, "move"], scope=mine) == [
        (2, "code", "org_unit_not_in_area")
    ]
