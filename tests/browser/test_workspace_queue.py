"""The workspace as a work queue in the browser: pending by default with the filters kept,
approve-and-next, previous / next and shortcuts, marks from a definition, old -> new, the
duplicate and conflict work-lists, device kinds, username rules, and offline."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from playwright.sync_api import expect

from server.domain.records.model import ServiceRecord
from server.domain.registry.model import Resident
from server.domain.registry.suspects import scan
from sync.models import Conflict
from tests.browser.test_workspace import (
    DESKTOP,
    PHONE,
    assistant_client,
    open_context,
    phone_sync,
    push_activity,
    sign_in,
    with_forms,
)

XIAOMI_WECHAT = (
    "Mozilla/5.0 (Linux; Android 13; 22081212C Build/TKQ1.220829.002; wv) AppleWebKit/537.36"
    " (KHTML, like Gecko) Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5023"
    " MicroMessenger/8.0.35.2360(0x2800235B) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN"
)
VISIT = {
    "visit_method": "home",
    "bp_source": "measured",
    "medication": "regular",
    "complaints": ["none"],
}


@pytest.fixture
def desk(browser, live_server):
    ctx = open_context(browser, DESKTOP)
    page = ctx.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.js_errors = []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    yield page
    ctx.close()


@pytest.fixture
def phone_client(live_server):
    with_forms(live_server)
    return assistant_client(live_server)


def register(client, name="李秀英", born="1950-03-01") -> str:
    rid = client.create("resident", {"name": name, "sex": "F", "birth_date": born})
    push, _ = client.sync()
    assert push.count("applied") == 1
    return rid


def push_visit(client, resident_id: str, bp=(130, 80), **data) -> str:
    record_id = client.create(
        "service_record",
        {
            "resident_id": resident_id,
            "form_code": "hypertension_followup",
            "form_version": 1,
            "visit_date": date.today().isoformat(),
            "data": {**VISIT, "blood_pressure": {"systolic": bp[0], "diastolic": bp[1]}, **data},
        },
    )
    push, _ = client.sync()
    assert push.count("applied") == 1, push
    return record_id


def test_the_queue_opens_on_pending(live_server, desk, phone_client):
    approved, pending = push_activity(phone_client, "控烟"), push_activity(phone_client, "膳食")
    with live_server.session() as s:
        s.get(ServiceRecord, uuid.UUID(approved)).review_status = "approved"
        s.commit()
    sign_in(desk, live_server, "sup1")
    expect(desk.locator("#f-status")).to_have_value("pending")
    expect(desk.locator("#queue-table tbody tr")).to_have_count(1)
    expect(desk.locator(f"tr[data-id='{pending}']")).to_be_visible()

    desk.select_option("#f-status", "all")
    desk.click("#apply-filters")
    expect(desk.locator("#queue-table tbody tr")).to_have_count(2)


def test_back_from_a_record_keeps_the_filters(live_server, desk, phone_client):
    record_id = push_activity(phone_client)
    sign_in(desk, live_server, "sup1")
    desk.select_option("#f-village_id", str(live_server.units["V1a"]))
    desk.click("#apply-filters")
    desk.locator(f"tr[data-id='{record_id}'] a.open-record").click()
    expect(desk.locator("#rec-fields")).to_be_visible()

    desk.click("#back-to-queue")

    expect(desk.locator("#f-village_id")).to_have_value(str(live_server.units["V1a"]))
    expect(desk.locator("#f-status")).to_have_value("pending")
    assert f"village_id={live_server.units['V1a']}" in desk.url


def test_approve_and_next_works_through_five_records(live_server, desk, phone_client, artifacts):
    ids = [push_activity(phone_client, f"讲座{i}") for i in range(5)]
    sign_in(desk, live_server, "sup1")
    desk.locator(f"tr[data-id='{ids[-1]}'] a.open-record").click()  # newest first
    for n, record_id in enumerate(reversed(ids), start=1):
        expect(desk).to_have_url(f"{live_server.url}/#/ws/record/{record_id}?status=pending&page=1")
        expect(desk.locator("#rec-position")).to_have_text(f"第 1 条，共 {6 - n} 条")
        if n == 1:
            desk.screenshot(
                path=str(artifacts / "workspace-approve-next-1280x800.png"), full_page=True
            )
        desk.click("#do-approve-next")
    expect(desk.locator("#review-outcome")).to_contain_text("这是队列中的最后一条")
    with live_server.session() as s:
        statuses = {s.get(ServiceRecord, uuid.UUID(i)).review_status for i in ids}
    assert statuses == {"approved"}
    assert desk.js_errors == []


def test_return_and_next_sends_the_comment_and_opens_the_next(live_server, desk, phone_client):
    older, newer = push_activity(phone_client, "甲"), push_activity(phone_client, "乙")
    sign_in(desk, live_server, "sup1")
    desk.goto(f"{live_server.url}/#/ws/record/{newer}?status=pending")
    desk.fill("#form-return textarea", "人数请核对")
    desk.click("#do-return-next")
    expect(desk).to_have_url(f"{live_server.url}/#/ws/record/{older}?status=pending")
    with live_server.session() as s:
        returned = s.get(ServiceRecord, uuid.UUID(newer))
        assert (returned.review_status, returned.review_comment) == ("returned", "人数请核对")


def test_previous_next_and_keyboard_shortcuts(live_server, desk, phone_client):
    first, second = push_activity(phone_client, "甲"), push_activity(phone_client, "乙")
    sign_in(desk, live_server, "sup1")
    desk.goto(f"{live_server.url}/#/ws/record/{second}?status=pending")
    expect(desk.locator("#shortcuts")).to_contain_text("键盘快捷键")
    expect(desk.locator("#rec-position")).to_have_text("第 1 条，共 2 条")
    desk.keyboard.press("j")
    expect(desk).to_have_url(f"{live_server.url}/#/ws/record/{first}?status=pending")
    expect(desk.locator("#rec-position")).to_have_text("第 2 条，共 2 条")
    desk.click("#rec-prev")
    expect(desk).to_have_url(f"{live_server.url}/#/ws/record/{second}?status=pending")
    expect(desk.locator("#rec-position")).to_have_text("第 1 条，共 2 条")
    desk.keyboard.press("a")
    expect(desk.locator("#rec-status")).to_have_text("已通过")
    desk.keyboard.press("u")
    expect(desk.locator("#queue-table tbody tr")).to_have_count(1)


def test_a_danger_value_is_marked_on_the_queue_and_the_record(live_server, desk, phone_client):
    resident = register(phone_client, "高大爷", "1948-02-02")
    record_id = push_visit(phone_client, resident, bp=(186, 96))
    sign_in(desk, live_server, "sup1")
    row = desk.locator(f"tr[data-id='{record_id}']")
    expect(row.locator(".ws-mark.danger")).to_contain_text("收缩压≥180 mmHg")
    row.locator("a.open-record").click()
    expect(desk.locator("#rec-marks .ws-mark[data-kind=danger]")).to_contain_text("危险值")


def test_history_shows_old_and_new_values(live_server, desk, phone_client):
    resident = register(phone_client, "高大爷", "1948-02-02")
    record_id = push_visit(phone_client, resident, bp=(150, 90))
    phone_client.update(
        "service_record",
        record_id,
        {"data": {"blood_pressure": {"systolic": 135, "diastolic": 85}}},
    )
    phone_client.sync()
    sign_in(desk, live_server, "sup1")
    desk.goto(f"{live_server.url}/#/ws/record/{record_id}")
    change = desk.locator(
        "#rec-history li[data-action=update] .ws-changes li[data-name=blood_pressure]"
    )
    expect(change).to_contain_text("150/90")
    expect(change).to_contain_text("135/85")
    # Optional questions left empty (heart rate, weight…) are not listed as "—".
    expect(desk.locator(".ws-field-value[data-name=heart_rate]")).to_have_count(0)


def test_duplicates_from_two_phones_to_a_merge_and_to_not_the_same_person(
    live_server, desk, artifacts
):
    with_forms(live_server)
    one, two = assistant_client(live_server, "asst1"), assistant_client(live_server, "asst2")
    kept = register(one, "李秀英", "1950-03-01")
    register(two, "李秀英", "1950-03-01")
    register(one, "王芳", "1970-01-01")
    register(two, "王芳", "1970-01-01")
    sign_in(desk, live_server, "sup1")
    expect(desk.locator("#nav-duplicates .ws-count")).to_have_text("2")
    desk.click("#nav-duplicates")
    cards = desk.locator(".ws-dup")
    expect(cards).to_have_count(2)
    expect(cards.first).to_contain_text("姓名和出生日期相同")
    expect(cards.first).to_contain_text("登记时发现")
    desk.screenshot(path=str(artifacts / "workspace-duplicates-1280x800.png"), full_page=True)

    card = desk.locator(".ws-dup", has_text="李秀英")
    card.locator(f"button.keep[data-keep='{kept}']").click()
    expect(desk.locator("#dups-outcome")).to_contain_text("已合并")
    expect(desk.locator(".ws-dup")).to_have_count(1)

    desk.locator(".ws-dup button.not-same").click()
    expect(desk.locator("#dups-outcome")).to_contain_text("以后不再提示")
    expect(desk.locator("#no-dups")).to_be_visible()
    expect(desk.locator("#nav-duplicates .ws-count")).to_be_hidden()
    with live_server.session() as s:
        assert scan(s) == 0  # what `flask duplicates scan` runs: nothing new to suggest
        s.commit()
    desk.reload()
    expect(desk.locator("#no-dups")).to_be_visible()
    with live_server.session() as s:
        assert s.query(Resident).filter_by(name="李秀英", deleted=False).count() == 1
        assert s.query(Resident).filter_by(name="王芳", deleted=False).count() == 2


def test_conflict_card_has_context_and_the_losing_phone_is_told(
    live_server, desk, browser, artifacts
):
    with_forms(live_server)
    winner = assistant_client(live_server)
    resident = register(winner, "赵大妈", "1952-05-05")
    record_id = push_visit(winner, resident)
    # The assistant's phone (the field app) pulls the record, then both phones edit the rate.
    phone_ctx = open_context(browser, PHONE)
    phone = phone_ctx.new_page()
    try:
        sign_in(phone, live_server, "asst1")
        phone_sync(phone)
        winner.update("service_record", record_id, {"data": {"heart_rate": 72}})
        winner.sync()
        loser = assistant_client(live_server)
        loser.pull()
        loser.state.local["service_record"][record_id]["version"] = 1
        loser.update("service_record", record_id, {"data": {"heart_rate": 88}})
        loser.sync()
        with live_server.session() as s:
            assert s.query(Conflict).count() == 1

        sign_in(desk, live_server, "sup1")
        expect(desk.locator("#nav-conflicts .ws-count")).to_have_text("1")
        desk.click("#nav-conflicts")
        card = desk.locator(".ws-conflict")
        expect(card.locator(".ws-conflict-about")).to_contain_text(
            "赵大妈 · 高血压患者随访 · 服务日期"
        )
        expect(card.locator("[data-side=server] .sent-by")).to_contain_text("写入")
        expect(card.locator("[data-side=client] .sent-by")).to_contain_text("从手机上传")
        expect(card.locator("a.open-record")).to_have_attribute(
            "href", f"#/ws/record/{record_id}?status=all"
        )
        desk.screenshot(
            path=str(artifacts / "workspace-conflict-card-1280x800.png"), full_page=True
        )

        phone.goto(f"{live_server.url}/#/records/{record_id}")
        expect(phone.locator("#record-conflicts .conflict-open")).to_contain_text("督导将处理")

        card.get_by_label("采用手机的值").check()
        card.get_by_role("button", name="确定").click()
        expect(desk.locator("#no-conflicts")).to_be_visible()

        phone.goto(f"{live_server.url}/#/home")
        phone.goto(f"{live_server.url}/#/records/{record_id}")
        expect(phone.locator("#record-conflicts .conflict-resolved")).to_contain_text("88")
        phone.screenshot(path=str(artifacts / "phone-conflict-outcome-360x640.png"), full_page=True)
    finally:
        phone_ctx.close()


def test_devices_are_shown_by_label_model_and_browser(live_server, browser, desk):
    ctx = browser.new_context(
        viewport=PHONE, locale="zh-CN", service_workers="block", user_agent=XIAOMI_WECHAT
    )
    try:
        sign_in(ctx.new_page(), live_server, "asst1")
    finally:
        ctx.close()
    sign_in(desk, live_server, "sup1")
    desk.goto(f"{live_server.url}/#/ws/accounts/{live_server.users['asst1']}")
    row = desk.locator("#devices-table tbody tr").first
    expect(row.locator(".device-name")).to_contain_text("小米 22081212C · 微信内置浏览器")
    expect(row.locator(".first-seen")).not_to_have_text("—")


def test_account_creation_states_the_username_rules_in_chinese(live_server, desk):
    sign_in(desk, live_server, "sup1")
    desk.click("#nav-accounts")
    expect(desk.locator("#new-username-rules")).to_contain_text("3–64 个字符")
    desk.fill("#new-username", "张三")
    desk.fill("#new-password", "temp-pass-123")
    desk.click("#create-submit")
    expect(desk.locator("#new-username-err")).to_contain_text("用户名不符合规则")
    expect(desk.locator("#new-username")).to_have_attribute("aria-invalid", "true")
    assert desk.evaluate("document.activeElement.id") == "new-username"


def test_the_workspace_offline_says_it_needs_the_network(live_server, desk):
    sign_in(desk, live_server, "sup1")
    desk.context.set_offline(True)
    try:
        desk.goto(f"{live_server.url}/#/ws/overview")
        expect(desk.locator("#ws-offline")).to_have_text("工作台需要联网。")
    finally:
        desk.context.set_offline(False)
