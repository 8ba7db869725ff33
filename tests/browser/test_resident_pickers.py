"""Ended residents (died, moved away, lost) are not offered for new records: the form's resident
picker leaves them out, while a record that already names one still shows it (issue 15)."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect

from server.core.org import OrgUnit
from server.synced import REGISTRY
from sync.changes import server_write
from tests.browser.fieldapp import FieldApp
from tests.factories import make_household, make_resident

PEOPLE = [
    {"name": "周小宝", "sex": "M", "birth_date": date(2024, 6, 1)},
    {"name": "周妈妈", "sex": "F", "birth_date": date(1995, 2, 3)},
    {"name": "周奶奶", "sex": "F", "birth_date": date(1950, 2, 3), "ended_on": date(2026, 10, 1),
     "end_reason": "died"},
]  # fmt: skip


def _seed(live) -> dict[str, str]:
    with live.session() as s:
        village = s.get(OrgUnit, live.units["V1a"])
        home = make_household(s, village, address="上村5组1号", head_name="周建军")
        rows = [home] + [make_resident(s, village, household_id=home.id, **p) for p in PEOPLE]
        for row in rows:
            server_write(s, REGISTRY.of(row), row, actor_id=live.users["sup1"], action="create")
        s.commit()
        return {row.name: str(row.id) for row in rows[1:]}


def test_the_guardian_picker_leaves_out_an_ended_resident(live_server, page):
    ids = _seed(live_server)
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    app.go(f"/form/child_checkup?resident={ids['周小宝']}")
    picker = page.locator("select[name=guardian]")
    expect(picker).to_contain_text("周妈妈")
    expect(picker.locator("option")).not_to_contain_text(["周奶奶"])
    expect(picker.locator(f"option[value='{ids['周奶奶']}']")).to_have_count(0)


def test_a_picker_keeps_the_ended_resident_a_record_already_names(page, live_server):
    page.goto(live_server.url + "/manifest.webmanifest")
    offered = page.evaluate(
        """async () => {
          const m = await import('/js/search.js');
          const people = [{ id: 'a' }, { id: 'b', ended_on: '2026-10-01' }, { id: 'c' }];
          return [m.offeredResidents(people).map((r) => r.id),
                  m.offeredResidents(people, 'b').map((r) => r.id)];
        }"""
    )
    assert offered == [["a", "c"], ["a", "b", "c"]]
