"""Edits queued behind others on the same record reach the server (found by test_stateful).

A client predicts each queued edit's base_version by counting its own earlier queued writes to
the record, so the server advances a row's version by exactly one for every update or delete it
accepts, whether it applied, merged, conflicted or changed nothing. When an earlier queued edit
is rejected the prediction is still too high: the next edit is `stale_version`, and the client
rebases it on the server's version and sends it again, for as long as that base keeps moving.
"""

from __future__ import annotations

import uuid

from server.core.audit import audit_entries
from server.domain.registry.model import Household
from server.extensions import db
from tests.sync.conftest import mutation, new_household, update
from tests.sync.test_client_http import Devices, household

INVALID = {"address": ""}  # an address is required: the server rejects this edit


def stored(ident: str) -> Household:
    db.session.expire_all()
    return db.session.get(Household, uuid.UUID(ident))


def delete(ident: str, base_version: int) -> dict:
    return mutation("household", "delete", {}, id=ident, base_version=base_version)


# -- the server: one accepted mutation, one version -----------------------------------------


def test_an_update_that_changes_nothing_advances_the_version_by_one(phone):
    asst1 = phone("asst1")
    created = asst1.push_one(new_household(head_name="王建国"))

    result = asst1.push_one(update("household", created["id"], 1, head_name="王建国"))

    assert (result["status"], result["version"]) == ("applied", 2)
    assert (stored(created["id"]).version, stored(created["id"]).head_name) == (2, "王建国")
    entries = audit_entries(db.session, "household", created["id"])
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[-1].comment.startswith("Nothing changed")


def test_an_update_whose_every_field_conflicts_advances_the_version_by_one(phone):
    asst1, sup1 = phone("asst1"), phone("sup1")
    created = asst1.push_one(new_household())
    sup1.push_one(update("household", created["id"], 1, head_name="王建军"))

    result = asst1.push_one(update("household", created["id"], 1, head_name="王建民"))

    assert (result["status"], result["conflicts"], result["version"]) == (
        "conflict",
        ["head_name"],
        3,
    )
    assert result["record"]["version"] == 3
    assert (stored(created["id"]).version, stored(created["id"]).head_name) == (3, "王建军")


def test_an_update_of_a_row_deleted_on_the_server_advances_the_version_by_one(phone):
    asst1, sup1 = phone("asst1"), phone("sup1")
    created = asst1.push_one(new_household())
    sup1.push_one(delete(created["id"], 1))

    result = asst1.push_one(update("household", created["id"], 1, head_name="王建民"))

    assert (result["status"], result["version"]) == ("conflict", 3)
    assert (stored(created["id"]).version, stored(created["id"]).deleted) == (3, True)


def test_a_delete_that_meets_a_changed_row_advances_the_version_and_keeps_the_row(phone):
    asst1, sup1 = phone("asst1"), phone("sup1")
    created = asst1.push_one(new_household())
    sup1.push_one(update("household", created["id"], 1, head_name="王建军"))

    result = asst1.push_one(delete(created["id"], 1))

    assert (result["status"], result["conflicts"], result["version"]) == (
        "conflict",
        ["_deleted"],
        3,
    )
    assert (stored(created["id"]).version, stored(created["id"]).deleted) == (3, False)


def test_a_delete_of_a_deleted_row_advances_the_version_by_one(phone):
    asst1, sup1 = phone("asst1"), phone("sup1")
    created = asst1.push_one(new_household())
    sup1.push_one(delete(created["id"], 1))

    result = asst1.push_one(delete(created["id"], 1))

    assert (result["status"], result["version"]) == ("applied", 3)
    assert stored(created["id"]).version == 3


def test_every_version_of_a_row_reaches_the_feed_in_order(phone):
    asst1 = phone("asst1")
    created = asst1.push_one(new_household(head_name="王建国"))
    asst1.push_one(update("household", created["id"], 1, head_name="王建国"))

    change = asst1.pull_all()["household", created["id"]]

    assert (change["op"], change["version"]) == ("upsert", 2)


def test_a_base_above_the_servers_version_is_stale_and_names_the_servers_version(phone):
    asst1 = phone("asst1")
    created = asst1.push_one(new_household())

    result = asst1.push_one(update("household", created["id"], 3, head_name="李四"))

    assert (result["status"], result["code"], result["server_version"]) == (
        "rejected",
        "stale_version",
        1,
    )
    assert stored(created["id"]).version == 1


# -- the reference client against the real server ------------------------------------------


def test_an_edit_behind_two_edits_that_change_nothing_is_still_applied(app, world):
    phone = Devices(app).new("asst1")
    rid = phone.create("household", household())
    phone.push()
    phone.update("household", rid, {"head_name": "王建国"})  # what the server already holds
    phone.update("household", rid, {"head_name": "王建国"})
    phone.update("household", rid, {"head_name": "李四"})
    phone.sync()
    assert phone.rejected == []
    assert phone.confirmed()["household"][rid] == {
        "version": 4,
        "data": {**household(), "head_name": "李四", "village_id": world.units["V1a"].id},
    }


def test_an_edit_behind_a_rejected_edit_is_rebased_and_applied(app, world):
    phone = Devices(app).new("asst1")
    rid = phone.create("household", household())
    phone.push()
    phone.update("household", rid, INVALID)
    phone.update("household", rid, {"head_name": "李四"})
    phone.sync()
    assert [m["code"] for m in phone.rejected] == ["validation_error"]
    assert phone.confirmed()["household"][rid]["data"]["head_name"] == "李四"
    assert phone.outbox == []


def test_an_edit_is_rebased_again_each_time_an_edit_ahead_of_it_is_rejected(app, world):
    phone = Devices(app).new("asst1")
    rid = phone.create("household", household())
    phone.push()
    phone.update("household", rid, INVALID)
    phone.update("household", rid, {"head_name": "", **INVALID})
    phone.update("household", rid, {"head_name": "李四"})
    phone.delete("household", rid)
    phone.sync()
    assert [m["code"] for m in phone.rejected] == ["validation_error", "validation_error"]
    assert phone.confirmed().get("household", {}) == {}
    assert (stored(rid).deleted, stored(rid).head_name, stored(rid).version) == (True, "李四", 3)
