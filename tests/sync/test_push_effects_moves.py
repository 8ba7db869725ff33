"""A record that moves to another resident takes its effects along: both residents refold.

An edit of a record's resident_id leaves effects on the former resident that no stored row
names (here: facts of an update whose episode a later record last touched), so the server
refreshes the resident the record had before the write as well as the one it has now.
"""

from __future__ import annotations

import uuid

from server.extensions import db
from sync.models import Conflict
from tests.sync.conftest import new_household, new_resident, update
from tests.sync.test_push_effects import booking, pulled, record


def pregnancies(asst1) -> dict[str, dict]:
    return {
        c["data"]["resident_id"]: c["data"] for c in pulled(asst1, "episode") if c["op"] == "upsert"
    }


def test_a_booking_moved_to_another_woman_leaves_her_facts_and_opens_hers(mother):
    asst1, first_woman = mother
    home = new_household()
    second = new_resident(home["id"], name="李娜", birth_date="1995-02-02")
    asst1.push(home, second)
    corrected = record(first_woman, "t_booking", "2026-04-01", lmp="2026-01-20", edd="2026-10-27")
    later = record(first_woman, "t_booking", "2026-05-01", edd="2026-10-28")
    asst1.push(booking(first_woman), corrected, later)
    asst1.push(update("service_record", corrected["id"], 1, resident_id=second["id"]))
    found = pregnancies(asst1)
    assert found[first_woman]["facts"] == {"lmp": "2026-01-10", "edd": "2026-10-28"}
    assert found[second["id"]]["facts"] == {"lmp": "2026-01-20", "edd": "2026-10-27"}


def test_a_conflict_resolved_to_another_woman_moves_the_booking_with_its_facts(
    mother, client, auth, world
):
    asst1, first_woman = mother
    home = new_household()
    second = new_resident(home["id"], name="李娜", birth_date="1995-02-02")
    asst1.push(home, second)
    corrected = record(first_woman, "t_booking", "2026-04-01", lmp="2026-01-20", edd="2026-10-27")
    asst1.push(booking(first_woman), corrected, record(first_woman, "t_booking", "2026-05-01"))
    conflict = Conflict(
        entity="service_record", entity_id=corrected["id"], village_id=world.units["V1a"].id,
        field="resident_id", server_value=first_woman, client_value=second["id"],
        base_version=1, server_version=1, mutation_id=str(uuid.uuid4()),
        author_id=world.users["asst1"].id,
    )  # fmt: skip
    db.session.add(conflict)
    db.session.commit()
    response = client.post(
        f"/api/conflicts/{conflict.id}/resolve", json={"choice": "client"},
        headers=auth.headers("sup1"),
    )  # fmt: skip
    assert response.status_code == 200, response.get_json()
    found = pregnancies(asst1)
    assert found[first_woman]["facts"] == {"lmp": "2026-01-10", "edd": "2026-10-17"}
    assert found[second["id"]]["facts"] == {"lmp": "2026-01-20", "edd": "2026-10-27"}
