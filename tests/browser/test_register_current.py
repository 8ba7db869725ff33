"""Keeping the register current on the phone (360x640, zh-CN): edit, move, end, births.

Each test seeds the register on the server, signs the assistant in (the first sync brings it to
the phone), does the work as she would, and checks what the server holds after the upload.
"""

from __future__ import annotations

import uuid
from datetime import date

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlalchemy import select

from server.core.org import OrgUnit
from server.domain.accounts.model import User
from server.domain.registry.model import Resident, ResidentTag
from server.synced import REGISTRY
from sync.changes import server_write
from sync.models import Conflict
from sync.push import push_batch
from tests.browser.fieldapp import FieldApp
from tests.factories import make_household, make_resident

BLOCKING = {"serious", "critical"}


def _seed(live, **people) -> dict[str, str]:
    """A household in V1a with the given residents (name -> factory kwargs); ids by name."""
    with live.session() as s:
        village = s.get(OrgUnit, live.units["V1a"])
        home = make_household(s, village, address="上村3组8号", head_name="王建国")
        rows = [home]
        ids = {"home": str(home.id)}
        for name, kw in people.items():
            rows.append(make_resident(s, village, name=name, household_id=home.id, **kw))
            ids[name] = str(rows[-1].id)
        for row in rows:  # into the feed, as the server's own writes are
            server_write(s, REGISTRY.of(row), row, actor_id=live.users["sup1"], action="create")
        s.commit()
    return ids


def _resident(live, ident: str) -> Resident:
    with live.session() as s:
        row = s.get(Resident, uuid.UUID(ident))
        s.expunge(row)
        return row


def _open(app: FieldApp, ident: str) -> None:
    app.go(f"/residents/{ident}")
    app.page.wait_for_selector("#resident-register")


def _shot(page, artifacts, name: str) -> list[str]:
    """A screenshot for the artifacts, and axe's serious or critical findings on the screen."""
    page.screenshot(path=str(artifacts / f"register-{name}.png"))
    found = Axe().run(page).response["violations"]
    return [f"{name}: {v['id']} ({v['impact']})" for v in found if v["impact"] in BLOCKING]


def test_a_resident_edited_offline_reaches_the_server(live_server, network, page, artifacts):
    ids = _seed(live_server, 李桂英={"sex": "F", "birth_date": date(1958, 3, 4)})
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    network.offline()
    _open(app, ids["李桂英"])
    page.click("#edit-resident")
    page.wait_for_selector("#resident-edit-form")
    assert _shot(page, artifacts, "edit") == []
    page.fill("#resident-edit-form input[name=phone]", "13912345678")
    page.check("#resident-edit-form input[name=tags][value=hypertension]")
    page.click("#resident-edit-form button[type=submit]")
    page.wait_for_selector("#resident-register")
    expect(page.locator(".summary")).to_contain_text("13912345678")

    network.online()
    app.expect_outbox(0)
    stored = _resident(live_server, ids["李桂英"])
    assert (stored.phone, stored.tags, stored.version) == ("13912345678", ["hypertension"], 2)
    assert not page.js_errors


def test_an_edit_shows_each_problem_under_its_field(live_server, page):
    ids = _seed(live_server, 李桂英={"sex": "F"})
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    app.go(f"/residents/{ids['李桂英']}/edit")
    page.fill("#resident-edit-form input[name=name]", "")
    page.click("#resident-edit-form button[type=submit]")
    name_field = page.locator("#resident-edit-form .field", has=page.locator("input[name=name]"))
    expect(name_field.locator(".error")).to_have_text("请填写姓名。")
    expect(page.locator("#resident-edit-form input[name=name]")).to_have_attribute(
        "aria-invalid", "true"
    )


