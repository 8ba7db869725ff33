"""A county admin opening a tuberculosis follow-up in the workspace sees a neutral "随访" that
says why its content is not shown; the township's supervisor sees the form and its answers."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.test_workspace import (
    DESKTOP,
    assistant_client,
    open_context,
    sign_in,
    with_forms,
)
from tests.factories import TB_VISIT


@pytest.fixture
def tb_record(live_server) -> str:
    with_forms(live_server)
    client = assistant_client(live_server)
    rid = client.create(
        "resident",
        {"name": "李肺", "sex": "M", "birth_date": "1970-01-01", "tags": ["tuberculosis"]},
    )
    values = {"resident_id": rid, "form_code": "tuberculosis_followup", "form_version": 1}
    record_id = client.create(
        "service_record", {**values, "visit_date": date.today().isoformat(), "data": TB_VISIT}
    )
    push, _ = client.sync()
    assert push.count("applied") == 2, push
    return record_id


@pytest.fixture
def desk(browser):
    ctx = open_context(browser, DESKTOP)
    yield ctx.new_page()
    ctx.close()


def _open(desk, live_server, username: str, record_id: str) -> None:
    sign_in(desk, live_server, username)
    desk.locator(f"tr[data-id='{record_id}'] a.open-record").click()
    expect(desk.locator("#rec-fields")).to_be_attached()


def test_an_admin_sees_a_tb_follow_up_as_a_neutral_follow_up(
    live_server, desk, tb_record, artifacts
):
    _open(desk, live_server, "admin", tb_record)
    expect(desk.locator("h1")).to_contain_text("随访")
    expect(desk.locator("#rec-masked")).to_contain_text("只有居民所在村的卫生助理员和乡镇卫生院")
    expect(desk.locator("#rec-fields .ws-field-value")).to_have_count(0)
    expect(desk.locator("body")).not_to_contain_text("肺结核")
    desk.screenshot(path=str(artifacts / "workspace-masked-followup-1280x800.png"))


def test_the_supervisor_sees_the_tb_follow_up_in_full(live_server, desk, tb_record):
    _open(desk, live_server, "sup1", tb_record)
    expect(desk.locator("h1")).to_contain_text("肺结核患者随访协助")
    expect(desk.locator("#rec-masked")).to_have_count(0)
    expect(desk.locator("#rec-fields [data-name=missed_doses] dd")).to_have_text("2 次")
