"""The phone's clock reading reaches the audit trail as sent, and never decides anything."""

from __future__ import annotations

from server.core.audit import audit_entries
from server.extensions import db
from tests.sync.conftest import new_household, new_record, new_resident, update

PHONE_CLOCK = "2026-11-02T08:15:00+08:00"


def at(mutation: dict, when) -> dict:
    return {**mutation, "client_time": when}


def test_a_create_in_a_batch_keeps_the_phones_clock_in_its_audit_entry(phone):
    home = at(new_household(), PHONE_CLOCK)
    person = at(new_resident(home["id"]), "2026-11-02T08:16:00+08:00")

    phone("asst1").push(home, person)

    [entry] = audit_entries(db.session, "household", home["id"])
    assert entry.client_time == PHONE_CLOCK
    [entry] = audit_entries(db.session, "resident", person["id"])
    assert entry.client_time == "2026-11-02T08:16:00+08:00"


def test_an_update_keeps_the_phones_clock_of_that_update(phone):
    asst1 = phone("asst1")
    home = asst1.push_one(at(new_household(), PHONE_CLOCK))

    asst1.push_one(at(update("household", home["id"], 1, address="村口9号"), "2026-11-03T10:00"))

    entries = audit_entries(db.session, "household", home["id"])
    assert [e.client_time for e in entries] == [PHONE_CLOCK, "2026-11-03T10:00"]


def test_a_wrong_or_strange_phone_clock_is_kept_as_sent_and_changes_nothing_else(phone):
    home = at(new_household(), "1970-01-01 早上")

    result = phone("asst1").push_one(home)

    assert result["status"] == "applied"
    [entry] = audit_entries(db.session, "household", home["id"])
    assert entry.client_time == "1970-01-01 早上"
    assert entry.at.year >= 2026


def test_a_missing_or_non_text_phone_clock_is_left_empty(phone):
    plain = {k: v for k, v in new_household().items() if k != "client_time"}
    odd = at(new_household(), 1730505600)

    phone("asst1").push(plain, odd)

    for mutation in (plain, odd):
        [entry] = audit_entries(db.session, "household", mutation["id"])
        assert entry.client_time is None


def test_the_supervisors_record_history_shows_the_phones_clock(phone, client, auth, world):
    asst1 = phone("asst1")
    home = asst1.push_one(new_household())
    person = asst1.push_one(new_resident(home["id"], tags=["hypertension"]))
    record = asst1.push_one(at(new_record(person["id"]), PHONE_CLOCK))

    body = client.get(
        f"/api/review/records/{record['id']}", headers=auth.headers("sup1")
    ).get_json()

    assert [e["client_time"] for e in body["history"]] == [PHONE_CLOCK]
