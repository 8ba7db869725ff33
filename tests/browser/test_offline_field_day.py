"""An assistant's day without signal: the shell loads offline, work queues, and uploads once."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect
from sqlalchemy import func, select

from server.core.org import OrgUnit
from server.domain.records.model import ServiceRecord
from server.domain.registry.model import Household, Resident
from tests.browser.fieldapp import FieldApp, Person
from tests.factories import make_resident


def _counts(live) -> tuple[int, int, int]:
    with live.session() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(model))
            for model in (Household, Resident, ServiceRecord)
        )


def test_work_done_offline_uploads_exactly_once_when_back_online(live_server, network, page):
    app = FieldApp(page, live_server)
    app.sign_in("asst1")

    network.offline()
    page.reload()
    app.unlock_if_asked()
    page.wait_for_selector("#stat-waiting")
    assert page.locator("#net").inner_text() == "离线"

    app.register_household("上村5组12号", "李秀英", [Person("李秀英", tags=("hypertension",))])
    app.fill_health_record()
    app.fill_hypertension_followup()
    app.open_records()
    expect(page.locator("ul[data-state=waiting] li")).to_have_count(2)
    assert _counts(live_server) == (0, 0, 0)

    network.online()
    app.expect_outbox(0)

    assert _counts(live_server) == (1, 1, 2)
    with live_server.session() as s:
        resident = s.scalars(select(Resident)).one()
        assert resident.name == "李秀英"
        forms = sorted(r.form_code for r in s.scalars(select(ServiceRecord)))
        assert forms == ["health_record", "hypertension_followup"]
    expect(page.locator("ul[data-state=uploaded] li")).to_have_count(2)
    assert not page.js_errors


def test_resident_registered_offline_gets_the_duplicate_warning_after_the_sync(
    live_server, network, page
):
    with live_server.session() as s:
        village = s.get(OrgUnit, live_server.units["V1b"])
        make_resident(s, village, name="赵春花", birth_date=date(1970, 2, 3))
        s.commit()
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    network.offline()
    app.register_household("上村7组2号", "赵春花", [Person("赵春花", birth_date="1970-02-03")])

    network.online()
    app.expect_outbox(0)
    app.go("/home")

    warning = page.locator(".notice", has_text="赵春花")
    warning.wait_for()
    assert "1" in warning.inner_text()


def test_offline_cuts_the_service_workers_requests_too(live_server, context, network, page):
    """Background Sync runs in the service worker: offline in these tests must hold there too."""
    FieldApp(page, live_server).sign_in("asst1")
    worker = (context.service_workers or [None])[0] or context.wait_for_event("serviceworker")
    reach = "() => fetch('/api/forms').then((r) => r.status, () => 'no signal')"

    network.offline()
    assert worker.evaluate(reach) == "no signal"

    network.online()
    assert worker.evaluate(reach) == 401  # the server answers (no token sent)
