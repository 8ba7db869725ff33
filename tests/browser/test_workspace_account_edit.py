"""A supervisor renames an assistant and moves her to another village from her account page;
the change is saved and shows in the audit trail."""

from __future__ import annotations

from playwright.sync_api import expect

from server.domain.accounts.model import User
from tests.browser.test_workspace import DESKTOP, open_context, sign_in
from tests.browser.test_workspace_a11y import blocking_violations


def test_a_supervisor_edits_an_account_and_the_trail_shows_it(browser, live_server):
    ctx = open_context(browser, DESKTOP)
    page = ctx.new_page()
    try:
        sign_in(page, live_server, "sup1")
        page.goto(f"{live_server.url}/#/ws/accounts/{live_server.users['asst1']}")
        expect(page.locator("#edit-account")).to_be_visible()
        assert blocking_violations(page) == []

        page.fill("#edit-full_name", "张丽")
        page.select_option("#edit-org_unit_id", str(live_server.units["V1b"]))
        page.click("#edit-submit")
        expect(page.locator("#user-outcome")).to_contain_text("已保存")

        with live_server.session() as s:
            user = s.get(User, live_server.users["asst1"])
            assert (user.full_name, user.org_unit_id) == ("张丽", live_server.units["V1b"])

        page.goto(f"{live_server.url}/#/ws/audit?entity=user")
        row = page.locator("#audit-table tbody tr[data-action='update']")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("修改")
    finally:
        ctx.close()
