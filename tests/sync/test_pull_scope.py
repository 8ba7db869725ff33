"""A pull over several villages merges their feeds in write order, however the scope is read.

sync/pull.py reads a scope of a few org units as a merge of one index range per unit and a
larger scope as one range filtered by the unit list; both must page the same way.
"""

from __future__ import annotations

import pytest

from sync import pull
from tests.sync.conftest import new_household, update


@pytest.fixture(params=["merge of per-unit ranges", "one range filtered by units"])
def scope_read(request, monkeypatch) -> None:
    if request.param == "one range filtered by units":
        monkeypatch.setattr(pull, "MERGE_MAX_UNITS", 0)


def test_a_supervisors_pages_interleave_villages_in_write_order(phone, scope_read):
    asst1, asst2 = phone("asst1"), phone("asst2")
    ids = []
    for _ in range(3):
        ids.append(asst1.push_one(new_household())["id"])  # V1a
        ids.append(asst2.push_one(new_household())["id"])  # V1b
    phone("asst3").push_one(new_household())  # V2a: another township
    asst1.push_one(update("household", ids[0], 1, address="新地址"))  # moves to the end
    sup1 = phone("sup1")

    pages, cursor = [], None
    while True:
        page = sup1.pull(cursor, limit=2)
        pages.append([c["id"] for c in page["changes"]])
        cursor = page["cursor"]
        if not page["has_more"]:
            break

    assert pages == [ids[1:3], ids[3:5], [ids[5], ids[0]]]


def test_a_village_with_nothing_new_gets_an_empty_page_while_others_write(phone, scope_read):
    asst1, asst2 = phone("asst1"), phone("asst2")
    asst1.push_one(new_household())
    cursor = asst1.pull()["cursor"]
    for _ in range(3):
        asst2.push_one(new_household())

    page = asst1.pull(cursor)

    assert (page["changes"], page["has_more"], page["cursor"]) == ([], False, cursor)
