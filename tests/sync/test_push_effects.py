"""Forms' effects over sync: pushed records open, update and close their resident's episodes.

The server recomputes the resident's episodes and form tag spans in the push's transaction,
and phones pull them as read-only rows.
"""

from __future__ import annotations

from typing import Any

from tests.sync.conftest import mutation, update


def record(resident_id: str, code: str, visit_date: str, **data: Any) -> dict[str, Any]:
    values = {"resident_id": resident_id, "form_code": code, "form_version": 1}
    return mutation("service_record", "create", {**values, "visit_date": visit_date, "data": data})


def pulled(asst1, entity: str) -> list[dict[str, Any]]:
    return [c for (e, _), c in asst1.pull_all().items() if e == entity]


def booking(resident_id: str) -> dict[str, Any]:
    return record(resident_id, "t_booking", "2026-03-01", lmp="2026-01-10", edd="2026-10-17")


def test_a_pushed_booking_opens_a_pregnancy_that_the_phone_pulls(mother):
    asst1, woman = mother
    asst1.push(booking(woman))
    [episode] = pulled(asst1, "episode")
    assert episode["data"]["kind"] == "pregnancy"
    assert episode["data"]["status"] == "open"
    assert episode["data"]["facts"] == {"lmp": "2026-01-10", "edd": "2026-10-17"}


def test_a_pushed_booking_starts_the_pregnant_span_from_the_form(mother):
    asst1, woman = mother
    asst1.push(booking(woman))
    [span] = pulled(asst1, "resident_tag")
    assert {k: span["data"][k] for k in ("tag", "origin", "source", "start_on", "end_on")} == {
        "tag": "pregnant", "origin": "form", "source": "reported",
        "start_on": "2026-03-01", "end_on": None,
    }  # fmt: skip


def test_a_corrected_booking_updates_the_episode_with_a_new_version(mother):
    asst1, woman = mother
    first = booking(woman)
    asst1.push(first)
    asst1.push(update("service_record", first["id"], 1, data={"edd": "2026-10-20"}))
    [episode] = pulled(asst1, "episode")
    assert (episode["version"], episode["data"]["facts"]["edd"]) == (2, "2026-10-20")


def test_a_delivery_closes_the_pregnancy_and_moves_her_tags(mother):
    asst1, woman = mother
    delivery = record(
        woman, "t_delivery", "2026-10-25", delivery_date="2026-10-15", discharge_date="2026-10-18"
    )
    asst1.push(booking(woman))
    asst1.push(delivery)
    [episode] = pulled(asst1, "episode")
    assert {k: episode["data"][k] for k in ("status", "closed_on", "close_reason")} == {
        "status": "closed", "closed_on": "2026-10-15", "close_reason": "delivered",
    }  # fmt: skip
    spans = {s["data"]["tag"]: (s["data"]["start_on"], s["data"]["end_on"])
             for s in pulled(asst1, "resident_tag")}  # fmt: skip
    assert spans == {
        "pregnant": ("2026-03-01", "2026-10-15"),
        "postpartum": ("2026-10-15", "2026-11-26"),
    }


def test_deleting_the_opening_record_removes_the_episode(mother):
    asst1, woman = mother
    first = booking(woman)
    asst1.push(first)
    asst1.push(mutation("service_record", "delete", {}, id=first["id"], base_version=1))
    assert [c["op"] for c in pulled(asst1, "episode")] == ["delete"]
    assert [c["op"] for c in pulled(asst1, "resident_tag")] == ["delete"]


def test_rejecting_the_opening_record_removes_the_episode(mother, client, auth):
    asst1, woman = mother
    first = booking(woman)
    asst1.push(first)
    response = client.post(
        f"/api/review/records/{first['id']}/reject",
        json={"version": 1, "reason": "Not her."},
        headers=auth.headers("sup1"),
    )
    assert response.status_code == 200, response.get_json()
    assert [c["op"] for c in pulled(asst1, "episode")] == ["delete"]


def test_a_rejected_record_edited_by_its_author_counts_again(mother, client, auth):
    asst1, woman = mother
    first = booking(woman)
    asst1.push(first)
    client.post(
        f"/api/review/records/{first['id']}/reject",
        json={"version": 1, "reason": "Check the LMP."},
        headers=auth.headers("sup1"),
    )
    asst1.push(update("service_record", first["id"], 2, data={"lmp": "2026-01-12"}))
    [episode] = pulled(asst1, "episode")
    assert (episode["op"], episode["data"]["facts"]["lmp"]) == ("upsert", "2026-01-12")


def test_replaying_a_push_changes_no_episode(mother):
    asst1, woman = mother
    first = booking(woman)
    asst1.push(first)
    before = asst1.pull()
    asst1.push(first)
    assert asst1.pull(before["cursor"])["changes"] == []


def test_a_phone_cannot_push_an_episode(mother):
    asst1, woman = mother
    asst1.push(booking(woman))
    [episode] = pulled(asst1, "episode")
    [result] = asst1.push(
        mutation("episode", "update", {"status": "closed"}, id=episode["id"], base_version=1)
    )
    assert result["status"] == "rejected"


def test_a_tag_staff_removed_stays_ended_when_a_later_record_is_folded(mother, client, auth):
    asst1, woman = mother
    first = booking(woman)
    asst1.push(first)
    removed = client.post(
        f"/api/residents/{woman}/tags/pregnant/remove",
        json={"note": "卫生院核实：未怀孕"},
        headers=auth.headers("sup1"),
    )
    assert removed.status_code == 200, removed.get_json()
    asst1.push(update("service_record", first["id"], 1, data={"edd": "2026-10-20"}))
    [span] = pulled(asst1, "resident_tag")
    assert span["data"]["end_on"] is not None
