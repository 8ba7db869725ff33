"""axe-core finds no serious or critical problems on the main screens; screenshots at 360x640."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

from tests.browser.fieldapp import FieldApp, Person

BLOCKING = {"serious", "critical"}


def _check(page, artifacts, name: str) -> list[str]:
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(artifacts / f"{name}.png"))
    violations = Axe().run(page).response["violations"]
    return [
        f"{name}: {v['id']} ({v['impact']}) {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in BLOCKING
    ]


def test_main_screens_have_no_serious_accessibility_violations(live_server, page, artifacts):
    app = FieldApp(page, live_server)
    page.goto(live_server.url + "/")
    page.wait_for_selector("input[name=username]")
    problems = _check(page, artifacts, "login")
    app.sign_in("asst1")
    problems += _check(page, artifacts, "home")
    app.register_household("上村4组6号", "吴淑芬", [Person("吴淑芬", tags=("hypertension",))])
    problems += _check(page, artifacts, "resident")
    app.open_form("hypertension_followup")
    app.choose("bp_source", "measured")
    problems += _check(page, artifacts, "form")
    page.click("#service-form button[type=submit]")
    problems += _check(page, artifacts, "form-errors")
    for route, name in [
        ("/residents", "residents"),
        ("/households/new", "household"),
        ("/records", "records"),
        ("/settings", "settings"),
    ]:
        app.go(route)
        page.wait_for_selector("#app h1")
        problems += _check(page, artifacts, name)
    assert problems == []


def test_the_screens_that_lead_on_have_no_serious_accessibility_violations(
    live_server, network, context, page, artifacts
):
    """Drafts, a waiting record with its actions, errors at their fields, the saved notice, the
    storage warning and search results with their details."""
    context.add_init_script("navigator.storage.persisted = async () => false;")
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    network.offline()
    app.go("/households/new")
    page.click("#household-form button[type=submit]")
    problems = _check(page, artifacts, "household-errors")
    app.register_household("上村8组2号", "吴秀兰", [Person("吴秀兰", tags=("hypertension",))])
    app.fill_hypertension_followup()
    problems += _check(page, artifacts, "resident-saved")
    app.open_form("hypertension_followup")
    app.choose("visit_method", "home")
    app.go("/drafts")
    page.wait_for_selector("#drafts")
    problems += _check(page, artifacts, "drafts")
    app.open_records()
    page.click("ul[data-state=waiting] a")
    page.wait_for_selector("#delete-waiting")
    page.click("#delete-waiting")
    problems += _check(page, artifacts, "record-waiting")
    app.go("/residents")
    page.fill("#resident-search", "吴秀兰")
    page.wait_for_selector("#resident-list a")
    problems += _check(page, artifacts, "search-results")
    app.go("/home")
    page.wait_for_selector("#storage-warning")
    page.click("#storage-warning summary")
    problems += _check(page, artifacts, "home-storage-warning")
    assert problems == []
