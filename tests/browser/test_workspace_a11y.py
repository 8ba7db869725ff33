"""axe-core finds no serious or critical violations in the workspace at 1280x800 (and screenshots
of each screen at 1280x800 and 768x1024 go to test-artifacts/ for a human look)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.test_workspace import (
    DESKTOP,
    TABLET,
    open_context,
    sign_in,
    upload_activity,
    with_forms,
)

BLOCKING = ("serious", "critical")


def blocking_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


@pytest.fixture
def record_id(live_server) -> str:
    with_forms(live_server)
    return upload_activity(live_server)


def screens(live, record_id: str) -> dict[str, tuple[str, str]]:
    """name -> (hash route, selector that shows the screen has its data)."""
    return {
        "queue": ("#/ws/queue", f"#queue-table tr[data-id='{record_id}']"),
        "record": (f"#/ws/record/{record_id}", "#rec-fields"),
        "overview": ("#/ws/overview", "#ov-form-chart"),
        "accounts": ("#/ws/accounts", "#users-table"),
    }


@pytest.mark.parametrize("screen", ["queue", "record", "overview", "accounts"])
def test_workspace_screen_has_no_serious_accessibility_violations(
    browser, live_server, record_id, artifacts, screen
):
    ctx = open_context(browser, DESKTOP)
    page = ctx.new_page()
    try:
        sign_in(page, live_server, "sup1")
        expect(page.locator("nav.ws-nav")).to_be_visible()
        route, ready = screens(live_server, record_id)[screen]
        page.goto(f"{live_server.url}/{route}")
        expect(page.locator(ready)).to_be_visible()
        page.screenshot(path=str(artifacts / f"workspace-{screen}-1280x800.png"), full_page=True)
        assert blocking_violations(page) == []
    finally:
        ctx.close()


def test_workspace_screens_fit_a_tablet_in_portrait(browser, live_server, record_id, artifacts):
    ctx = open_context(browser, TABLET)
    page = ctx.new_page()
    try:
        sign_in(page, live_server, "sup1")
        for name, (route, ready) in screens(live_server, record_id).items():
            page.goto(f"{live_server.url}/{route}")
            expect(page.locator(ready)).to_be_visible()
            page.screenshot(path=str(artifacts / f"workspace-{name}-768x1024.png"), full_page=True)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{name} scrolls sideways by {overflow}px"
    finally:
        ctx.close()
