"""The reference client against the real app (Flask test client): round trips, tokens, reset.

`Devices` and `FlakyTransport` are also used by the fault and convergence tests.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from typing import Any

from flask import Flask
from sqlalchemy import select

from server.domain.accounts.model import User
from server.domain.registry.model import Household
from server.extensions import db
from sync.client import HttpRequest, HttpResponse, SyncClient, TestClientTransport, TransportError
from tests.factories import PASSWORD, World


class FlakyTransport:
    """Wraps a transport; `script` decides the fate of the next requests, `rate` of random ones.

    "drop": the request never reaches the server. "lose": the server handles it, the answer
    is lost. None: delivered normally.
    """

    def __init__(self, inner: Callable[[HttpRequest], HttpResponse]) -> None:
        self.inner = inner
        self.script: list[str | None] = []
        self.rng: random.Random | None = None
        self.rate = 0.0
        self.sent: list[HttpRequest] = []

    def __call__(self, request: HttpRequest) -> HttpResponse:
        fate = self.script.pop(0) if self.script else self._random_fate()
        if fate == "drop":
            raise TransportError("no network")
        self.sent.append(request)
        answer = self.inner(request)
        if fate == "lose":
            raise TransportError("connection reset after the server answered")
        return answer

    def _random_fate(self) -> str | None:
        if self.rng is None or self.rng.random() >= self.rate:
            return None
        return self.rng.choice(["drop", "lose"])


class Devices:
    """Signs users in on fresh simulated phones that talk to the app in-process."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.numbers = itertools.count(1)

    def transport(self) -> TestClientTransport:
        # A fresh app context per request: its own database session, torn down after.
        return TestClientTransport(self.app.test_client(), context=self.app.app_context)

    def new(self, username: str, device_id: str | None = None, **kw: Any) -> SyncClient:
        """A signed-in phone; keyword arguments go to `SyncClient` (state_file, batch_size...)."""
        options = {"sleep": lambda seconds: None, "rand": lambda: 1.0, **kw}
        device_id = device_id or f"{username}-phone-{next(self.numbers)}"
        client = SyncClient(FlakyTransport(self.transport()), device_id=device_id, **options)
        client.login(username, PASSWORD)
        return client


def flaky(client: SyncClient) -> FlakyTransport:
    assert isinstance(client.transport, FlakyTransport)
    return client.transport


def household(n: int = 1) -> dict[str, Any]:
    return {"address": f"村口{n}号", "head_name": "王建国", "low_income": False}


def fresh_session_rows(model: type) -> list[Any]:
    db.session.rollback()  # end our read snapshot (SQLite WAL, PostgreSQL) to see new commits
    return list(db.session.scalars(select(model)))


def test_a_household_created_on_one_phone_reaches_the_other_phones_of_its_village(app, world):
    devices = Devices(app)
    first, second, elsewhere = devices.new("asst1"), devices.new("sup1"), devices.new("asst3")
    rid = first.create("household", household())
    first.sync()
    second.pull()
    elsewhere.pull()
    assert second.confirmed()["household"][rid]["data"]["address"] == "村口1号"
    assert rid not in elsewhere.confirmed().get("household", {})


def test_an_update_made_on_another_phone_replaces_the_local_copy(app, world):
    devices = Devices(app)
    first, second = devices.new("asst1"), devices.new("asst1")
    rid = first.create("household", household())
    first.push()
    second.pull()
    second.update("household", rid, {"head_name": "李四"})
    second.push()
    first.pull()
    assert first.confirmed()["household"][rid]["data"]["head_name"] == "李四"
    assert first.confirmed()["household"][rid]["version"] == 2


def test_a_delete_removes_the_record_from_the_other_phones(app, world):
    devices = Devices(app)
    first, second = devices.new("asst1"), devices.new("asst1")
    rid = first.create("household", household())
    first.push()
    second.pull()
    first.delete("household", rid)
    first.push()
    second.pull()
    assert rid not in second.confirmed()["household"]


def test_a_rejected_create_is_kept_aside_and_never_stored(app, world):
    client = Devices(app).new("asst1")
    bad = client.create("household", {"address": "", "head_name": "x", "low_income": "maybe"})
    good = client.create("household", household())
    report = client.push()
    assert report.count("rejected") == 1
    assert [r["id"] for r in client.rejected] == [bad]
    assert {str(h.id) for h in fresh_session_rows(Household)} == {good}


def test_a_broken_access_token_is_refreshed_and_the_push_goes_through(app, world):
    client = Devices(app).new("asst1")
    client.access_token = "not-a-token"
    client.create("household", household())
    assert client.push().count("applied") == 1


def test_a_scope_change_resets_the_local_copy_to_the_new_village(app, world: World):
    devices = Devices(app)
    mover, other = devices.new("asst1"), devices.new("asst2")
    old = mover.create("household", household(1))
    new = other.create("household", household(2))
    mover.push()
    other.push()
    mover.pull()
    user = db.session.scalar(select(User).where(User.username == "asst1"))
    user.org_unit_id = world.units["V1b"].id
    db.session.commit()
    report = mover.pull()
    assert report.resets == 1
    assert set(mover.confirmed()["household"]) == {new}
    assert old not in mover.confirmed()["household"]


def pushed_sizes(client: SyncClient) -> list[int]:
    return [len(r.json["mutations"]) for r in flaky(client).sent if r.path == "/api/sync/push"]


def test_a_413_splits_the_batch_to_the_cap_the_server_names(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "SYNC_MAX_MUTATIONS", 4)
    client = Devices(app).new("asst1", batch_size=10)
    for n in range(10):
        client.create("household", household(n))
    report = client.push()
    assert pushed_sizes(client) == [10, 4, 4, 2]
    assert (report.count("applied"), client.outbox) == (10, [])


def test_a_mutation_over_the_byte_cap_is_set_aside_and_the_rest_go_on(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "SYNC_MAX_BYTES", 1000)
    client = Devices(app).new("asst1")
    big = client.create("household", {**household(1), "address": "长" * 400})
    small = client.create("household", household(2))
    client.push()
    assert [(r["id"], r["code"]) for r in client.rejected] == [(big, "payload_too_large")]
    assert client.rejected[0]["errors"]["max_bytes"] == 1000
    assert client.batch_bytes == 1000
    assert {str(h.id) for h in fresh_session_rows(Household)} == {small}
