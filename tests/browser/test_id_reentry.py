"""An assistant corrects a mistyped ID number by typing it again; the stored one is never shown."""

from __future__ import annotations

import logging
import uuid
from datetime import date

from playwright.sync_api import expect
from sqlalchemy import select

from server.core.audit import AuditEntry
from server.core.org import OrgUnit
from server.domain.registry.model import Resident
from server.synced import REGISTRY
from sync.changes import server_write
from tests.browser.fieldapp import FieldApp
from tests.factories import make_household, make_resident, valid_id_number

BORN = date(1958, 3, 4)
TYPED_WRONG = valid_id_number(BORN, serial="418")
RIGHT = valid_id_number(BORN, serial="481")


def _resident_with_a_mistyped_number(live) -> uuid.UUID:
    with live.session() as s:
        village = s.get(OrgUnit, live.units["V1a"])
        home = make_household(s, village, address="下村2组3号", head_name="周桂兰")
        resident = make_resident(
            s,
            village,
            name="周桂兰",
            sex="F",
            birth_date=BORN,
            id_number=TYPED_WRONG,
            household_id=home.id,
        )
        for row in (home, resident):
            server_write(s, REGISTRY.of(row), row, actor_id=live.users["sup1"], action="create")
        s.commit()
        return resident.id


def _open_reentry(app: FieldApp) -> None:
    app.go("/residents")
    app.page.fill("#resident-search", "zgl")
    app.page.click("#resident-list a")
    app.page.click("#id-reentry button")
    app.page.wait_for_selector("#id-reentry-form")


def test_an_assistant_re_enters_a_number_that_reaches_the_server_and_is_never_shown(
    live_server, page, caplog
):
    caplog.set_level(logging.INFO)
    resident_id = _resident_with_a_mistyped_number(live_server)
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    _open_reentry(app)
    expect(page.locator("#id-number-masked")).to_have_text("350521************")

    page.fill("input[name=new-id-number]", RIGHT)
    page.click("#id-reentry-form button[type=submit]")
    app.expect_outbox(0)

    with live_server.session() as s:
        assert s.get(Resident, resident_id).id_number == RIGHT
        audits = s.scalars(select(AuditEntry).where(AuditEntry.entity_id == str(resident_id))).all()
        stored = " ".join(str((a.before, a.after)) for a in audits)
    assert (RIGHT in stored, TYPED_WRONG in stored, "350521************" in stored) == (
        False,
        False,
        True,
    )
    app.go("/residents")
    page.fill("#resident-search", "zgl")
    page.click("#resident-list a")
    page.wait_for_selector("#id-reentry button")
    shown = page.content()
    assert (RIGHT in shown, TYPED_WRONG in shown) == (False, False)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert (RIGHT[6:] in logged, TYPED_WRONG[6:] in logged) == (False, False)


def test_a_re_entered_number_is_checked_as_at_registration(live_server, page):
    resident_id = _resident_with_a_mistyped_number(live_server)
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    _open_reentry(app)
    shown = []
    for typed in (
        RIGHT[:-1] + ("0" if RIGHT[-1] != "0" else "1"),
        valid_id_number(date(1958, 3, 5)),
    ):
        page.fill("input[name=new-id-number]", typed)
        page.click("#id-reentry-form button[type=submit]")
        shown.append(page.locator("#id-reentry-form .error").inner_text())
    assert shown == ["身份证号校验位不对。", "出生日期与身份证号不一致。"]
    with live_server.session() as s:
        assert s.get(Resident, resident_id).id_number == TYPED_WRONG
