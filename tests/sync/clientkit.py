"""A scripted in-memory sync server and the reference client wired to it, for the client tests.

Test modules that want the fake-server client, not the Flask test client of tests/conftest.py,
take it with `client = clientkit.client`; the `server` and `sleeps` fixtures are in conftest.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from sync.client import HttpRequest, HttpResponse, SyncClient, TransportError

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
