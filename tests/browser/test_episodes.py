"""A resident's active episodes on the phone (360x640, zh-CN): a booking saved offline shows its
pregnancy with its dates at once, marked as not yet synced, and as synced after the upload."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from playwright.sync_api import expect

from server.core.clock import local_today
from server.core.org import OrgUnit
from server.domain.accounts.model import User
from server.domain.episodes.refresh import refresh_resident
from server.domain.records.catalogue import publish_definition
from server.domain.registry.model import Resident
from server.synced import REGISTRY
from sync.changes import server_write
from tests.browser.fieldapp import FieldApp, until
from tests.browser.olddb import OLD_DATABASE
from tests.episodes.forms import BOOKING
from tests.factories import make_household, make_record, make_resident


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


V3_ROWS = """async () => {
  const db = await import('/js/db.js');
  const out = {};
  for (const store of ['households', 'residents', 'records', 'forms', 'outbox', 'drafts', 'meta']) {
    out[store] = await db.getAll(store);
  }
  return out;
}"""


def _seed_booking(live, woman: str) -> None:
    """A booking stored on the server, with the pregnancy it opens."""
    with live.session() as s:
        resident = s.get(Resident, uuid.UUID(woman))
        booking = make_record(
            s, resident, s.get(User, live.users["asst1"]), form_code="t_booking",
            visit_date=local_today() - timedelta(days=30),
            data={"lmp": "2026-01-10", "edd": "2026-10-17"},
        )  # fmt: skip
        server_write(s, REGISTRY.of(booking), booking, actor_id=live.users["sup1"], action="create")
        refresh_resident(s, resident.id, actor_id=live.users["sup1"])
        s.commit()


def _as_version_3(app: FieldApp) -> dict:
    """Signs in (a full sync), then leaves the phone's database as a version-3 shell had it: the
    same rows, no episode or span store, its cursor past their rows. Its rows."""
    app.sign_in("asst1")
    rows = app.page.evaluate(V3_ROWS)
    app.page.evaluate("async () => (await import('/js/db.js')).wipe()")
    app.page.evaluate(OLD_DATABASE, [3, rows])
    return rows


def test_a_phone_upgraded_from_version_3_shows_a_pregnancy_booked_before(live_server, page):
    woman = _seed_mother(live_server)
    _seed_booking(live_server, woman)
    app = FieldApp(page, live_server)
    rows = _as_version_3(app)
    page.reload()
    app.unlock_if_asked()
    until(
        page,
        """async () => {
            const db = await import('/js/db.js');
            return (await db.count('episodes')) === 1 && (await db.count('backfill')) === 0;
        }""",
    )
    app.go(f"/residents/{woman}")
    card = page.locator("#episodes .episode[data-kind=pregnancy]")
    expect(card).to_contain_text("末次月经2026-01-10")
    expect(card.locator(".badge")).to_have_count(0)
    assert page.evaluate("async () => (await import('/js/db.js')).getMeta('cursor')") == next(
        r["value"] for r in rows["meta"] if r["key"] == "cursor"
    )


BACKFILL_STATE = """async () => {
  const db = await import('/js/db.js');
  const job = await db.get('backfill', db.BACKFILL_KEY);
  const rows = (await db.count('episodes')) + (await db.count('resident_tags'));
  return { job: job || null, rows };
}"""


def test_a_backfill_cut_off_after_a_page_resumes_from_its_cursor(live_server, page):
    woman = _seed_mother(live_server)
    _seed_booking(live_server, woman)  # a pregnancy and a pregnant span: two pages of one
    app = FieldApp(page, live_server)
    _as_version_3(app)
    asked, cut = [], {"on": True}

    def one_row_pages(route):
        url = route.request.url.replace("limit=1000", "limit=1")
        asked.append(url)
        if len(asked) == 2 and cut["on"]:
            route.abort()
        else:
            route.continue_(url=url)

    page.route("**/api/sync/pull?*entities=*", one_row_pages)
    page.reload()
    app.unlock_if_asked()
    until(page, f"async () => ({BACKFILL_STATE})().then((s) => s.rows === 1 && !!s.job?.cursor)")
    saved = page.evaluate(BACKFILL_STATE)["job"]["cursor"]
    cut["on"] = False
    page.evaluate("async () => (await import('/js/sync.js')).syncOnce().catch(() => null)")
    until(page, f"async () => ({BACKFILL_STATE})().then((s) => s.rows === 2 && !s.job)")
    resumed = [u for u in asked[2:] if "since=" in u]
    assert resumed and f"since={saved}" in resumed[0]
    assert not any("since=" not in u for u in asked[2:])  # never from zero again
