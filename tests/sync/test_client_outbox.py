"""The reference client's outbox against a scripted server: batches, answers, restarts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sync.client import SyncError
from tests.sync import clientkit
from tests.sync.clientkit import answer, household, lose_answer, make_client

client = clientkit.client


def test_push_sends_the_outbox_in_batches_in_order_and_empties_it(client, server):
    ids = [client.create("household", household(n)) for n in range(7)]
    report = client.push()
    assert [len(b) for b in server.pushes()] == [3, 3, 1]
    assert [m["id"] for b in server.pushes() for m in b] == ids
    assert report.count("applied") == 7
    assert client.outbox == []


def test_accepted_writes_reach_the_local_copy_with_the_servers_version(client):
    rid = client.create("household", household(1))
    client.update("household", rid, {"head_name": "李四"})
    client.push()
    assert client.confirmed()["household"][rid] == {
        "version": 2,
        "data": {**household(1), "head_name": "李四"},
    }


def test_consecutive_offline_edits_carry_the_versions_they_will_follow(client, server):
    rid = client.create("household", household(1))
    client.update("household", rid, {"head_name": "李四"})
    client.update("household", rid, {"address": "河边2号"})
    assert [m["base_version"] for m in client.outbox] == [None, 1, 2]


def test_queued_edits_show_in_the_local_view_before_they_are_sent(client):
    rid = client.create("service_record", {"form_code": "bp", "data": {"a": 1}})
    client.update("service_record", rid, {"data": {"b": 2}})
    assert client.records("service_record")[rid] == {"form_code": "bp", "data": {"a": 1, "b": 2}}
    client.delete("service_record", rid)
    assert client.records("service_record") == {}


def test_a_lost_answer_is_retried_with_the_same_mutation_ids_and_counted_once(client, server):
    client.create("household", household(1))
    server.script = [lose_answer(server)]
    report = client.push()
    first, second = server.pushes()
    assert first == second
    assert report.count("duplicate") == 1
    assert server.writes == 1
    assert client.outbox == []


def test_duplicate_answers_count_as_success_and_update_the_local_copy(client, server):
    rid = client.create("household", household(1))
    server.apply(client.outbox[0])
    client.push()
    assert client.outbox == []
    assert client.confirmed()["household"][rid]["version"] == 1


def test_a_late_duplicate_never_overwrites_what_a_pull_already_brought(client, server):
    rid = client.create("resident", {"name": "张三", "id_number": "350500196005011234"})
    server.apply(client.outbox[0])  # an earlier send landed; its answer was lost
    pulled = {"name": "张三", "id_number_masked": "350500************"}
    server.feed[-1]["data"] = pulled  # the pull shape never carries the full id number
    client.pull()
    assert client.push().count("duplicate") == 1
    assert client.confirmed()["resident"][rid] == {"version": 1, "data": pulled}


def test_a_rejected_mutation_is_kept_aside_with_its_errors_and_the_rest_land(client, server):
    good = client.create("resident", {"name": "张三"})
    bad = client.create("resident", {"name": ""})
    later = client.create("resident", {"name": "李四"})
    client.push()
    assert client.outbox == []
    assert [(r["id"], r["errors"]) for r in client.rejected] == [(bad, {"name": ["Required."]})]
    assert set(client.confirmed()["resident"]) == {good, later}
    client.push()
    assert len(server.pushes()) == 1


def test_a_conflict_leaves_the_outbox_and_takes_the_servers_record(client, server):
    rid = client.create("household", household(1))
    client.push()
    mutation_id = client.update("household", rid, {"head_name": "李四"})
    server_record = {"version": 3, "data": {**household(1), "head_name": "赵六"}}
    server.script = [
        answer(
            200,
            {
                "results": [
                    {
                        "mutation_id": mutation_id,
                        "status": "conflict",
                        "id": rid,
                        "version": 3,
                        "record": server_record,
                    }
                ]
            },
        )
    ]
    report = client.push()
    assert report.count("conflict") == 1
    assert client.outbox == []
    assert client.confirmed()["household"][rid] == server_record


def test_the_outbox_survives_a_crash_between_sending_and_hearing_back(server, sleeps, tmp_path):
    path = tmp_path / "phone.json"
    before = make_client(server, sleeps, state_file=path, max_attempts=1)
    rid = before.create("household", household(1))
    server.script = [lose_answer(server)]
    with pytest.raises(SyncError):
        before.push()
    after = make_client(server, sleeps, state_file=path)  # the app restarts
    report = after.push()
    assert report.count("duplicate") == 1
    assert server.writes == 1
    assert after.confirmed()["household"][rid]["version"] == 1
    assert make_client(server, sleeps, state_file=path).outbox == []


def test_the_state_file_is_replaced_whole(tmp_path: Path, server, sleeps):
    path = tmp_path / "phone.json"
    client = make_client(server, sleeps, state_file=path)
    client.create("household", household(1))
    assert json.loads(path.read_text())["outbox"][0]["entity"] == "household"
    assert not path.with_suffix(".json.tmp").exists()
