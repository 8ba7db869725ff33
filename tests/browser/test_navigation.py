"""Moving between screens: the screen the user opened is the one that stays."""

from __future__ import annotations

from tests.browser.fieldapp import FieldApp, Person

SLOW_STORAGE_ESTIMATE = """() => {
  const estimate = navigator.storage.estimate.bind(navigator.storage);
  navigator.storage.estimate = () => new Promise((ok) => setTimeout(() => {
    ok(estimate());
    setTimeout(() => { window.slowEstimateDone = true; }, 100);
  }, 600));
}"""


def test_a_home_redraw_still_under_way_never_covers_the_screen_opened_after_it(live_server, page):
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    app.register_household("上村4组2号", "周建国", [Person("周建国", "M")])
    app.go("/home")
    page.wait_for_selector("#stat-waiting")

    page.evaluate(SLOW_STORAGE_ESTIMATE)
    page.evaluate("window.dispatchEvent(new Event('online'))")  # home starts redrawing itself
    app.go("/residents")
    page.wait_for_selector("#resident-list a")
    page.wait_for_function("() => window.slowEstimateDone === true")

    assert page.locator("#resident-list a").count() == 1
    assert page.locator("#stat-waiting").count() == 0
