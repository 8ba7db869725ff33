"""A record the server refuses stays on the phone with the reason in the assistant's language."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect
from sqlalchemy import func, select

from server.core.org import OrgUnit
from server.domain.records.model import ServiceRecord
from server.domain.registry.merge import merge_residents
from server.domain.registry.model import Resident
from tests.browser.fieldapp import FieldApp, Person
from tests.factories import make_resident


def _merge_into_another_village(live, name: str) -> None:
    """A supervisor folds the phone's resident into a record of village V1b meanwhile."""
    with live.session() as s:
        dup = s.scalars(select(Resident).where(Resident.name == name)).one()
        keep = make_resident(
            s, s.get(OrgUnit, live.units["V1b"]), name=name, birth_date=date(1958, 3, 4)
        )
        s.commit()
        merge_residents(s, keep, dup, actor_id=live.users["sup1"])
        s.commit()


def test_a_refused_record_shows_why_in_chinese_and_stays_to_be_corrected(
    live_server, network, page
):
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    app.register_household("下村2组3号", "周桂兰", [Person("周桂兰", tags=("hypertension",))])
    app.expect_outbox(0)
    network.offline()
    app.go("/residents")
    page.fill("#resident-search", "zgl")
    page.click("#resident-list a")
    page.wait_for_selector("#form-choices")
    app.fill_hypertension_followup()
    _merge_into_another_village(live_server, "周桂兰")

    network.online()
    app.open_records()
    page.wait_for_selector("ul[data-state=rejected] li")
    page.click("ul[data-state=rejected] a")

    expect(page.locator("#record-state")).to_have_text("未通过")
    expect(page.locator("#refusal")).to_have_text(
        "这位居民已被督导合并到其他村的档案中，请联系督导。"
    )
    expect(page.locator("#correct")).to_be_visible()
    with live_server.session() as s:
        assert s.scalar(select(func.count()).select_from(ServiceRecord)) == 0
