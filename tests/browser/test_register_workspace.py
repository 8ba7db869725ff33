"""The workspace shows an ended record as ended (1280x800, zh-CN)."""

from __future__ import annotations

from datetime import date

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from server.core.org import OrgUnit
from server.domain.accounts.model import User
from server.domain.registry.model import Resident
from tests.browser.test_workspace import DESKTOP, open_context, sign_in
from tests.factories import make_record, make_resident


def test_a_record_of_an_ended_resident_says_the_resident_has_ended(browser, live_server):
    with live_server.session() as s:
        village = s.get(OrgUnit, live_server.units["V1a"])
        died = make_resident(
            s, village, name="赵大爷", ended_on=date(2026, 10, 3), end_reason="died"
        )
        author = s.get(User, live_server.users["asst1"])
        record_id = str(make_record(s, died, author, visit_date=date(2026, 9, 20)).id)
        s.commit()
    ctx = open_context(browser, DESKTOP)
    desk = ctx.new_page()
    sign_in(desk, live_server, "sup1")
    desk.goto(f"{live_server.url}/#/ws/record/{record_id}")
    expect(desk.locator("#rec-ended")).to_have_text("死亡 · 2026-10-03")
    ctx.close()


def test_a_supervisor_restores_a_record_ended_by_mistake(browser, live_server, artifacts):
    with live_server.session() as s:
        village = s.get(OrgUnit, live_server.units["V1a"])
        died = make_resident(
            s, village, name="误报死亡", ended_on=date(2026, 10, 3), end_reason="died"
        )
        author = s.get(User, live_server.users["asst1"])
        record_id = str(make_record(s, died, author, visit_date=date(2026, 9, 20)).id)
        resident_id = died.id
        s.commit()
    ctx = open_context(browser, DESKTOP)
    desk = ctx.new_page()
    sign_in(desk, live_server, "sup1")
    desk.goto(f"{live_server.url}/#/ws/record/{record_id}")
    expect(desk.locator("#resident-ended-box")).to_contain_text("误报死亡 的档案已结案")
    desk.screenshot(path=str(artifacts / "register-ws-ended.png"))
    found = Axe().run(desk).response["violations"]
    assert [v["id"] for v in found if v["impact"] in ("serious", "critical")] == []
    desk.click("#restore-resident")
    expect(desk.locator("#rec-ended")).to_have_count(0)
    expect(desk.locator("#resident-ended-box")).to_have_count(0)
    with live_server.session() as s:
        assert s.get(Resident, resident_id).ended_on is None
    ctx.close()


def test_the_overview_counts_active_residents_and_leaves_out_the_ended(browser, live_server):
    with live_server.session() as s:
        village = s.get(OrgUnit, live_server.units["V1a"])
        make_resident(s, village, name="在册")
        make_resident(s, village, name="已故", ended_on=date(2026, 10, 3), end_reason="died")
        s.commit()
    ctx = open_context(browser, DESKTOP)
    desk = ctx.new_page()
    sign_in(desk, live_server, "sup1")
    desk.goto(f"{live_server.url}/#/ws/overview?month=2026-10")
    stat = desk.locator("#ov-register")
    expect(stat).to_contain_text("2026-10-31 在册居民")
    expect(stat.locator("b")).to_have_text("1")
    expect(stat).to_contain_text("已结案 1 人不计入")
    ctx.close()
