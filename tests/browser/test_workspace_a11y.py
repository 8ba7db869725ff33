"""axe-core finds no serious or critical violations in the workspace at 1280x800 (and screenshots
of each screen at 1280x800 and 768x1024 go to test-artifacts/ for a human look)."""

from __future__ import annotations

from datetime import date

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from server.core.org import OrgUnit
from server.domain.registry.suspects import scan
from tests.browser.test_workspace import (
    DESKTOP,
    TABLET,
    add_topic_conflict,
    open_context,
    sign_in,
    upload_activity,
    with_forms,
)
from tests.factories import make_resident

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
    """An uploaded record with a conflict on it, a duplicate pair to merge, a tag to confirm."""
    with_forms(live_server)
    record_id = upload_activity(live_server)
    add_topic_conflict(live_server, record_id)
    with live_server.session() as s:
        village = s.get(OrgUnit, live_server.units["V1a"])
        for _ in range(2):
            make_resident(s, village, name="李秀英", birth_date=date(1950, 3, 1))
        make_resident(s, village, name="王秀兰", tags=["hypertension"])  # a condition to confirm
        s.commit()
    with live_server.session() as s:
        assert scan(s) == 1  # what `flask duplicates scan` runs
        s.commit()
    return record_id


def screens(live, record_id: str) -> dict[str, tuple[str, str]]:
    """name -> (hash route, selector that shows the screen has its data)."""
    return {
        "queue": ("#/ws/queue", f"#queue-table tr[data-id='{record_id}']"),
        "record": (f"#/ws/record/{record_id}", "#rec-fields"),
        "overview": ("#/ws/overview", "#ov-form-chart"),
        "accounts": ("#/ws/accounts", "#users-table"),
        "account": (f"#/ws/accounts/{live.users['asst1']}", "#reset-password"),
        "conflicts": ("#/ws/conflicts", ".ws-conflict"),
        "merge": ("#/ws/merge?q=李秀英", "#merge-results li >> nth=1"),
        "duplicates": ("#/ws/duplicates", ".ws-dup"),
        "tagreview": ("#/ws/tagreview", ".ws-tag-item"),
        "exports": ("#/ws/exports", "#export-csv"),
    }


SCREENS = [
    "queue",
    "record",
    "overview",
    "accounts",
    "account",
    "conflicts",
    "merge",
    "duplicates",
    "tagreview",
    "exports",
]


@pytest.mark.parametrize("screen", SCREENS)
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
