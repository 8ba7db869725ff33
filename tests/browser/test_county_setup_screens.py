"""Setting up a county in the workspace: the org tree with its import preview, edits of one
unit with coded refusals in Chinese, and the staff and register imports."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from server.core.org import OrgUnit
from server.domain.accounts.model import User
from tests.browser.test_workspace import DESKTOP, open_context, sign_in
from tests.factories import make_resident
from tests.orgs.conftest import csv_bytes

TABLET = {"width": 768, "height": 1024}


@pytest.fixture
def desk(browser, live_server):
    ctx = open_context(browser, DESKTOP)
    page = ctx.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    yield page
    ctx.close()


def choose(page, selector: str, data: bytes, name: str = "units.csv") -> None:
    page.set_input_files(selector, {"name": name, "mimeType": "text/csv", "buffer": data})


def open_tree(desk, live) -> None:
    sign_in(desk, live, "admin")
    desk.click("#nav-orgtree")
    expect(desk.locator("#org-tree")).to_contain_text("上村")


def test_the_tree_shows_every_unit_with_its_code_and_population(live_server, desk):
    open_tree(desk, live_server)
    village = desk.locator(".org-unit[data-code='V1a']")
    expect(village).to_contain_text("上村")
    expect(village).to_contain_text("户籍人口 1200")


def test_an_import_is_previewed_then_applied(live_server, desk):
    open_tree(desk, live_server)
    rows = [
        ["350521105000", "新镇", "C", "8000", ""],
        ["350521105201", "新村", "350521105000", "900", "850"],
    ]
    header = ["code", "name", "parent_code", "population", "resident_population_2025"]
    choose(desk, "#org-file", csv_bytes(rows, header=header))
    desk.click("#org-preview")
    expect(desk.locator("#org-summary")).to_contain_text("将新增 2 个")
    expect(desk.locator("#org-added")).to_contain_text("新村")
    with live_server.session() as s:
        assert s.scalars(select(OrgUnit).where(OrgUnit.code == "350521105000")).first() is None
    desk.click("#org-apply")
    expect(desk.locator("#org-summary")).to_contain_text("已导入：新增 2 个")
    expect(desk.locator(".org-unit[data-code='350521105201']")).to_contain_text("新村")
    expect(desk.locator(".org-unit[data-code='350521105201']")).to_contain_text(
        "常住人口 850（2025 年）"
    )


def test_bad_rows_are_listed_by_line_and_column_in_chinese_and_nothing_applies(live_server, desk):
    open_tree(desk, live_server)
    rows = [["350521105000", "新镇", "C", "8000"], ["3505211", "错", "C", "1"]]
    choose(desk, "#org-file", csv_bytes(rows))
    desk.click("#org-preview")
    error = desk.locator("#org-errors tr[data-line='3']")
    expect(error).to_contain_text("代码")
    expect(error).to_contain_text("单位代码应为 12 位统计用区划代码，“3505211”不是。")
    expect(desk.locator("#org-apply")).to_have_count(0)


def test_an_admin_renames_and_adds_a_unit(live_server, desk):
    open_tree(desk, live_server)
    desk.click("#rename-V1b")
    desk.fill("#rename-name", "下村社区")
    desk.click("#rename-submit")
    expect(desk.locator("#orgtree-outcome")).to_contain_text("已保存")
    expect(desk.locator(".org-unit[data-code='V1b']")).to_contain_text("下村社区")
    desk.click("#add-C")
    desk.fill("#add-code", "350521106000")
    desk.fill("#add-name", "东岭镇")
    desk.click("#add-submit")
    expect(desk.locator(".org-unit[data-code='350521106000']")).to_contain_text("东岭镇")


def test_removing_a_unit_with_residents_is_refused_in_words(live_server, desk):
    with live_server.session() as s:
        make_resident(s, s.get(OrgUnit, live_server.units["V2a"]))
        s.commit()
    open_tree(desk, live_server)
    desk.click("#remove-V2a")
    expect(desk.locator("#orgtree-outcome")).to_contain_text("该单位下还有")
    expect(desk.locator("#orgtree-outcome")).to_contain_text("名居民")
    expect(desk.locator(".org-unit[data-code='V2a']")).to_be_visible()


def test_a_supervisor_sees_their_township_without_edit_buttons(live_server, desk):
    sign_in(desk, live_server, "sup1")
    desk.click("#nav-orgtree")
    expect(desk.locator("#org-tree")).to_contain_text("上村")
    expect(desk.locator("#org-tree")).not_to_contain_text("河口村")
    expect(desk.locator("#rename-V1a")).to_have_count(0)
    expect(desk.locator("#org-import")).to_have_count(0)


def test_staff_import_shows_the_passwords_once_with_a_sheet(live_server, desk):
    sign_in(desk, live_server, "admin")
    desk.click("#nav-imports")
    rows = [["new_asst", "新助理", "助理员", "V1a", ""]]
    header = ["username", "name", "role", "org_unit_code", "phone"]
    choose(desk, "#staff-file", csv_bytes(rows, header=header), "staff.csv")
    desk.click("#staff-preview")
    expect(desk.locator("#staff-summary")).to_contain_text("将创建 1 个账号")
    desk.click("#staff-apply")
    expect(desk.locator("#staff-passwords")).to_contain_text("已创建 1 个账号")
    password = desk.locator("#staff-created tr[data-username='new_asst'] .temp-password")
    expect(password).to_have_text(re.compile(r"^[a-z2-9]{10}$"))
    with desk.expect_download() as download:
        desk.click("#staff-sheet")
    assert download.value.suggested_filename.endswith(".xlsx")
    with live_server.session() as s:
        user = s.scalars(select(User).where(User.username == "new_asst")).one()
        assert user.must_change_password is True


def test_register_import_lists_suspected_duplicates_by_line(live_server, desk):
    from datetime import date

    with live_server.session() as s:
        make_resident(
            s, s.get(OrgUnit, live_server.units["V1a"]), name="王大明", birth_date=date(1958, 3, 2)
        )
        s.commit()
    sign_in(desk, live_server, "sup1")
    desk.click("#nav-imports")
    header = ["village_code", "household_no", "address", "name", "sex", "birth_date"]
    rows = [
        ["V1a", "1", "上村1号", "王大明", "男", "1958-03-02"],
        ["V1a", "1", "上村1号", "李秀英", "女", "1960-07-15"],
    ]
    choose(desk, "#register-file", csv_bytes(rows, header=header), "register.csv")
    desk.click("#register-preview")
    expect(desk.locator("#register-summary")).to_contain_text("将创建 1 户、1 名居民")
    expect(desk.locator("#register-duplicates")).to_contain_text("第 2 行 王大明 可能已登记")
    desk.click("#register-apply")
    expect(desk.locator("#register-summary")).to_contain_text("已导入 1 户、1 名居民")


def test_the_tree_fits_a_tablet(browser, live_server):
    ctx = open_context(browser, TABLET)
    page = ctx.new_page()
    sign_in(page, live_server, "admin")
    page.click("#nav-orgtree")
    expect(page.locator("#org-tree")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    ctx.close()
    assert overflow is False


def test_the_setup_screens_have_no_serious_accessibility_violations(live_server, desk):
    from tests.browser.test_workspace_a11y import blocking_violations

    open_tree(desk, live_server)
    choose(desk, "#org-file", csv_bytes([["3505211", "错", "C", "1"]]))
    desk.click("#org-preview")
    expect(desk.locator("#org-errors")).to_be_visible()
    desk.click("#rename-V1a")
    assert blocking_violations(desk) == []
    desk.click("#nav-imports")
    expect(desk.locator("#register-import")).to_be_visible()
    assert blocking_violations(desk) == []
