"""Each workspace screen does its job in the browser: stale reviews, bulk approval, language,
overview, conflicts, exports, accounts and merging duplicate residents."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from server.core.org import OrgUnit
from server.domain.accounts.model import Device, User
from server.domain.records.model import ServiceRecord
from server.domain.registry.model import Resident
from tests.browser.test_workspace import (
    DESKTOP,
    add_topic_conflict,
    assistant_client,
    open_context,
    push_activity,
    sign_in,
    with_forms,
)
from tests.factories import make_resident


@pytest.fixture
def desk(browser, live_server):
    ctx = open_context(browser, DESKTOP)
    ctx.on("dialog", lambda dialog: dialog.accept())
    page = ctx.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    yield page
    ctx.close()


@pytest.fixture
def phone_client(live_server):
    with_forms(live_server)
    return assistant_client(live_server)


def open_record(desk, live, record_id: str) -> None:
    desk.goto(f"{live.url}/#/ws/record/{record_id}")
    expect(desk.locator("#rec-fields")).to_be_visible()


def test_reviewing_an_old_version_says_so_and_reload_shows_the_new_one(
    live_server, desk, phone_client
):
    record_id = push_activity(phone_client)
    sign_in(desk, live_server, "sup1")
    open_record(desk, live_server, record_id)
    expect(desk.locator("#rec-version")).to_have_text("1")

    phone_client.update("service_record", record_id, {"data": {"participants": 31}})
    phone_client.sync()
    desk.click("#do-approve")

    expect(desk.locator("#stale-version")).to_contain_text("已有新版本")
    desk.click("#reload-record")
    expect(desk.locator("#rec-version")).to_have_text("2")
    expect(desk.locator("#rec-status")).to_have_text("待审核")


def test_approve_selected_approves_every_checked_record(live_server, desk, phone_client):
    ids = [push_activity(phone_client, topic) for topic in ("控烟", "合理膳食")]
    sign_in(desk, live_server, "sup1")
    expect(desk.locator("#queue-table tbody tr")).to_have_count(2)

    desk.check("#select-all")
    expect(desk.locator("#approve-selected")).to_have_text("批准所选（2）")
    desk.click("#approve-selected")

    expect(desk.locator("#queue-outcome")).to_contain_text("已批准 2 条。")
    expect(desk.locator("#queue-empty")).to_be_visible()  # the queue shows 待审核 by default
    desk.select_option("#f-status", "all")
    desk.click("#apply-filters")
    for record_id in ids:
        expect(desk.locator(f"tr[data-id='{record_id}']")).to_have_attribute(
            "data-status", "approved"
        )


def test_queue_filters_by_status(live_server, desk, phone_client):
    push_activity(phone_client)
    sign_in(desk, live_server, "sup1")
    expect(desk.locator("#queue-table tbody tr")).to_have_count(1)

    desk.select_option("#f-status", "approved")
    desk.click("#apply-filters")

    expect(desk).to_have_url(f"{live_server.url}/#/ws/queue?status=approved")
    expect(desk.locator("#queue-empty")).to_be_visible()


def test_english_switch_relabels_the_workspace(live_server, desk):
    sign_in(desk, live_server, "sup1")
    expect(desk.locator("h1")).to_have_text("审核队列")

    desk.click("#ws-lang")

    expect(desk.locator("h1")).to_have_text("Review queue")
    expect(desk.locator("#nav-accounts")).to_have_text("Accounts")
    expect(desk.locator("html")).to_have_attribute("lang", "en")


def test_overview_counts_the_month_in_a_table_and_a_chart(live_server, desk, phone_client):
    push_activity(phone_client)
    sign_in(desk, live_server, "sup1")
    desk.goto(f"{live_server.url}/#/ws/overview?month={date.today():%Y-%m}")

    expect(desk.locator("#ov-total")).to_have_text("本月服务共 1 次")
    expect(desk.locator("#ov-form-table tbody tr")).to_have_text("健康教育活动1")
    expect(desk.locator("#ov-form-chart rect")).to_have_attribute("data-value", "1")
    expect(desk.locator("#ov-backlog b")).to_have_text("1")


def test_conflict_is_resolved_with_a_typed_value(live_server, desk, phone_client):
    record_id = push_activity(phone_client)
    add_topic_conflict(live_server, record_id)
    sign_in(desk, live_server, "sup1")
    desk.click("#nav-conflicts")
    card = desk.locator(".ws-conflict")
    expect(card.locator("[data-side=server]")).to_contain_text("高血压防治讲座")
    expect(card.locator("[data-side=client]")).to_contain_text("糖尿病防治讲座")

    card.get_by_label("填写正确的值").check()
    card.get_by_role("textbox", name="正确的值").fill("慢性病防治讲座")
    card.get_by_role("button", name="确定").click()

    expect(desk.locator("#no-conflicts")).to_be_visible()
    with live_server.session() as s:
        assert s.get(ServiceRecord, uuid.UUID(record_id)).data["topic"] == "慢性病防治讲座"


def test_csv_export_downloads_the_filtered_records(live_server, desk, phone_client):
    push_activity(phone_client)
    sign_in(desk, live_server, "sup1")
    expect(desk.locator("#queue-table tbody tr")).to_have_count(1)

    with desk.expect_download() as info:
        desk.click("#export-csv")
    body = Path(info.value.path()).read_bytes()

    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert "主题" in text and "高血压防治讲座" in text


def test_supervisor_creates_an_assistant_who_must_change_the_password(live_server, desk):
    sign_in(desk, live_server, "sup1")
    desk.click("#nav-accounts")
    expect(desk.locator("#users-table")).to_be_visible()

    desk.fill("#new-username", "asst9")
    desk.fill("#new-full_name", "王小九")
    desk.select_option("#new-org_unit_id", label="下村")
    desk.fill("#new-password", "temp-pass-123")
    desk.click("#create-submit")

    row = desk.locator("#users-table tr[data-username=asst9]")
    expect(row).to_contain_text("需改密码")
    with live_server.session() as s:
        user = s.query(User).filter_by(username="asst9").one()
        assert (user.role, user.org_unit.name) == ("assistant", "下村")


def test_supervisor_resets_deactivates_and_revokes_a_device(live_server, desk, phone_client):
    sign_in(desk, live_server, "sup1")
    desk.goto(f"{live_server.url}/#/ws/accounts/{live_server.users['asst1']}")
    expect(desk.locator("#devices-table")).to_contain_text("参考客户端")

    desk.fill("#reset-pw", "new-temp-pass-1")
    desk.click("#reset-submit")
    expect(desk.locator("#user-outcome")).to_contain_text("密码已重置")
    desk.locator("#devices-table button.revoke").click()
    expect(desk.locator("#user-outcome")).to_contain_text("设备已吊销")
    desk.click("#deactivate")
    expect(desk.locator("#user-active")).to_have_text("已停用")

    with live_server.session() as s:
        user = s.get(User, live_server.users["asst1"])
        assert (user.active, user.must_change_password) == (False, True)
        assert s.query(Device).filter_by(user_id=user.id).one().revoked_at is not None


def test_duplicate_resident_is_merged_into_the_kept_one(live_server, desk):
    with live_server.session() as s:
        village = s.get(OrgUnit, live_server.units["V1a"])
        for _ in range(2):
            make_resident(s, village, name="李秀英", birth_date=date(1950, 3, 1))
        s.commit()
    sign_in(desk, live_server, "sup1")
    desk.goto(f"{live_server.url}/#/ws/merge?q=李秀英")
    desk.locator("#merge-results li").first.get_by_role("button").click()

    candidates = desk.locator("#merge-candidates li")
    expect(candidates).to_have_count(1)
    expect(candidates).to_contain_text("姓名和出生日期相同")
    candidates.get_by_role("button").click()

    expect(desk.locator("#merge-outcome")).to_contain_text("已合并")
    with live_server.session() as s:
        live = s.query(Resident).filter_by(name="李秀英", deleted=False).count()
        assert live == 1
