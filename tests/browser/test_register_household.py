"""A household kept current on the phone (360x640, zh-CN): edited, and given a new member
with the checks of registration (ID number rules, the online duplicate warning)."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect
from sqlalchemy import select

from server.core.org import OrgUnit
from server.domain.registry.model import Household, Resident
from tests.browser.fieldapp import FieldApp
from tests.browser.test_register_current import _seed, _shot
from tests.factories import make_resident


def test_a_household_is_edited_and_gets_a_new_member(live_server, network, page, artifacts):
    ids = _seed(live_server, 王建国={"sex": "M", "birth_date": date(1960, 1, 1)})
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    network.offline()
    app.go(f"/households/{ids['home']}")
    page.click("#edit-household")
    page.fill("#household-edit-form input[name=address]", "上村3组10号")
    problems = _shot(page, artifacts, "household-edit")
    page.click("#household-edit-form button[type=submit]")
    expect(page.locator("#household-address")).to_have_text("上村3组10号")
    page.click("#add-member")
    page.wait_for_selector("#member-form")
    page.fill("#member-form input[name=name]", "王芳")
    page.select_option("#member-form select[name=sex]", "F")
    page.fill("#member-form input[name=birth_date]", "1988-08-08")
    page.fill("#member-form input[name=id_number]", "350521198808081231")
    page.click("#member-form button[type=submit]")
    id_field = page.locator("#member-form .field", has=page.locator("input[name=id_number]"))
    expect(id_field.locator(".error")).to_be_visible()
    problems += _shot(page, artifacts, "member-errors")
    page.fill("#member-form input[name=id_number]", "")
    page.click("#member-form button[type=submit]")
    page.wait_for_selector("#resident-members")
    expect(page.locator("#resident-members")).to_contain_text("王建国")
    assert problems == []

    network.online()
    app.expect_outbox(0)
    with live_server.session() as s:
        home = s.scalars(select(Household)).one()
        assert home.address == "上村3组10号"
        names = sorted(r.name for r in s.scalars(select(Resident)))
        assert names == ["王建国", "王芳"]


def test_a_new_member_gets_the_duplicate_warning_before_saving(live_server, page):
    ids = _seed(live_server, 王建国={"sex": "M", "birth_date": date(1960, 1, 1)})
    with live_server.session() as s:  # the same person is already registered in 下村
        make_resident(s, s.get(OrgUnit, live_server.units["V1b"]), name="王芳", sex="F",
                      birth_date=date(1988, 8, 8))  # fmt: skip
        s.commit()
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    app.go(f"/households/{ids['home']}/member")
    page.fill("#member-form input[name=name]", "王芳")
    page.select_option("#member-form select[name=sex]", "F")
    page.fill("#member-form input[name=birth_date]", "1988-08-08")
    page.click("#member-form button[type=submit]")
    expect(page.locator("#duplicates")).to_contain_text("下村")
    page.click("#member-form button[type=submit]")  # not the same person: save anyway
    page.wait_for_selector("#resident-register")
    app.expect_outbox(0)
    with live_server.session() as s:
        assert len(s.scalars(select(Resident).where(Resident.name == "王芳")).all()) == 2
