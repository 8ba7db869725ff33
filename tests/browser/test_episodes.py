"""A resident's active episodes on the phone (360x640, zh-CN): a booking saved offline shows its
pregnancy with its dates at once, marked as not yet synced, and as synced after the upload."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import expect

from server.core.clock import local_today
from server.core.org import OrgUnit
from server.domain.records.catalogue import publish_definition
from server.synced import REGISTRY
from sync.changes import server_write
from tests.browser.fieldapp import FieldApp
from tests.episodes.forms import BOOKING
from tests.factories import make_household, make_resident


def _seed_mother(live) -> str:
    with live.session() as s:
        publish_definition(s, BOOKING, None)
        village = s.get(OrgUnit, live.units["V1a"])
        home = make_household(s, village)
        woman = make_resident(s, village, name="陈芳", sex="F", birth_date=date(1998, 1, 2))
        woman.household_id = home.id
        for row in (home, woman):
            server_write(s, REGISTRY.of(row), row, actor_id=live.users["sup1"], action="create")
        s.commit()
        return str(woman.id)


def test_a_booking_saved_offline_shows_her_pregnancy_with_its_dates(live_server, network, page):
    woman = _seed_mother(live_server)
    lmp = local_today() - timedelta(days=73)
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    network.offline()
    app.go(f"/residents/{woman}")
    app.open_form("t_booking")
    page.fill("#service-form input[name=lmp]", lmp.isoformat())
    page.fill("#service-form input[name=edd]", (lmp + timedelta(days=280)).isoformat())
    app.save_form()
    card = page.locator("#episodes .episode[data-kind=pregnancy]")
    expect(card).to_contain_text("孕产期")
    expect(card).to_contain_text(f"末次月经{lmp.isoformat()}")
    expect(card).to_contain_text(f"预产期{(lmp + timedelta(days=280)).isoformat()}")
    expect(card).to_contain_text("孕周10 周 3 天")
    expect(card.locator(".badge")).to_have_text("未同步")

    network.online()
    app.expect_outbox(0)
    app.wait_synced()
    app.go("/home")
    app.go(f"/residents/{woman}")
    expect(card).to_contain_text("孕周10 周 3 天")
    expect(card.locator(".badge")).to_have_count(0)