def test_a_concurrent_edit_of_the_same_field_is_kept_as_a_conflict(live_server, network, page):
    ids = _seed(live_server, 李桂英={"sex": "F", "phone": "13800000000"})
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    network.offline()
    app.go(f"/residents/{ids['李桂英']}/edit")
    page.fill("#resident-edit-form input[name=phone]", "13911111111")
    page.click("#resident-edit-form button[type=submit]")
    page.wait_for_selector("#resident-register")
    with live_server.session() as s:  # meanwhile a supervisor corrects the same phone number
        sup = s.scalars(select(User).where(User.username == "sup1")).one()
        change = {"phone": "13922222222"}
        mutation = {"mutation_id": "sup-edit-1", "entity": "resident", "op": "update"}
        mutation |= {"id": ids["李桂英"], "base_version": 1, "data": change}
        assert push_batch(s, REGISTRY, sup, [mutation])[0]["status"] == "applied"
        s.commit()

    network.online()
    app.expect_outbox(0)
    assert _resident(live_server, ids["李桂英"]).phone == "13922222222"
    with live_server.session() as s:
        conflict = s.scalars(select(Conflict)).one()
        assert (conflict.field, conflict.client_value) == ("phone", "13911111111")


def test_a_newborn_joins_the_mothers_household_after_the_delivery(
    live_server, network, page, artifacts
):
    ids = _seed(
        live_server,
        王丽={"sex": "F", "birth_date": date(1996, 5, 5), "tags": ["pregnant"]},
    )
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    network.offline()
    _open(app, ids["王丽"])
    choices = page.locator("#form-choices a[href*='/form/postpartum_visit?']")
    expect(choices).to_have_count(0)
    page.click("#gave-birth")
    page.wait_for_selector("#birth-form")
    problems = _shot(page, artifacts, "birth")
    page.fill("#birth-form input[name=delivery_date]", "2026-11-20")
    page.click("#birth-form button[type=submit]")
    page.click("#register-newborn")
    page.wait_for_selector("#member-form")
    expect(page.locator("#member-mother")).to_have_text("母亲：王丽")
    expect(page.locator("#member-form input[name=birth_date]")).to_have_value("2026-11-20")
    problems += _shot(page, artifacts, "newborn")
    page.fill("#member-form input[name=name]", "王小宝")
    page.select_option("#member-form select[name=sex]", "M")
    page.click("#member-form button[type=submit]")
    page.wait_for_selector("#resident-mother")
    expect(page.locator("#resident-mother")).to_contain_text("王丽")
    page.click("#resident-mother a")
    page.wait_for_selector("#resident-children")
    expect(page.locator("#resident-children")).to_contain_text("王小宝")
    expect(choices).to_have_count(1)
    assert problems == []

    network.online()
    app.expect_outbox(0)
    mother = _resident(live_server, ids["王丽"])
    assert mother.tags == ["postpartum"]
    with live_server.session() as s:
        baby = s.scalars(select(Resident).where(Resident.name == "王小宝")).one()
        assert (str(baby.household_id), str(baby.mother_id)) == (ids["home"], ids["王丽"])
        assert baby.birth_date == date(2026, 11, 20)


def test_an_early_pregnancy_registration_makes_her_pregnant(live_server, page):
    ids = _seed(live_server, 陈芳={"sex": "F", "birth_date": date(1998, 1, 2)})
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    _open(app, ids["陈芳"])
    expect(page.locator("#gave-birth")).to_have_count(0)
    app.open_form("early_pregnancy")
    page.fill("#service-form input[name=last_menstrual_period]", "2026-10-01")
    app.choose("confirmed_by", "hospital")
    app.choose("residence", "registered")
    app.choose("handbook_issued", "no")
    app.save_form()
    _open(app, ids["陈芳"])
    expect(page.locator("#gave-birth")).to_be_visible()
    app.expect_outbox(0)
    with live_server.session() as s:
        spans = s.scalars(
            select(ResidentTag).where(ResidentTag.resident_id == uuid.UUID(ids["陈芳"]))
        ).all()
        assert [(span.tag, span.origin) for span in spans] == [("pregnant", "form")]


