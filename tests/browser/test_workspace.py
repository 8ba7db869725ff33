"""The supervisor workspace in a real browser: role switch, and the review round trip with a phone.

An assistant's record is uploaded through the reference sync client (fast and independent of the
field app's forms); everything after that happens in the two UIs: the supervisor returns it with a
comment in the workspace, the phone shows the comment after a sync, the assistant corrects it on
the phone, the supervisor approves the new version, and the phone shows it approved.
"""

from __future__ import annotations

import json
import uuid
from datetime import date

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from server.domain.records.catalogue import load_definitions
from server.domain.records.model import ServiceRecord
from sync.client import SyncClient, UrllibTransport
from sync.models import Conflict
from tests.browser.fieldapp import until

DESKTOP = {"width": 1280, "height": 800}
TABLET = {"width": 768, "height": 1024}
PHONE = {"width": 360, "height": 640}


def with_forms(live) -> None:
    """The live server's catalogue (the sync push validates records against it)."""
    with live.session() as s:
        load_definitions(s)
        s.commit()


def assistant_client(live, username: str = "asst1") -> SyncClient:
    """A second device of the assistant's (the reference client), signed in."""
    client = SyncClient(UrllibTransport(live.url), device_id=f"ref-{username}-device")
    client.login(username, live.password, label="参考客户端")
    return client


def push_activity(client: SyncClient, topic: str = "高血压防治讲座") -> str:
    """Uploads one health-education record from `client`; answers its id."""
    today = date.today().isoformat()
    record_id = client.create(
        "service_record",
        {
            "resident_id": None,
            "form_code": "health_education",
            "form_version": 1,
            "visit_date": today,
            "data": {
                "activity_type": "lecture",
                "activity_date": today,
                "topic": topic,
                "topic_areas": ["chronic_disease"],
                "location": "村委会",
                "participants": 30,
            },
        },
    )
    push, _ = client.sync()
    assert push.count("applied") == 1
    return record_id


def upload_activity(live, username: str = "asst1", topic: str = "高血压防治讲座") -> str:
    """An assistant's health-education record, pushed from a second device of theirs."""
    return push_activity(assistant_client(live, username), topic)


def add_topic_conflict(live, record_id: str) -> None:
    """A Conflict row on the record's topic, as a push that met a newer server value leaves."""
    with live.session() as s:
        record = s.get(ServiceRecord, uuid.UUID(record_id))
        s.add(
            Conflict(
                entity="service_record",
                entity_id=record_id,
                village_id=record.village_id,
                field="data.topic",
                server_value="高血压防治讲座",
                client_value="糖尿病防治讲座",
                base_version=1,
                server_version=record.version,
                mutation_id=str(uuid.uuid4()),
                author_id=record.author_id,
            )
        )
        s.commit()


def open_context(browser, viewport) -> BrowserContext:
    return browser.new_context(viewport=viewport, locale="zh-CN", service_workers="block")


def sign_in(page: Page, live, username: str) -> None:
    page.goto(live.url + "/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", live.password)
    page.click("button[type=submit]")
    staff = username.startswith(("sup", "admin"))
    expect(page.locator("#queue-total" if staff else "#stat-waiting")).to_be_visible()


LAST_SYNC = "async () => (await (await import('/js/db.js')).getMeta('last_sync')) || null"


def phone_sync(phone: Page) -> None:
    """What the assistant does: open home and press "sync now", then wait for it to finish.

    Finished = the app recorded a round that ended after the tap (its `last_sync` moved); the
    sync indicator alone may not have turned on yet when the tap returns.
    """
    phone.goto(phone.url.split("#")[0] + "#/home")
    before = phone.evaluate(LAST_SYNC)
    phone.click("#sync-now")
    until(phone, f"async () => (await ({LAST_SYNC})()) !== {json.dumps(before)}")
    expect(phone.locator("#net")).not_to_have_text("同步中…")
    expect(phone.locator("#stat-waiting b")).to_have_attribute("data-count", "0")


@pytest.fixture
def desk(browser, live_server):
    ctx = open_context(browser, DESKTOP)
    page = ctx.new_page()
    page.js_errors = []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    yield page
    ctx.close()


