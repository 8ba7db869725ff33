"""Screens show China Standard Time and China months, whatever zone the device is set to."""

from __future__ import annotations

import pytest

from tests.browser.conftest import VIEWPORT


@pytest.fixture
def abroad(browser, module_live_server):
    """A tab on a device whose own clock is set to New York."""
    ctx = browser.new_context(viewport=VIEWPORT, locale="zh-CN", timezone_id="America/New_York")
    tab = ctx.new_page()
    tab.goto(module_live_server.url + "/manifest.webmanifest")
    yield tab
    ctx.close()


WHEN = "async (iso) => (await import('/js/i18n.js')).when(iso)"


def test_an_instant_is_shown_in_china_time_on_a_device_set_to_another_zone(abroad):
    shown = abroad.evaluate(WHEN, "2026-12-01T23:30:00+00:00")
    assert "2026/12/2" in shown and "07:30" in shown


def test_the_zone_the_server_names_is_followed(abroad):
    abroad.evaluate("async () => (await import('/js/i18n.js')).setTimeZone('Asia/Urumqi')")
    shown = abroad.evaluate(WHEN, "2026-12-01T23:30:00+00:00")
    assert "2026/12/2" in shown and "05:30" in shown


@pytest.mark.parametrize(
    ("now", "month"),
    [("2026-11-30T15:59:00Z", "2026-11"), ("2026-11-30T16:00:00Z", "2026-12")],
)
def test_the_overview_opens_on_the_china_month(abroad, now, month):
    got = abroad.evaluate(
        "async (now) => (await import('/js/workspace/overview.js')).thisMonth(new Date(now))", now
    )
    assert got == month
