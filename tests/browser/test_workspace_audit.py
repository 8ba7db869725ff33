"""The audit screen: a supervisor reads their township's trail in China time, filters it, pages
through it and exports it; at 1280x800 and 768x1024, with no serious axe violations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from server.core.audit import record_audit
from tests.browser.test_workspace import DESKTOP, TABLET, sign_in
from tests.browser.test_workspace_a11y import blocking_violations

SEEN_AT = datetime(2026, 11, 30, 16, 30, tzinfo=UTC)  # 00:30 on 1 December in China


def _seed(live, *, extra_reads: int = 0) -> None:
    """sup1 saw a full ID number in V1a; sup2 opened a resident in V2a; asst1 signed in; and
    `extra_reads` older reads by sup1, to page through."""
    users, units = live.users, live.units
    with live.session() as s:

        def add(actor, action, entity, entity_id, unit, at, after=None):
            entry = record_audit(
                s, actor_id=users[actor], device_id=None, entity=entity, entity_id=entity_id,
                action=action, before=None, after=after, unit_id=units[unit] if unit else None,
            )  # fmt: skip
            entry.at = at

        add("sup1", "read.id_number", "resident", "r-seen", "V1a", SEEN_AT,
            {"id_number": "350521************", "full_number_shown": True})  # fmt: skip
        add("sup2", "read.resident", "resident", "r-other", "V2a", SEEN_AT)
        add("asst1", "auth.sign_in", "user", str(users["asst1"]), None, SEEN_AT - timedelta(1))
        for n in range(extra_reads):
            at = SEEN_AT - timedelta(days=2, minutes=n)
            add("sup1", "read.record", "service_record", f"rec-{n}", "V1a", at)
        s.commit()


def _open(browser, live, viewport, username="sup1", route="#/ws/audit"):
    # The device's own zone is UTC: the screen must still show China time.
    ctx = browser.new_context(
        viewport=viewport, locale="zh-CN", timezone_id="UTC", service_workers="block",
        accept_downloads=True,
    )  # fmt: skip
    page = ctx.new_page()
    sign_in(page, live, username)
    page.click("#nav-audit")
    expect(page.locator("#audit-total")).to_be_visible()
    if route != "#/ws/audit":
        query = route.partition("?")[2]
        with page.expect_response(lambda r: f"/api/audit?{query}" in r.url):
            page.goto(f"{live.url}/{route}")
        expect(page.locator("#audit-total")).to_be_visible()
    return ctx, page


def _rows(page) -> list[str]:
    return page.locator("#audit-table tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.action)"
    )


def test_a_supervisor_reads_their_townships_trail_in_china_time(browser, live_server, artifacts):
    _seed(live_server)
    ctx, page = _open(browser, live_server, DESKTOP)
    try:
        # The newest row is sup1's own sign-in to read it; the seeded read comes after it.
        first = page.locator('#audit-table tbody tr[data-action="read.id_number"]')
        expect(first).to_contain_text("查看完整身份证号")
        expect(first).to_contain_text("2026/12/1 00:30")
        expect(first).to_contain_text("350521************")
        # sup2's read in the other township is not shown; asst1's sign-in in T1 is.
        actions = _rows(page)
        assert "read.resident" not in actions and "auth.sign_in" in actions
        page.screenshot(path=str(artifacts / "workspace-audit-1280x800.png"), full_page=True)
        assert blocking_violations(page) == []
    finally:
        ctx.close()


def test_the_filters_narrow_the_list_and_live_in_the_address(browser, live_server):
    _seed(live_server)
    ctx, page = _open(browser, live_server, DESKTOP)
    try:
        page.select_option("#f-action", "auth.")
        page.click("#apply-audit-filters")
        # asst1's seeded sign-in and sup1's own, just now
        expect(page.locator("#audit-table tbody tr")).to_have_count(2)
        assert "action=auth." in page.url
        assert _rows(page) == ["auth.sign_in", "auth.sign_in"]

        page.fill("#f-username", "")
        page.select_option("#f-action", "read.")
        page.fill("#f-from", "2026-12-01")
        page.fill("#f-to", "2026-12-01")
        page.click("#apply-audit-filters")
        expect(page.locator("#audit-table tbody tr")).to_have_count(1)
        assert _rows(page) == ["read.id_number"]
    finally:
        ctx.close()


def test_pages_through_a_long_trail(browser, live_server):
    _seed(live_server, extra_reads=55)
    ctx, page = _open(browser, live_server, DESKTOP)
    try:
        # 55 reads, the 2 seeded rows sup1 may see, and sup1's own sign-in
        expect(page.locator("#audit-total")).to_contain_text("共 58 条，第 1/2 页")
        expect(page.locator("#audit-table tbody tr")).to_have_count(50)
        page.click("#audit-next")
        expect(page.locator("#audit-total")).to_contain_text("第 2/2 页")
        expect(page.locator("#audit-table tbody tr")).to_have_count(8)
        expect(page.locator("#audit-next")).to_be_disabled()
    finally:
        ctx.close()


def test_the_export_button_downloads_the_filtered_trail(browser, live_server):
    _seed(live_server)
    ctx, page = _open(browser, live_server, DESKTOP, route="#/ws/audit?action=read.")
    try:
        with page.expect_download() as info:
            page.click("#audit-export-csv")
        download = info.value
        assert download.suggested_filename.startswith("audit-entries-")
        text = Path(download.path()).read_text(encoding="utf-8-sig")
        lines = text.strip().splitlines()
        assert lines[0].startswith("时间(北京时间)")
        assert len(lines) == 2 and "2026-12-01 00:30:00" in lines[1]
    finally:
        ctx.close()


@pytest.mark.parametrize("username", ["admin"])
def test_an_admin_has_the_menu_entry_and_reads_the_county(browser, live_server, username):
    _seed(live_server)
    ctx, page = _open(browser, live_server, DESKTOP, username=username)
    try:
        assert {"read.id_number", "read.resident", "auth.sign_in"} <= set(_rows(page))
    finally:
        ctx.close()


def test_the_audit_screen_fits_a_tablet_in_portrait(browser, live_server, artifacts):
    _seed(live_server)
    ctx, page = _open(browser, live_server, TABLET)
    try:
        expect(page.locator("#audit-table")).to_be_visible()
        page.screenshot(path=str(artifacts / "workspace-audit-768x1024.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the audit screen scrolls sideways by {overflow}px"
        assert blocking_violations(page) == []
    finally:
        ctx.close()
