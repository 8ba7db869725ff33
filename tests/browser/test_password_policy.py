"""The password screen states the policy in Chinese before anything is sent, and words the
server's policy refusals next to the new password."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_password_change import (
    TEMP,
    choose,
    must_change,
    reset_password,
    sign_in_with_temporary_password,
)


def test_the_rule_is_shown_before_the_first_try(live_server, page):
    reset_password(live_server, "asst1")
    sign_in_with_temporary_password(page, live_server, "asst1")
    rules = page.locator("#password-rules")
    expect(rules).to_contain_text("至少 8 位")
    expect(rules).to_contain_text("不能与用户名相同")
    expect(rules).to_contain_text("88888888")
    described = page.locator("input[name=new_password]").get_attribute("aria-describedby")
    assert "password-rules" in described.split()
    assert page.js_errors == []


def test_a_common_password_is_refused_in_chinese(live_server, page):
    reset_password(live_server, "asst1")
    sign_in_with_temporary_password(page, live_server, "asst1")
    choose(page, TEMP, "woaini1314")
    expect(page.locator("#new_password-error")).to_contain_text("这个密码太常见")
    assert must_change(live_server, "asst1")


def test_the_username_is_refused_before_it_is_sent(live_server, page):
    reset_password(live_server, "asst1")
    sign_in_with_temporary_password(page, live_server, "asst1")
    sent = []
    page.on("request", lambda r: sent.append(r.url) if "/api/me/password" in r.url else None)
    page.fill("input[name=current_password]", TEMP)
    page.fill("input[name=new_password]", "ASST1")
    page.fill("input[name=repeat_password]", "ASST1")
    page.click("#password-submit")
    expect(page.locator("#new_password-error")).to_have_text("密码不能与用户名相同。")
    assert sent == []


def test_the_workspace_words_a_common_temporary_password_in_chinese(browser, live_server):
    from tests.browser.test_workspace import DESKTOP, open_context, sign_in

    ctx = open_context(browser, DESKTOP)
    desk = ctx.new_page()
    sign_in(desk, live_server, "sup1")
    desk.goto(f"{live_server.url}/#/ws/accounts/{live_server.users['asst1']}")
    expect(desk.locator("label[for=reset-pw]")).to_contain_text("不能用 123456")
    desk.fill("#reset-pw", "88888888")
    desk.click("#reset-submit")
    expect(desk.locator("#user-outcome")).to_contain_text("这个密码太常见")
    ctx.close()


def test_a_delayed_sign_in_says_how_long_to_wait(live_server, page):
    page.goto(live_server.url + "/")
    statuses = []
    for password in ["not-the-password"] * 6 + [live_server.password]:
        page.fill("input[name=username]", "asst1")
        page.fill("input[name=password]", password)
        with page.expect_response("**/api/auth/login") as answer:
            page.click("form button[type=submit]")
        statuses.append(answer.value.status)
    assert statuses == [401] * 5 + [429, 429]
    expect(page.locator(".notice.bad")).to_contain_text("秒后再试")
    expect(page.locator(".notice.bad")).to_contain_text("密码错误次数过多")