def test_an_ended_record_leaves_the_lists_and_is_shown_as_ended(
    live_server, network, page, artifacts
):
    ids = _seed(live_server, 赵大爷={"sex": "M", "birth_date": date(1940, 1, 1)})
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    network.offline()
    _open(app, ids["赵大爷"])
    page.click("#end-resident")
    page.wait_for_selector("#resident-end-form")
    page.check("#resident-end-form input[value=moved_away]")
    page.fill("#resident-end-form input[name=ended_on]", "2026-11-01")
    page.click("#resident-end-form button[type=submit]")
    expect(page.locator("#err-end_destination .error")).to_have_text("请填写迁往何处。")
    problems = _shot(page, artifacts, "end")
    page.fill("#resident-end-form input[name=end_destination]", "广州市")
    page.click("#resident-end-form button[type=submit]")
    page.wait_for_selector("#resident-ended")
    expect(page.locator("#resident-ended")).to_have_text("已结案：迁出 → 广州市 · 2026-11-01")
    expect(page.locator("#form-choices li")).to_have_count(0)
    expect(page.locator("#withdraw-end")).to_be_visible()
    problems += _shot(page, artifacts, "ended")

    app.go("/residents")
    page.fill("#resident-search", "赵")
    expect(page.locator("#resident-list")).not_to_contain_text("赵大爷")
    app.go(f"/households/{ids['home']}")
    page.wait_for_selector("#household-members")
    expect(page.locator("#household-members .badge.ended")).to_contain_text("已结案")
    problems += _shot(page, artifacts, "household")
    assert problems == []

    network.online()
    app.expect_outbox(0)
    stored = _resident(live_server, ids["赵大爷"])
    assert (stored.ended_on, stored.end_reason, stored.end_destination) == (
        date(2026, 11, 1),
        "moved_away",
        "广州市",
    )
    _open(app, ids["赵大爷"])
    expect(page.locator("#withdraw-end")).to_have_count(0)


def test_an_end_not_yet_uploaded_can_be_taken_back(live_server, network, page):
    ids = _seed(live_server, 赵大爷={"sex": "M", "birth_date": date(1940, 1, 1)})
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    network.offline()
    app.go(f"/residents/{ids['赵大爷']}/end")
    page.check("#resident-end-form input[value=died]")
    page.click("#resident-end-form button[type=submit]")
    page.click("#withdraw-end")
    expect(page.locator("#resident-ended")).to_have_count(0)
    expect(page.locator("#form-choices li").first).to_be_visible()

    network.online()
    app.expect_outbox(0)
    assert _resident(live_server, ids["赵大爷"]).ended_on is None


def test_a_resident_moves_to_another_household_of_the_village(
    live_server, network, page, artifacts
):
    ids = _seed(live_server, 李明={"sex": "M", "birth_date": date(1990, 6, 1)})
    with live_server.session() as s:
        village = s.get(OrgUnit, live_server.units["V1a"])
        row = make_household(s, village, address="上村9组1号", head_name="李大山")
        server_write(s, REGISTRY.of(row), row, actor_id=live_server.users["sup1"], action="create")
        other = str(row.id)
        s.commit()
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    network.offline()
    _open(app, ids["李明"])
    page.click("#move-resident")
    page.wait_for_selector("#resident-move-form")
    problems = _shot(page, artifacts, "move")
    page.check(f"#move-choices input[value='{other}']")
    page.click("#resident-move-form button[type=submit]")
    page.wait_for_selector("#household-link")
    expect(page.locator("#household-link")).to_contain_text("李大山")
    page.click("#household-link")
    page.wait_for_selector("#household-members")
    expect(page.locator("#household-members")).to_contain_text("李明")
    assert problems == []

    network.online()
    app.expect_outbox(0)
    assert str(_resident(live_server, ids["李明"]).household_id) == other


def test_a_delivery_on_the_postpartum_visit_prefills_the_newborn(live_server, page):
    ids = _seed(
        live_server, 王丽={"sex": "F", "birth_date": date(1996, 5, 5), "tags": ["postpartum"]}
    )
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    _open(app, ids["王丽"])
    app.open_form("postpartum_visit")
    page.fill("#service-form input[name=visit_number]", "1")
    page.fill("#service-form input[name=delivery_date]", "2026-11-18")
    app.choose("delivery_place", "hospital")
    page.fill("#service-form input[name=discharge_date]", "2026-11-20")
    app.choose("visit_method", "phone")
    app.choose("mother_complaints", "none")
    app.save_form()
    _open(app, ids["王丽"])
    page.click("#register-newborn")
    page.wait_for_selector("#member-form")
    expect(page.locator("#member-form input[name=birth_date]")).to_have_value("2026-11-18")
    expect(page.locator("#member-mother")).to_have_text("母亲：王丽")
