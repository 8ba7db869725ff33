"""The supervisor's device list: what each phone has waiting, and the three ways to revoke it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from server.core.audit import audit_entries
from server.domain.accounts.model import Device, User
from tests.browser.test_workspace import DESKTOP, assistant_client, open_context, sign_in

TEMPORARY = "temp-pass-2468"


@pytest.fixture
def desk(browser, live_server):
    ctx = open_context(browser, DESKTOP)
    page = ctx.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    yield page
    ctx.close()


@pytest.fixture
def reported(live_server):
    """asst1's phone, which last uploaded just now and said 3 changes were still waiting."""
    assistant_client(live_server)
    with live_server.session() as s:
        device = s.query(Device).filter_by(user_id=live_server.users["asst1"]).one()
        device.queued, device.last_push_at = 3, datetime.now(UTC)
        s.commit()


def _open_account(desk, live) -> None:
    sign_in(desk, live, "sup1")
    desk.goto(f"{live.url}/#/ws/accounts/{live.users['asst1']}")
    expect(desk.locator("#devices-table")).to_contain_text("参考客户端")


def _device_and_actions(live) -> tuple[Device, list[str]]:
    with live.session() as s:
        device = s.query(Device).filter_by(user_id=live.users["asst1"]).one()
        s.expunge(device)
        return device, [e.action for e in audit_entries(s, "user", live.users["asst1"])]


def test_the_device_list_shows_what_is_waiting_and_the_last_upload(live_server, desk, reported):
    _open_account(desk, live_server)
    row = desk.locator("#devices-table tbody tr")
    expect(row.locator("td.queued")).to_have_text("3 条待上传")
    expect(row.locator("td.last-push")).not_to_have_text("—")
    for label in ("吊销", "上传后停用", "吊销并同时重置密码"):
        expect(row.get_by_role("button", name=label, exact=False).first).to_be_visible()


def test_stop_after_upload_marks_the_device_pending(live_server, desk, reported):
    _open_account(desk, live_server)
    desk.locator("#devices-table button.revoke-after-upload").click()
    expect(desk.locator("#devices-table .pending-revocation")).to_have_text(
        "上传后停用（等待上传）"
    )
    device, actions = _device_and_actions(live_server)
    assert (device.revoked_at, actions[-1]) == (None, "revoke_after_upload")
    assert device.revoke_after_upload_at is not None


def test_revoke_and_reset_needs_the_temporary_password_it_sets(live_server, desk, reported):
    _open_account(desk, live_server)
    desk.fill("#devices-table input[name=revoke-password]", TEMPORARY)
    desk.locator("#devices-table .revoke-and-reset button").click()
    expect(desk.locator("#user-outcome")).to_contain_text("设备已吊销，密码已重置")
    device, actions = _device_and_actions(live_server)
    assert device.revoked_at is not None and actions[-1] == "revoke_and_reset"
    with live_server.session() as s:
        assert s.get(User, live_server.users["asst1"]).must_change_password is True