@pytest.fixture
def phone(browser, live_server):
    ctx = open_context(browser, PHONE)
    page = ctx.new_page()
    yield page
    ctx.close()


def test_supervisor_signs_in_to_the_workspace_not_the_field_app(live_server, desk):
    sign_in(desk, live_server, "sup1")

    expect(desk.locator("nav.ws-nav")).to_be_visible()
    expect(desk).to_have_url(f"{live_server.url}/#/ws/queue")
    expect(desk.locator("#tabs")).to_be_hidden()
    expect(desk.locator("h1")).to_have_text("审核队列")


def test_assistant_cannot_open_the_workspace(live_server, phone):
    sign_in(phone, live_server, "asst1")
    expect(phone.locator("#stat-waiting")).to_be_visible()

    phone.goto(f"{live_server.url}/#/ws/queue")

    expect(phone).to_have_url(f"{live_server.url}/#/home")
    expect(phone.locator("nav.ws-nav")).to_have_count(0)


def test_review_round_trip_between_workspace_and_phone(live_server, desk, phone, artifacts):
    with_forms(live_server)
    record_id = upload_activity(live_server)

    # The phone signs in and pulls its own record.
    sign_in(phone, live_server, "asst1")
    phone_sync(phone)
    phone.goto(f"{live_server.url}/#/records/{record_id}")
    expect(phone.locator("#record-state")).to_have_text("已上传")

    # The supervisor returns it with a comment.
    sign_in(desk, live_server, "sup1")
    row = desk.locator(f"#queue-table tr[data-id='{record_id}']")
    expect(row).to_contain_text("待审核")
    row.locator("a.open-record").click()
    expect(desk.locator("#rec-fields")).to_contain_text("主题")
    expect(desk.locator("#rec-fields")).to_contain_text("高血压防治讲座")
    desk.click("#do-return")
    expect(desk.locator("#form-return .error")).to_have_text("请填写意见。")
    desk.fill("#form-return textarea", "参加人数请按签到表填写")
    desk.click("#do-return")
    expect(desk.locator("#review-outcome")).to_contain_text("已退回")
    expect(desk.locator("#rec-status")).to_have_text("已退回")
    desk.screenshot(path=str(artifacts / "workspace-record-returned.png"), full_page=True)

    # The phone shows the comment after a sync, and the assistant corrects the record.
    phone_sync(phone)
    phone.goto(f"{live_server.url}/#/records/{record_id}")
    expect(phone.locator("#record-state")).to_have_text("已退回")
    expect(phone.locator("#review-comment")).to_have_text("参加人数请按签到表填写")
    phone.click("#correct")
    phone.fill("input[name=participants]", "42")
    phone.click("#service-form button[type=submit]")
    phone.click("#confirm-save")
    expect(phone.locator("#outbox-count")).to_be_visible()
    phone_sync(phone)

    # The corrected version is pending again; the history shows both rounds; approve it.
    desk.goto(f"{live_server.url}/#/ws/queue?status=pending")
    desk.locator(f"#queue-table tr[data-id='{record_id}'] a.open-record").click()
    expect(desk.locator("#rec-status")).to_have_text("待审核")
    expect(desk.locator(".ws-field-value[data-name=participants] dd")).to_have_text("42 人")
    history = desk.locator("#rec-history")
    expect(history.locator("li[data-action=return]")).to_contain_text("参加人数请按签到表填写")
    expect(history.locator("li[data-action=update]")).to_contain_text("参加人数")
    expect(history.locator("li[data-action=update] .phone-time")).to_contain_text("手机上保存于")
    expect(history.locator("li[data-action=return] .phone-time")).to_have_count(0)
    desk.click("#do-approve")
    expect(desk.locator("#rec-status")).to_have_text("已通过")
    desk.screenshot(path=str(artifacts / "workspace-record-approved.png"), full_page=True)

    # The phone shows it approved.
    phone_sync(phone)
    phone.goto(f"{live_server.url}/#/records/{record_id}")
    expect(phone.locator("#record-state")).to_have_text("已通过")
    phone.screenshot(path=str(artifacts / "phone-record-approved.png"), full_page=True)
    with live_server.session() as s:
        assert s.get(ServiceRecord, uuid.UUID(record_id)).review_status == "approved"
    assert desk.js_errors == []
