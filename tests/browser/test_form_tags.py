"""A form's tags on the phone (360x640, zh-CN) come from its record, not from the register list:
a delivery saved offline makes her postpartum until 42 days after it, the save queues only the
record, and a booking a supervisor rejects takes its pregnant tag with it at the next sync."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from server.core.clock import local_today
from server.domain.accounts.model import User
from server.domain.records.model import ServiceRecord
from server.domain.registry.model import ResidentTag
from server.domain.review.queue import review_record
from tests.browser.fieldapp import FieldApp
from tests.browser.test_register_current import _open, _resident, _seed

OUTBOX = "async () => (await import('/js/db.js')).getAll('outbox')"
POSTPARTUM = "#form-choices a[href*='/form/postpartum_visit?']"


def _record_delivery(app: FieldApp, woman: str, delivered: str) -> None:
    """The postpartum visit, opened from its address (she is not yet postpartum), saved."""
    page = app.page
    app.go(f"/form/postpartum_visit?resident={woman}")
    page.wait_for_selector("#service-form")
    page.fill("#service-form input[name=visit_number]", "1")
    page.fill("#service-form input[name=delivery_date]", delivered)
    app.choose("delivery_place", "hospital")
    page.fill("#service-form input[name=discharge_date]", delivered)
    app.choose("visit_method", "phone")
    app.choose("mother_complaints", "none")
    app.save_form()


def _book(app: FieldApp, woman: str) -> None:
    page = app.page
    _open(app, woman)
    app.open_form("early_pregnancy")
    lmp = local_today() - timedelta(days=60)
    page.fill("#service-form input[name=last_menstrual_period]", lmp.isoformat())
    app.choose("confirmed_by", "hospital")
    app.choose("residence", "registered")
    app.choose("handbook_issued", "no")
    app.save_form()


def test_a_delivery_saved_offline_offers_the_postpartum_visit_until_its_end(
    live_server, network, page
):
    ids = _seed(live_server, 王丽={"sex": "F", "birth_date": date(1996, 5, 5)})
    delivered = local_today() - timedelta(days=3)
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    network.offline()
    _open(app, ids["王丽"])
    expect(page.locator(POSTPARTUM)).to_have_count(0)
    _record_delivery(app, ids["王丽"], delivered.isoformat())
    _open(app, ids["王丽"])
    expect(page.locator(POSTPARTUM)).to_have_count(1)
    last_day = (delivered + timedelta(days=41)).isoformat()
    expect(page.locator("#resident-tags")).to_have_text(f"产妇（至 {last_day}）")


def test_a_saved_form_queues_its_record_and_no_change_of_her_tags(live_server, network, page):
    ids = _seed(live_server, 陈芳={"sex": "F", "birth_date": date(1998, 1, 2)})
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    network.offline()
    _book(app, ids["陈芳"])
    _open(app, ids["陈芳"])
    expect(page.locator("#resident-tags")).to_contain_text("孕妇")
    expect(page.locator("#gave-birth")).to_be_visible()
    queued = page.evaluate(OUTBOX)
    assert [(m["entity"], m["op"]) for m in queued] == [("service_record", "create")]


def test_a_rejected_booking_takes_her_pregnant_tag_at_the_next_sync(live_server, page):
    ids = _seed(live_server, 陈芳={"sex": "F", "birth_date": date(1998, 1, 2)})
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    _book(app, ids["陈芳"])
    app.expect_outbox(0)
    assert _resident(live_server, ids["陈芳"]).tags == []
    with live_server.session() as s:
        booking = s.scalars(select(ServiceRecord)).one()
        span = s.scalars(select(ResidentTag).where(ResidentTag.deleted.is_(False))).one()
        assert (span.tag, span.origin, span.record_id) == ("pregnant", "form", booking.id)
        supervisor = s.get(User, live_server.users["sup1"])
        review_record(s, supervisor, booking, "reject", booking.version, comment="不是本人")
        s.commit()
    page.evaluate("async () => (await import('/js/sync.js')).syncOnce()")
    _open(app, ids["陈芳"])
    expect(page.locator("#resident-tags")).to_have_text("—")
    expect(page.locator("#gave-birth")).to_have_count(0)


def test_a_delivery_saved_offline_ends_the_pregnancy_the_register_told(live_server, network, page):
    ids = _seed(
        live_server, 王丽={"sex": "F", "birth_date": date(1996, 5, 5), "tags": ["pregnant"]}
    )
    delivered = local_today() - timedelta(days=3)
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    network.offline()
    _record_delivery(app, ids["王丽"], delivered.isoformat())
    _open(app, ids["王丽"])
    last_day = (delivered + timedelta(days=41)).isoformat()
    expect(page.locator("#resident-tags")).to_have_text(f"产妇（至 {last_day}）")


def test_the_delivered_action_offline_shows_her_postpartum_until_42_days_on(
    live_server, network, page
):
    ids = _seed(
        live_server, 王丽={"sex": "F", "birth_date": date(1996, 5, 5), "tags": ["pregnant"]}
    )
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    network.offline()
    _open(app, ids["王丽"])
    page.click("#gave-birth")
    page.wait_for_selector("#birth-form")
    page.fill("#birth-form input[name=delivery_date]", local_today().isoformat())
    page.click("#birth-form button[type=submit]")
    _open(app, ids["王丽"])
    last_day = (local_today() + timedelta(days=41)).isoformat()
    expect(page.locator("#resident-tags")).to_have_text(f"产妇（至 {last_day}）")
