"""What the network and the server can do to a push, and why nothing is lost or doubled."""

from __future__ import annotations

import uuid
from collections import Counter

import pytest
from sqlalchemy import select

from server.core import audit
from server.core.audit import AuditEntry
from server.domain.registry.model import Household
from server.extensions import db
from sync.client import SyncError
from sync.models import AppliedMutation, Change
from tests.sync.test_client_http import Devices, flaky, fresh_session_rows, household


def rows_per_id(model: type, attr: str = "entity_id") -> Counter:
    rows = fresh_session_rows(model)
    if model is AuditEntry:  # the sync's rows, not the sign-ins (auth.*)
        rows = [row for row in rows if not row.action.startswith("auth.")]
    return Counter(str(getattr(row, attr)) for row in rows)


def assert_each_mutation_whole(ids: list[str]) -> None:
    """For every record: stored, in the feed, audited and in the ledger together, or none."""
    stored = rows_per_id(Household, "id")
    feed = rows_per_id(Change)
    audited = rows_per_id(AuditEntry)
    ledger = rows_per_id(AppliedMutation)
    for rid in ids:
        assert stored[rid] == feed[rid] == audited[rid] == ledger[rid], rid
        assert stored[rid] in (0, 1)


def test_a_lost_answer_is_retried_and_answered_duplicate_with_the_same_versions(app, world):
    client = Devices(app).new("asst1")
    ids = [client.create("household", household(n)) for n in range(3)]
    flaky(client).script = ["lose"]
    report = client.push()
    first, retry = flaky(client).sent[-2:]
    assert first.json == retry.json
    assert report.count("duplicate") == 3
    assert {rid: client.confirmed()["household"][rid]["version"] for rid in ids} == dict.fromkeys(
        ids, 1
    )
    assert rows_per_id(Household, "id") == Counter(ids)
    assert rows_per_id(AuditEntry) == Counter(ids)


def test_a_lost_answer_survives_an_app_restart(app, world, tmp_path):
    devices = Devices(app)
    path = tmp_path / "phone.json"
    before = devices.new("asst1", state_file=path, max_attempts=1)
    rid = before.create("household", household())
    flaky(before).script = ["lose"]
    with pytest.raises(SyncError):
        before.push()
    after = devices.new("asst1", state_file=path, device_id=before.device_id)
    assert after.push().count("duplicate") == 1
    assert rows_per_id(Household, "id") == Counter([rid])


def test_a_batch_delivered_twice_is_written_once(app, world):
    client = Devices(app).new("asst1")
    ids = [client.create("household", household(n)) for n in range(4)]
    client.push()
    replay = flaky(client).sent[-1]
    again = client.transport(client._authorised(replay))
    assert [r["status"] for r in again.body["results"]] == ["duplicate"] * 4
    assert rows_per_id(Household, "id") == Counter(ids)


def test_a_delayed_copy_of_an_old_batch_does_not_undo_later_edits(app, world):
    client = Devices(app).new("asst1")
    rid = client.create("household", household())
    client.push()
    delayed = flaky(client).sent[-1]  # a proxy holds this copy and delivers it much later
    client.update("household", rid, {"head_name": "李四"})
    client.push()
    late = client.transport(client._authorised(delayed))
    assert late.body["results"][0]["status"] == "duplicate"
    client.pull()
    assert client.confirmed()["household"][rid] == {
        "version": 2,
        "data": client.confirmed()["household"][rid]["data"],
    }
    assert client.confirmed()["household"][rid]["data"]["head_name"] == "李四"


@pytest.mark.parametrize("crash_after", [0, 1, 3])
def test_a_server_crash_mid_batch_leaves_each_mutation_whole_and_the_retry_converges(
    app, world, monkeypatch, crash_after
):
    client = Devices(app).new("asst1", max_attempts=1)
    ids = [client.create("household", household(n)) for n in range(5)]
    real = audit.audit_row  # every audit write, bulk or one at a time, builds its row here
    calls = {"n": 0}

    def dying_audit(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] > crash_after:
            raise RuntimeError("server process killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(audit, "audit_row", dying_audit)
    with pytest.raises(SyncError):
        client.push()
    assert_each_mutation_whole(ids)
    assert len(client.outbox) == 5
    monkeypatch.setattr(audit, "audit_row", real)
    report = client.push()
    assert report.count("applied") + report.count("duplicate") == 5
    assert_each_mutation_whole(ids)
    assert rows_per_id(Household, "id") == Counter(ids)


def test_a_mutation_id_sent_again_with_another_payload_changes_nothing(app, world):
    client = Devices(app).new("asst1")
    rid = client.create("household", household())
    client.push()
    forged = {**flaky(client).sent[-1].json}
    forged["mutations"] = [{**forged["mutations"][0], "data": household(99)}]
    replay = flaky(client).sent[-1]
    replay.json = forged
    answer = client.transport(client._authorised(replay)).body["results"][0]
    assert (answer["status"], answer.get("code")) == ("rejected", "mutation_id_reused")
    db.session.rollback()  # end our read snapshot (SQLite WAL, PostgreSQL) to see new commits
    assert db.session.scalar(select(Household.address).where(Household.id == uuid.UUID(rid))) == (
        "村口1号"
    )
