"""A lost or revoked phone: it erases itself on the server's word, after uploading if asked,
and keeps no more than it needs of what is already uploaded."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from playwright.sync_api import expect

from server.core.org import OrgUnit
from server.domain.accounts.auth import revoke_device
from server.domain.accounts.model import Device, User
from server.domain.records.model import ServiceRecord
from server.domain.registry.model import Resident
from server.synced import REGISTRY
from sync.changes import server_write
from tests.browser.fieldapp import FieldApp, Person, until
from tests.factories import make_record, make_resident

LOCAL_STATE = """async () => {
    const db = await import('/js/db.js');
    return {
        session: await db.getMeta('session'),
        verifier: await db.getMeta('verifier'),
        residents: await db.count('residents'),
        households: await db.count('households'),
        records: await db.count('records'),
        outbox: await db.count('outbox'),
        unlocked: sessionStorage.getItem('vha-unlocked'),
    };
}"""
ERASED = {
    "session": None,
    "verifier": None,
    "residents": 0,
    "households": 0,
    "records": 0,
    "outbox": 0,
    "unlocked": None,
}


def _sync_now(page) -> None:
    """Start a sync as the sync button does; the phone may already be syncing on its own and
    redraw (or erase itself) while a click would still be waiting for the button."""
    page.evaluate("() => { import('/js/sync.js').then((m) => m.syncOnce()).catch(() => {}); }")


def _device(s, live) -> Device:
    return s.query(Device).filter_by(user_id=live.users["asst1"]).one()


def _with_data(page, live) -> FieldApp:
    app = FieldApp(page, live)
    app.sign_in("asst1")
    app.register_household("上村1组1号", "赵大", [Person("赵大", sex="M"), Person("钱二")])
    app.go("/home")
    _sync_now(page)
    until(page, "async () => (await (await import('/js/db.js')).count('outbox')) === 0")
    assert page.evaluate(LOCAL_STATE)["residents"] == 2
    return app


def test_a_revoked_phone_erases_itself_on_its_next_sync_and_says_why(live_server, page):
    app = _with_data(page, live_server)
    with live_server.session() as s:
        revoke_device(s, _device(s, live_server))
        s.commit()
    app.go("/home")
    _sync_now(page)

    expect(page.locator("#cut-off")).to_contain_text("此手机已被停用")
    assert page.evaluate(LOCAL_STATE) == ERASED
    assert page.js_errors == []


def test_a_deactivated_account_erases_the_phone_on_its_next_sync(live_server, page):
    app = _with_data(page, live_server)
    with live_server.session() as s:
        s.get(User, live_server.users["asst1"]).active = False
        s.commit()
    app.go("/home")
    _sync_now(page)

    expect(page.locator("#cut-off")).to_contain_text("此手机已被停用")
    assert page.evaluate(LOCAL_STATE) == ERASED


def test_an_erasure_done_by_the_service_worker_also_ends_the_open_tabs_unlock(live_server, page):
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    page.evaluate(
        """async () => {
            const db = await import('/js/db.js');
            await db.wipe();
            await db.setMeta('cut_off', { code: 'device_revoked', at: new Date().toISOString() });
        }"""
    )
    assert page.evaluate("() => sessionStorage.getItem('vha-unlocked')") == "1"
    app.go("/login")

    expect(page.locator("#cut-off")).to_contain_text("此手机已被停用")
    assert page.evaluate(LOCAL_STATE) == ERASED


def test_an_erased_phone_cannot_be_unlocked_offline(live_server, context, network, page):
    app = _with_data(page, live_server)
    with live_server.session() as s:
        revoke_device(s, _device(s, live_server))
        s.commit()
    app.go("/home")
    _sync_now(page)
    expect(page.locator("#cut-off")).to_be_visible()
    network.offline()
    page.close()

    fresh = context.new_page()
    fresh.goto(live_server.url + "/")
    expect(fresh.locator("input[name=username]")).to_be_visible()
    fresh.fill("input[name=username]", "asst1")
    fresh.fill("input[name=password]", live_server.password)
    fresh.click("form button[type=submit]")
    expect(fresh.locator(".notice.bad").last).to_be_visible()
    assert fresh.locator("#stat-waiting").count() == 0
    assert fresh.evaluate(LOCAL_STATE)["residents"] == 0


def test_a_phone_stopped_after_upload_uploads_its_queue_then_erases_itself(
    live_server, network, page
):
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    network.offline()
    app.register_household("上村2组5号", "孙五", [Person("孙五", sex="M")])
    with live_server.session() as s:
        _device(s, live_server).revoke_after_upload_at = datetime.now(UTC)
        s.commit()
    network.online()

    expect(page.locator("#cut-off")).to_contain_text("此手机已被停用")
    assert page.evaluate(LOCAL_STATE) == ERASED
    with live_server.session() as s:
        device = _device(s, live_server)
        assert device.revoked_at is not None
        assert device.queued == 0
        assert s.query(Resident).filter_by(name="孙五").count() == 1


def test_a_signed_back_in_phone_starts_afresh_on_a_new_device(live_server, page):
    app = _with_data(page, live_server)
    with live_server.session() as s:
        revoke_device(s, _device(s, live_server))
        s.commit()
    app.go("/home")
    _sync_now(page)
    expect(page.locator("#cut-off")).to_be_visible()

    app.sign_in("asst1")
    with live_server.session() as s:
        devices = s.query(Device).filter_by(user_id=live_server.users["asst1"]).all()
        assert sorted(d.revoked_at is None for d in devices) == [False, True]
    assert page.evaluate(LOCAL_STATE)["residents"] == 2


def test_uploaded_accepted_records_older_than_the_retention_leave_the_phone(
    live_server_factory, page
):
    live = live_server_factory(PHONE_RETENTION_DAYS=30)
    old = datetime.now(UTC) - timedelta(days=45)
    recent = datetime.now(UTC) - timedelta(days=5)
    with live.session() as s:
        village = s.get(OrgUnit, live.units["V1a"])
        author = s.get(User, live.users["asst1"])
        resident = make_resident(s, village, name="周老", birth_date=date(1950, 1, 1))
        server_write(s, REGISTRY.of(resident), resident, actor_id=author.id, action="create")
        made = {}
        for name, status, at in [
            ("returned", "returned", old),
            ("recent", "approved", recent),
            ("approved", "approved", old),
            ("pending", "pending", old),
        ]:
            made[name] = make_record(s, resident, author, review_status=status, created_at=at)
            server_write(
                s, REGISTRY.of(made[name]), made[name], actor_id=author.id, action="create"
            )
        s.commit()
        kept = {name: made[name] for name in ("returned", "recent")}
        kept_ids = sorted(str(r.id) for r in kept.values())
        assert s.query(ServiceRecord).count() == 4
    FieldApp(page, live).sign_in("asst1")

    on_phone = page.evaluate(
        "async () => (await (await import('/js/db.js')).getAll('records')).map((r) => r.id).sort()"
    )
    assert on_phone == kept_ids
