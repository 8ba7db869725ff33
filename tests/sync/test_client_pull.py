"""The reference client's pull: following the cursor, deletes and resets."""

from __future__ import annotations

from tests.sync import clientkit
from tests.sync.clientkit import answer, household, make_client

client = clientkit.client


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
