"""The field app and the workspace run under the Content-Security-Policy without a violation.

The policy has no 'unsafe-inline': a style="" attribute, an inline script or handler anywhere
in the client would be blocked and reported here (a `securitypolicyviolation` event, or the
console's "Content Security Policy" error).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.fieldapp import FieldApp

WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""
FIELD_ROUTES = ["/home", "/residents", "/households/new", "/records", "/settings"]
WORKSPACE_PAGES = [
    "queue",
    "conflicts",
    "duplicates",
    "overview",
    "exports",
    "accounts",
    "merge",
    "orgtree",
    "imports",
    "audit",
]
MENU_OF = {"merge": "duplicates"}  # a page reached from another one's menu entry


@pytest.fixture
def watched(page: Page) -> Page:
    page.add_init_script(WATCH)
    page.csp_console = []
    page.on(
        "console",
        lambda msg: (
            page.csp_console.append(msg.text)
            if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text
            else None
        ),
    )
    return page


def violations(page: Page) -> list[str]:
    return [*page.evaluate("window.__csp || []"), *page.csp_console]


def test_the_field_app_runs_under_the_policy(watched, live_server):
    app = FieldApp(watched, live_server)
    watched.goto(live_server.url + "/")
    expect(watched.locator("input[name=username]")).to_be_visible()
    app.sign_in("asst1")
    expect(watched.locator("#stat-last-sync b.stat-time")).to_be_visible()
    for route in FIELD_ROUTES:
        app.go(route)
        expect(watched.locator("#app h1, #app h2").first).to_be_visible()
        watched.wait_for_timeout(150)
    assert violations(watched) == []
    assert watched.js_errors == []


def test_a_style_attribute_would_be_refused_and_reported(watched, live_server):
    watched.goto(live_server.url + "/")
    watched.evaluate(
        """() => {
            const el = document.createElement('span');
            el.setAttribute('style', 'color: red');
            document.body.append(el);
        }"""
    )
    watched.wait_for_function("window.__csp.length > 0")
    assert any("style-src" in v for v in violations(watched))


def test_styles_set_through_the_dom_helper_are_allowed(watched, live_server):
    watched.goto(live_server.url + "/")
    width = watched.evaluate(
        """async () => {
            const { h } = await import('/js/ui.js');
            const bar = h('span', { style: { width: '40%' } });
            document.body.append(bar);
            return bar.style.width;
        }"""
    )
    watched.wait_for_timeout(100)
    assert width == "40%"
    assert violations(watched) == []


@pytest.mark.parametrize("username", ["sup1", "admin"])
def test_the_workspace_runs_under_the_policy(browser, live_server, username):
    ctx = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="zh-CN", service_workers="block"
    )
    page = ctx.new_page()
    page.add_init_script(WATCH)
    page.csp_console = []
    page.on(
        "console",
        lambda msg: (
            page.csp_console.append(msg.text) if "Content Security Policy" in msg.text else None
        ),
    )
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + "/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", live_server.password)
    page.click("button[type=submit]")
    expect(page.locator("#queue-total")).to_be_visible()
    for name in WORKSPACE_PAGES:
        page.evaluate("p => { location.hash = '#/ws/' + p; }", name)
        entry = MENU_OF.get(name, name)
        expect(page.locator(f"#nav-{entry}[aria-current=page]")).to_be_visible()
        page.wait_for_timeout(200)
    assert violations(page) == []
    assert errors == []
    ctx.close()
