"""The supervisor's feedback reaching the phone, and a new deploy that never loses a form."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from server.domain.records.model import ServiceRecord
from tests.browser.fieldapp import FieldApp, Person

COMMENT = "血压请复测后再提交"


def _api_login(page, live, username: str) -> dict[str, str]:
    answer = page.request.post(
        live.url + "/api/auth/login",
        data={
            "username": username,
            "password": live.password,
            "device_id": f"desk-{uuid.uuid4().hex[:12]}",
            "device_label": "township desktop",
        },
    )
    assert answer.ok, answer.text()
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def test_returned_record_shows_the_comment_and_its_correction_reaches_the_server(live_server, page):
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    app.register_household("上村1组8号", "陈玉梅", [Person("陈玉梅", tags=("hypertension",))])
    app.fill_hypertension_followup(systolic=150, diastolic=95)
    app.expect_outbox(0)
    with live_server.session() as s:
        record = s.scalars(select(ServiceRecord)).one()
        record_id, version = record.id, record.version

    sup = _api_login(page, live_server, "sup1")
    answer = page.request.post(
        f"{live_server.url}/api/review/records/{record_id}/return",
        data={"version": version, "comment": COMMENT},
        headers=sup,
    )
    assert answer.ok, answer.text()

    app.go("/home")
    page.click("#sync-now")
    app.open_records()
    page.wait_for_selector("ul[data-state=returned] li")
    assert COMMENT in page.locator("ul[data-state=returned]").inner_text()
    page.click("ul[data-state=returned] a")
    assert page.locator("#review-comment").inner_text() == COMMENT
    page.click("#correct")
    page.wait_for_selector("#service-form")
    page.fill("input[name='blood_pressure.systolic']", "145")
    app.save_form()
    app.expect_outbox(0)

    with live_server.session() as s:
        corrected = s.get(ServiceRecord, record_id)
        assert corrected.data["blood_pressure"] == {"systolic": 145, "diastolic": 95}
        assert corrected.review_status == "pending"
        assert corrected.version > version


def _shell_version(page, live) -> str:
    return page.request.get(live.url + "/sw.js").headers["x-shell-version"]


def test_new_deploy_is_applied_on_the_users_word_without_losing_the_open_form(
    live_server_factory, pwa_copy, page
):
    live = live_server_factory(pwa_dir=pwa_copy)
    app = FieldApp(page, live)
    app.sign_in("asst1")
    old = _shell_version(page, live)
    app.register_household("上村3组1号", "黄志强", [Person("黄志强", "M", tags=("hypertension",))])
    app.open_form("hypertension_followup")
    app.choose("bp_source", "measured")
    page.fill("input[name='blood_pressure.systolic']", "162")

    css = pwa_copy / "css" / "app.css"
    css.write_text(css.read_text() + "\n/* deploy 2 */\n")
    new = _shell_version(page, live)
    assert new != old
    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
    page.wait_for_selector("#banner:not([hidden])")

    assert page.locator("#apply-update").count() == 0  # no reload offered inside a form
    assert page.locator("input[name='blood_pressure.systolic']").input_value() == "162"

    app.go("/home")
    with page.expect_navigation():
        page.click("#apply-update")
    page.wait_for_selector("#stat-waiting")
    assert page.evaluate("caches.keys()") == [f"vha-shell-{new}"]

    app.go("/residents")
    page.click("#resident-list a")
    app.open_form("hypertension_followup")
    assert page.locator("input[name='blood_pressure.systolic']").input_value() == "162"
    assert page.locator("input[name=bp_source][value=measured]").is_checked()
