"""The Records screen with a long outbox: drawn a page at a time, every record reachable."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.fieldapp import FieldApp, Person

QUEUE = """async ({ n }) => {
  const db = await import('/js/db.js');
  const outbox = await import('/js/outbox.js');
  const session = await db.getMeta('session');
  const [resident] = await db.getAll('residents');
  const items = [];
  for (let i = 0; i < n; i += 1) {
    const full = { resident_id: resident.id, form_code: 'health_record', form_version: 1,
      visit_date: '2026-11-01',
      data: { action: 'register', residence_type: 'registered', consent_given: true } };
    items.push({ entity: 'service_record', op: 'create', data: full,
      row: { ...full, id: crypto.randomUUID(), review_status: 'pending',
             author_id: session.user.id, created_at: new Date().toISOString() } });
  }
  await outbox.queueAll(items);
}"""


def test_a_long_outbox_lists_two_hundred_at_a_time_until_all_are_shown(live_server, network, page):
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    network.offline()
    app.register_household("东村5号", "吴秀珍", [Person("吴秀珍")])
    page.evaluate(QUEUE, {"n": 449})  # with the household and resident: 450 records waiting
    app.expect_outbox(451)

    waiting = page.locator("ul[data-state=waiting] li")
    more = page.locator("button[data-more=waiting]")
    expect(waiting).to_have_count(200)
    expect(more).to_have_text("再显示 200 条（共 449 条）")
    more.click()
    expect(waiting).to_have_count(400)
    expect(more).to_have_text("再显示 49 条（共 449 条）")
    more.click()
    expect(waiting).to_have_count(449)
    expect(more).to_be_hidden()


def test_records_opened_with_show_more_stay_open_when_a_sync_redraws_the_list(
    live_server, network, page
):
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    network.offline()
    app.register_household("东村6号", "郑秀英", [Person("郑秀英")])
    page.evaluate(QUEUE, {"n": 299})
    app.expect_outbox(301)
    waiting = page.locator("ul[data-state=waiting] li")
    page.locator("button[data-more=waiting]").click()
    expect(waiting).to_have_count(299)

    page.evaluate("""() => {
      document.querySelector('ul[data-state=waiting]').dataset.before = 'redraw';
      document.dispatchEvent(new Event('datachanged'));
    }""")
    redrawn = page.locator("ul[data-state=waiting]:not([data-before])")

    expect(redrawn).to_have_count(1)
    expect(redrawn.locator("li")).to_have_count(299)
    expect(page.locator("button[data-more=waiting]")).to_be_hidden()
