"""The reference client against a scripted in-memory server: outbox, retries, pull, restarts."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sync.client import (
    MAX_REBASES,
    AuthError,
    HttpRequest,
    HttpResponse,
    SyncClient,
    SyncError,
    TransportError,
    rebased_base,
)

Action = Callable[[HttpRequest], HttpResponse | None]


class FakeServer:
    """Just enough of the protocol to exercise the client; `script` overrides the next answers.

    A scripted action returns a response to send instead of the real one, or None to let the
    request through; it may raise `TransportError` before or after the server has applied it.
    """

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], dict[str, Any]] = {}
        self.ledger: dict[str, dict[str, Any]] = {}
        self.feed: list[dict[str, Any]] = []
        self.requests: list[HttpRequest] = []
        self.script: list[Action] = []
        self.access = "access-1"
        self.refresh = "refresh-1"
        self.writes = 0

    def __call__(self, request: HttpRequest) -> HttpResponse:
        self.requests.append(request)
        if self.script:
            answer = self.script.pop(0)(request)
            if answer is not None:
                return answer
        return self.handle(request)

    def handle(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/api/auth/refresh":
            if request.headers.get("Authorization") != f"Bearer {self.refresh}":
                return HttpResponse(401, {"code": "unauthorized"})
            self.access, self.refresh = self.access + "'", self.refresh + "'"
            return HttpResponse(200, {"access_token": self.access, "refresh_token": self.refresh})
        if request.headers.get("Authorization") != f"Bearer {self.access}":
            return HttpResponse(401, {"code": "unauthorized"})
        if request.path == "/api/sync/push":
            results = [self.apply(m) for m in request.json["mutations"]]
            return HttpResponse(200, {"results": results})
        since = int(request.params.get("since") or 0)
        limit = int(request.params["limit"])
        page = self.feed[since : since + limit]
        cursor = since + len(page)
        return HttpResponse(
            200, {"changes": page, "cursor": str(cursor), "has_more": cursor < len(self.feed)}
        )

    def apply(self, mutation: dict[str, Any]) -> dict[str, Any]:
        if mutation["mutation_id"] in self.ledger:
            return {**self.ledger[mutation["mutation_id"]], "status": "duplicate"}
        if mutation["data"].get("name") == "":
            return {
                "mutation_id": mutation["mutation_id"],
                "status": "rejected",
                "id": mutation["id"],
                "code": "validation_error",
                "errors": {"name": ["Required."]},
            }
        key = (mutation["entity"], mutation["id"])
        row = self.rows.setdefault(key, {"version": 0, "data": {}})
        row["version"] += 1
        row["data"] = {**row["data"], **mutation["data"]}
        op = "delete" if mutation["op"] == "delete" else "upsert"
        change = {"entity": key[0], "id": key[1], "op": op, "version": row["version"]}
        self.feed.append({**change, "data": row["data"]})
        self.writes += 1
        result = {
            "mutation_id": mutation["mutation_id"],
            "status": "applied",
            "id": mutation["id"],
            "version": row["version"],
        }
        self.ledger[mutation["mutation_id"]] = result
        return result

    def pushes(self) -> list[list[dict[str, Any]]]:
        return [r.json["mutations"] for r in self.requests if r.path == "/api/sync/push"]


def lose_answer(server: FakeServer) -> Action:
    """The server applies the request, then the connection drops before the answer arrives."""

    def action(request: HttpRequest) -> HttpResponse:
        server.handle(request)
        raise TransportError("connection reset")

    return action


def drop_request(request: HttpRequest) -> HttpResponse:
    raise TransportError("no network")


def answer(status: int, body: Any = None) -> Action:
    return lambda request: HttpResponse(status, body)


@pytest.fixture
def server() -> FakeServer:
    return FakeServer()


@pytest.fixture
def sleeps() -> list[float]:
    return []


def make_client(server: FakeServer, sleeps: list[float], **kw: Any) -> SyncClient:
    options = {"batch_size": 3, "rand": lambda: 1.0, "sleep": sleeps.append, **kw}
    return SyncClient(
        server, device_id="phone-1", access_token="access-1", refresh_token="refresh-1", **options
    )


@pytest.fixture
def client(server: FakeServer, sleeps: list[float]) -> SyncClient:
    return make_client(server, sleeps)


def household(n: int) -> dict[str, Any]:
    return {"address": f"村口{n}号", "head_name": "王建国", "low_income": False}


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


def test_an_edit_queued_behind_a_rejected_one_is_rebased_and_sent_again(client, server):
    rid = client.create("resident", {"name": "张三"})
    client.push()
    client.update("resident", rid, {"name": ""})  # rejected: the server stays at version 1
    later = client.update("resident", rid, {"phone": "138"})
    stale = {"code": "stale_version", "errors": {"base_version": ["Newer."]}}

    def answer_stale_for_later(request):
        results = [
            {"mutation_id": m["mutation_id"], "status": "rejected", "id": rid, **stale}
            if m["mutation_id"] == later
            else server.apply(m)
            for m in request.json["mutations"]
        ]
        return HttpResponse(200, {"results": results})

    server.script = [answer_stale_for_later]
    report = client.push()
    resent = server.pushes()[-1][0]
    assert resent["mutation_id"] != later
    assert (resent["base_version"], resent["data"]) == (1, {"phone": "138"})
    assert set(resent) == {
        "mutation_id",
        "entity",
        "op",
        "id",
        "base_version",
        "data",
        "client_time",
    }
    assert report.count("applied") == 1
    assert [r["errors"] for r in client.rejected] == [{"name": ["Required."]}]
    assert client.confirmed()["resident"][rid]["data"]["phone"] == "138"


def stale_for(server: FakeServer, mutation_ids: set[str] | None = None) -> Action:
    """Answers stale_version (server at version 1) for the named mutations, or for all."""

    def action(request: HttpRequest) -> HttpResponse:
        stale = {"status": "rejected", "version": None, "code": "stale_version"}
        results = [
            {"mutation_id": m["mutation_id"], "id": m["id"], **stale, "server_version": 1}
            if mutation_ids is None or m["mutation_id"] in mutation_ids
            else server.apply(m)
            for m in request.json["mutations"]
        ]
        return HttpResponse(200, {"results": results})

    return action


def test_an_edit_still_stale_on_the_base_it_was_rebased_on_is_set_aside(client, server):
    rid = client.create("resident", {"name": "张三"})
    client.push()
    client.update("resident", rid, {"name": ""})
    later = client.update("resident", rid, {"phone": "138"})
    server.script = [stale_for(server, {later}), stale_for(server)]
    client.push()
    assert [[m["base_version"] for m in push] for push in server.pushes()[1:]] == [[1, 2], [1]]
    assert [(r["data"], r["code"]) for r in client.rejected] == [
        ({"name": ""}, "validation_error"),
        ({"phone": "138"}, "stale_version"),
    ]
    assert client.outbox == []


@pytest.mark.parametrize(
    ("rejected", "confirmed", "server_version", "ahead", "rebases", "expected"),
    [
        (5, 3, 3, 0, 0, 3),  # the server's version as this phone knows it
        (7, 3, 3, 2, 0, 5),  # plus its own writes still queued ahead
        (5, 2, 4, 0, 0, 2),  # not past versions other phones made that it has not seen
        (7, None, 4, 1, 0, 5),  # nothing confirmed held (PWA after a local delete)
        (7, 5, None, 0, 0, 5),  # an answer without server_version: what the phone knows
        (5, 4, 4, 1, 0, None),  # the base just turned down: nothing moved
        (5, 3, 3, 0, MAX_REBASES, None),  # bounded
        (5, None, None, 0, 0, None),  # nothing to rebase on
    ],
)
def test_a_stale_edit_is_rebased_on_the_servers_version_plus_the_writes_ahead(
    rejected, confirmed, server_version, ahead, rebases, expected
):
    base = rebased_base(
        rejected_base=rejected,
        confirmed=confirmed,
        server_version=server_version,
        ahead=ahead,
        rebases=rebases,
    )
    assert base == expected


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


def test_transport_errors_are_retried_with_growing_jittered_waits(server, sleeps):
    client = make_client(server, sleeps, rand=lambda: 0.5)
    client.create("household", household(1))
    server.script = [drop_request, drop_request, drop_request]
    client.push()
    assert sleeps == [0.5, 1.0, 2.0]  # half (jitter) of 0.5 * 2**attempt
    assert server.writes == 1


def test_server_errors_are_retried_like_a_lost_network(client, server, sleeps):
    client.create("household", household(1))
    server.script = [answer(503), answer(500, {"code": "internal_error"})]
    client.push()
    assert len(sleeps) == 2
    assert client.outbox == []


def test_after_the_last_attempt_the_push_fails_and_the_outbox_is_intact(server, sleeps):
    client = make_client(server, sleeps, max_attempts=3)
    client.create("household", household(1))
    server.script = [drop_request] * 3
    with pytest.raises(SyncError):
        client.push()
    assert len(client.outbox) == 1
    assert len(sleeps) == 2


def test_a_413_without_limits_halves_the_batch(server, sleeps):
    client = make_client(server, sleeps, batch_size=8)
    for n in range(8):
        client.create("household", household(n))
    server.script = [answer(413, {"code": "payload_too_large"})]
    client.push()
    assert [len(b) for b in server.pushes()] == [8, 4, 4]


def test_batches_respect_the_byte_cap(server, sleeps):
    client = make_client(server, sleeps, batch_size=100, batch_bytes=1000)
    for n in range(10):
        client.create("household", household(n))
    client.push()
    sizes = [len(json.dumps({"device_id": "phone-1", "mutations": b})) for b in server.pushes()]
    assert len(sizes) > 1
    assert max(sizes) <= 1000


def test_an_expired_access_token_is_refreshed_once_and_the_request_retried(client, server):
    client.create("household", household(1))
    server.access = "access-2"  # the old token no longer works
    server.refresh = "refresh-1"
    client.push()
    assert client.access_token == "access-2'"
    assert server.writes == 1


def test_a_second_401_after_refreshing_ends_the_session(client, server):
    client.create("household", household(1))
    server.script = [answer(401), None, answer(401)]
    server.script[1] = lambda request: None  # the refresh itself succeeds
    with pytest.raises(AuthError):
        client.push()
    assert len(client.outbox) == 1


def test_a_refused_refresh_raises_without_retrying_forever(client, server):
    client.create("household", household(1))
    server.access, server.refresh = "other", "other"
    with pytest.raises(AuthError):
        client.push()
    assert len(server.requests) == 2


def test_an_answer_that_settles_nothing_stops_the_push_instead_of_looping(client, server):
    client.create("household", household(1))
    server.script = [answer(200, {"results": [{"mutation_id": "other", "status": "applied"}]})]
    with pytest.raises(SyncError):
        client.push()
    assert len(client.outbox) == 1


def test_a_refused_push_raises_and_keeps_the_outbox(client, server):
    client.create("household", household(1))
    server.script = [answer(403, {"code": "forbidden"})]
    with pytest.raises(SyncError):
        client.push()
    assert len(client.outbox) == 1


def test_pull_follows_the_cursor_until_there_is_no_more(server, sleeps):
    writer = make_client(server, sleeps)
    ids = [writer.create("household", household(n)) for n in range(5)]
    writer.push()
    reader = make_client(server, sleeps, pull_limit=2)
    report = reader.pull()
    assert report.pages == 3
    assert set(reader.confirmed()["household"]) == set(ids)
    assert [r.params["since"] for r in server.requests[-3:]] == [None, "2", "4"]


def test_pull_applies_deletes(client, server, sleeps):
    writer = make_client(server, sleeps)
    keep = writer.create("household", household(1))
    gone = writer.create("household", household(2))
    writer.push()
    client.pull()
    writer.delete("household", gone)
    writer.push()
    client.pull()
    assert set(client.confirmed()["household"]) == {keep}


def test_a_reset_wipes_the_local_copy_and_pulls_from_the_start(client, server):
    client.confirmed()["household"] = {"elsewhere": {"version": 4, "data": {}}}
    client.state.cursor = "99"
    rid = client.create("household", household(1))
    client.push()
    server.script = [answer(200, {"changes": [], "cursor": "0", "has_more": True, "reset": True})]
    report = client.pull()
    assert report.resets == 1
    assert set(client.confirmed()["household"]) == {rid}
    assert server.requests[-1].params["since"] is None


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


class PoisonedServer(FakeServer):
    """Fails every push that holds a household at address "poison", as a server bug would."""

    def handle(self, request: HttpRequest) -> HttpResponse:
        mutations = (request.json or {}).get("mutations", [])
        if any(m["data"].get("address") == "poison" for m in mutations):
            return HttpResponse(500, {"code": "internal_error", "message": "boom"})
        return super().handle(request)


def test_a_batch_failing_twice_with_500_is_split_until_the_failing_mutation_is_alone(sleeps):
    server = PoisonedServer()
    client = make_client(server, sleeps, batch_size=8)
    ids = [client.create("household", household(n)) for n in range(8)]
    poison = client.create("household", {**household(9), "address": "poison"})
    client.create("household", household(10))

    client.push()

    assert client.outbox == []
    assert [m["id"] for m in client.rejected] == [poison]
    assert client.rejected[0]["code"] == "server_error"
    assert "boom" in client.rejected[0]["errors"]["status"][0]
    assert set(ids) <= set(client.confirmed()["household"])


def test_after_the_failing_mutation_is_set_aside_batches_grow_back(sleeps):
    server = PoisonedServer()
    client = make_client(server, sleeps, batch_size=4)
    client.create("household", {**household(0), "address": "poison"})
    for n in range(1, 9):
        client.create("household", household(n))

    client.push()

    sizes = [len(b) for b in server.pushes()]
    assert sizes[-2:] == [4, 4]


@pytest.mark.parametrize("status", [502, 503, 504])
def test_a_server_that_is_away_never_gets_a_mutation_set_aside(server, sleeps, status):
    client = make_client(server, sleeps, max_attempts=4)
    client.create("household", household(1))
    server.script = [answer(status)] * 4

    with pytest.raises(SyncError):
        client.push()

    assert len(client.outbox) == 1
    assert client.rejected == []
