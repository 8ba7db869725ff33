"""Offline unlock after a restart, and a sign-out that protects records not yet uploaded."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.fieldapp import FieldApp, Person


def test_after_a_restart_offline_the_password_unlocks_against_the_local_verifier(
    live_server, context, network, page
):
    FieldApp(page, live_server).sign_in("asst1")
    network.offline()
    page.close()  # the app is closed; a new tab starts without the unlocked session

    fresh = context.new_page()
    fresh.goto(live_server.url + "/")
    fresh.fill("input[name=password]", "not-the-password")
    fresh.click("form button[type=submit]")
    fresh.wait_for_selector(".notice.bad")
    assert fresh.locator("#stat-waiting").count() == 0

    fresh.fill("input[name=password]", live_server.password)
    fresh.click("form button[type=submit]")
    fresh.wait_for_selector("#stat-waiting")
    assert fresh.locator("#net").inner_text() == "离线"


def test_sign_out_refuses_while_records_wait_until_the_user_insists_twice(
    live_server, network, page
):
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    network.offline()
    app.register_household("上村9组1号", "孙丽", [Person("孙丽")])
    app.go("/settings")

    page.click("#logout")
    page.wait_for_selector(".notice.bad")
    assert page.locator("#app h1").inner_text() == "我的"
    page.click("#logout")
    expect(page.locator(".notice.bad")).to_contain_text("无法恢复")
    assert page.locator("#app h1").inner_text() == "我的"
    page.click("#logout")
    page.wait_for_selector("input[name=username]")

    assert page.evaluate("async () => (await (await import('/js/db.js')).count('outbox'))") == 0
