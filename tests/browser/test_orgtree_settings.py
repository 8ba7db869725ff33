"""The county admin sets which immunisation schedule a township follows on the org tree, and
its villages show the edition as inherited, on a desktop and on a tablet."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from server.core.org import OrgUnit
from tests.browser.test_county_setup_screens import TABLET, open_tree
from tests.browser.test_workspace import DESKTOP, open_context, sign_in


@pytest.mark.parametrize("size", [DESKTOP, TABLET], ids=["1280x800", "768x1024"])
def test_a_township_pinned_to_2021_shows_its_villages_inheriting_it(browser, live_server, size):
    ctx = open_context(browser, size)
    page = ctx.new_page()
    open_tree(page, live_server)
    page.click("#settings-V1a")
    expect(page.locator("#nip-in-effect")).to_contain_text("（nip_2025）")
    expect(page.locator("#nip-in-effect")).to_contain_text("默认")
    page.click("#settings-T1")
    page.select_option("#nip-version", "nip_2021")
    page.click("#settings-submit")
    expect(page.locator("#orgtree-outcome")).to_contain_text("免疫程序版本已保存")
    expect(page.locator(".org-unit[data-code='T1']")).to_contain_text("免疫程序 nip_2021")
    page.click("#settings-V1a")
    expect(page.locator("#nip-in-effect")).to_contain_text("2021年版")
    expect(page.locator("#nip-in-effect")).to_contain_text("继承自东山镇")
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    ctx.close()
    assert overflow is False
    with live_server.session() as s:
        assert s.get(OrgUnit, live_server.units["T1"]).settings == {"nip_version": "nip_2021"}


def test_a_supervisor_sees_the_edition_their_township_follows_without_a_menu(browser, live_server):
    with live_server.session() as s:
        s.get(OrgUnit, live_server.units["C"]).settings = {"nip_version": "nip_2021"}
        s.commit()
    ctx = open_context(browser, DESKTOP)
    page = ctx.new_page()
    sign_in(page, live_server, "sup1")
    page.click("#nav-orgtree")
    page.click("#settings-T1")
    expect(page.locator("#nip-in-effect")).to_contain_text("继承自示范县")
    expect(page.locator("#nip-version")).to_have_count(0)
    ctx.close()
