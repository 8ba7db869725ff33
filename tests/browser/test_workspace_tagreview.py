"""The "confirm with the centre" list in the browser: a supervisor confirms one reported
condition and removes another with the reason, and the list then says there is nothing left."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from server.core.org import OrgUnit
from server.domain.registry.model import ResidentTag
from tests.browser.test_workspace import DESKTOP, open_context, sign_in
from tests.factories import make_resident


def test_supervisor_confirms_one_condition_and_removes_another(browser, live_server):
    with live_server.session() as s:
        confirmed = make_resident(
            s, s.get(OrgUnit, live_server.units["V1a"]), name="李四", tags=["hypertension"]
        ).id
        removed = make_resident(
            s, s.get(OrgUnit, live_server.units["V1b"]), name="王五", tags=["diabetes"]
        ).id
        s.commit()
    ctx = open_context(browser, DESKTOP)
    desk = ctx.new_page()
    try:
        sign_in(desk, live_server, "sup1")
        desk.goto(f"{live_server.url}/#/ws/tagreview")
        items = desk.locator(".ws-tag-item")
        expect(items).to_have_count(2)
        expect(desk.locator("#tagreview-total")).to_contain_text("共 2 项")

        desk.get_by_role("button", name="确认李四的高血压（卫生院已确诊）").click()
        expect(desk.locator("#tagreview-outcome")).to_contain_text("已确认李四的高血压")
        expect(items).to_have_count(1)

        item = items.filter(has_text="王五")
        item.get_by_label("删除原因（必填）").fill("卫生院无此诊断")
        item.get_by_role("button", name="删除王五的糖尿病").click()
        expect(desk.locator("#tagreview-outcome")).to_contain_text("已删除王五的糖尿病")
        expect(desk.locator("#tagreview-none")).to_contain_text("没有待核实的标签")
    finally:
        ctx.close()
    with live_server.session() as s:
        spans = {span.resident_id: span for span in s.scalars(select(ResidentTag))}
        assert spans[confirmed].source == "confirmed"
        assert spans[removed].note == "卫生院无此诊断" and spans[removed].end_on is not None
