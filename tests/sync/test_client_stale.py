"""Edits queued behind a rejected one: rebased on the server's version, or set aside."""

from __future__ import annotations

import pytest

from sync.client import MAX_REBASES, HttpResponse, rebased_base
from tests.sync import clientkit
from tests.sync.clientkit import stale_for

client = clientkit.client


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
