"""The reference client on a bad line: retries, caps, expired tokens, refusals, a poison batch."""

from __future__ import annotations

import json

import pytest

from sync.client import AuthError, HttpRequest, HttpResponse, SyncError
from tests.sync import clientkit
from tests.sync.clientkit import FakeServer, answer, drop_request, household, make_client

client = clientkit.client


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
