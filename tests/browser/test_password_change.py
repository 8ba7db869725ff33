"""A temporary password (reset by a supervisor) is changed at the next sign-in, before any work.

The new password, not the temporary one, then unlocks the phone offline; records saved on the
phone before the reset wait through it and upload once the password is changed.
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from server.domain.accounts.model import User
from server.domain.registry.model import Household
from tests.browser.conftest import LiveServer
from tests.browser.fieldapp import SW_CONTROLLED, FieldApp, Person
from tests.browser.test_workspace import DESKTOP, open_context

TEMP = "temp-pass-123"
CHOSEN = "my-own-pass-456"
OUTBOX_STATES = "async () => (await (await import('/js/outbox.js')).all()).map((m) => m.state)"


def reset_password(live: LiveServer, username: str, by: str = "sup1") -> None:
    """What the supervisor's workspace does: POST /api/users/<id>/password with a temporary one."""
    client = live.app.test_client()
    login = client.post(
        "/api/auth/login",
        json={"username": by, "password": live.password, "device_id": f"desk-of-{by}"},
    )
    token = login.get_json()["access_token"]
    response = client.post(
        f"/api/users/{live.users[username]}/password",
        json={"password": TEMP},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.get_json()


def must_change(live: LiveServer, username: str) -> bool:
    with live.session() as s:
        return s.get(User, live.users[username]).must_change_password


def sign_in_with_temporary_password(page: Page, live: LiveServer, username: str) -> None:
    if not page.url.startswith(live.url):
        page.goto(live.url + "/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEMP)
    page.click("form button[type=submit]")
    expect(page.locator("#app h1")).to_have_text("设置新密码")


def choose(page: Page, current: str, new: str, again: str | None = None) -> None:
    page.fill("input[name=current_password]", current)
    page.fill("input[name=new_password]", new)
    page.fill("input[name=repeat_password]", new if again is None else again)
    page.click("#password-submit")


def test_reset_assistant_chooses_a_new_password_that_then_unlocks_offline(
    live_server, context, network, page, artifacts
):
    reset_password(live_server, "asst1")
    sign_in_with_temporary_password(page, live_server, "asst1")
    expect(page.locator("#tabs")).to_be_hidden()

    # Nothing else opens before the change.
    FieldApp(page, live_server).go("/home")
    page.wait_for_function("location.hash === '#/password'")
    assert page.locator("#stat-waiting").count() == 0

    # The server's refusals, in words, next to the field concerned.
    choose(page, "wrong-pass-1", CHOSEN)
    expect(page.locator("#current_password-error")).to_contain_text("当前密码不正确")
    expect(page.locator("input[name=current_password]")).to_have_attribute("aria-invalid", "true")
    choose(page, TEMP, "short")
    expect(page.locator("#new_password-error")).to_have_text("新密码太短：至少需要 8 位。")
    expect(page.locator("#current_password-error")).to_be_empty()
    choose(page, TEMP, TEMP)
    expect(page.locator("#new_password-error")).to_have_text("新密码不能与临时密码相同。")
    choose(page, TEMP, CHOSEN, "my-own-pass-457")
    expect(page.locator("#repeat_password-error")).to_have_text("两次输入的新密码不一致。")
    assert must_change(live_server, "asst1")

    page.screenshot(path=str(artifacts / "password-change.png"))
    violations = Axe().run(page).response["violations"]
    assert [v["id"] for v in violations if v["impact"] in ("serious", "critical")] == []

    choose(page, TEMP, CHOSEN)
    page.wait_for_selector("#stat-waiting")
    FieldApp(page, live_server).wait_synced()
    page.wait_for_function(SW_CONTROLLED)
    assert not must_change(live_server, "asst1")

    # A restart without signal: the NEW password unlocks, the temporary one does not.
    network.offline()
    page.close()
    fresh = context.new_page()
    fresh.goto(live_server.url + "/")
    expect(fresh.locator("#app h1")).to_have_text("解锁")
    fresh.fill("input[name=password]", TEMP)
    fresh.click("form button[type=submit]")
    expect(fresh.locator(".notice.bad")).to_have_text("密码不正确。")
    fresh.fill("input[name=password]", CHOSEN)
    fresh.click("form button[type=submit]")
    fresh.wait_for_selector("#stat-waiting")
    assert fresh.locator("#net").inner_text() == "离线"
    assert not page.js_errors


def test_records_saved_before_a_reset_wait_through_the_change_and_then_upload(
    live_server, network, page
):
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    network.offline()
    app.register_household("上村7组3号", "钱芳", [Person("钱芳")])
    queued = len(page.evaluate(OUTBOX_STATES))
    assert queued > 0

    reset_password(live_server, "asst1")
    network.online()  # the reset ended the session: the upload is refused, home says sign in
    app.go("/home")
    page.click("#app a[href^='#/login']")
    sign_in_with_temporary_password(page, live_server, "asst1")

    # Until the change every upload is refused with 403, and the outbox keeps every record.
    refused = page.evaluate(
        """async () => {
            try { await (await import('/js/sync.js')).syncOnce(); return null; }
            catch (err) { return [err.status, err.code]; }
        }"""
    )
    assert refused == [403, "password_change_required"]
    assert page.evaluate(OUTBOX_STATES) == ["waiting"] * queued

    choose(page, TEMP, CHOSEN)
    page.wait_for_selector("#stat-waiting")
    app.expect_outbox(0)
    with live_server.session() as s:
        assert s.scalar(select(func.count()).select_from(Household)) == 1
    assert not page.js_errors


def test_reset_supervisor_chooses_a_new_password_before_the_workspace(browser, live_server):
    reset_password(live_server, "sup1", by="admin")
    ctx = open_context(browser, DESKTOP)
    desk = ctx.new_page()
    try:
        sign_in_with_temporary_password(desk, live_server, "sup1")
        desk.evaluate("() => { location.hash = '/ws/queue'; }")
        desk.wait_for_function("location.hash === '#/password'")

        choose(desk, TEMP, CHOSEN)
        expect(desk.locator("#queue-total")).to_be_visible()
        assert not must_change(live_server, "sup1")
        check = """async (password) => {
            const auth = await import('/js/auth.js');
            const db = await import('/js/db.js');
            return auth.checkVerifier(await db.getMeta('verifier'), password);
        }"""
        assert desk.evaluate(check, CHOSEN) is True
        assert desk.evaluate(check, TEMP) is False
    finally:
        ctx.close()
