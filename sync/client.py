"""The reference client of the sync protocol: an outbox, a local copy, push and pull.

Tests, benchmarks and load tests drive the server through it, and the PWA's JavaScript client
follows the same rules (see docs/sync-protocol.md). HTTP is injected as a `Transport` callable so
the same client runs against a live server (`UrllibTransport`), a Flask test client
(`TestClientTransport`) or a fake; nothing here imports Flask.

The state (outbox, rejected mutations, local copy, pull cursor) is written to disk before every
request and after every answer, so a crash between sending a batch and reading its answer loses
nothing: the batch is sent again with the same mutation ids and the server answers `duplicate`.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Callable, Collection
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sync.client_push import PushAnswers
from sync.client_state import (
    MAX_REBASES,
    WIRE_KEYS,
    ClientState,
    PullReport,
    PushReport,
    StateFile,
    apply_patch,
    rebased_base,
    wire,
)
from sync.connection import AWAY, BACKOFF_CAP, MAX_ATTEMPTS, Connection, retry_delay
from sync.transport import (
    AuthError,
    HttpRequest,
    HttpResponse,
    SyncError,
    TestClientTransport,
    Transport,
    TransportError,
    UrllibTransport,
)

BATCH_SIZE = 100
BATCH_BYTES = 1024 * 1024
PULL_LIMIT = 500
SPLIT_AFTER_5XX = 2  # the same batch failing this often is split in halves


class SyncClient(PushAnswers, Connection):
    """One device's view of the server: queue changes offline, then `sync()` when online."""

    def __init__(
        self,
        transport: Transport,
        *,
        device_id: str,
        access_token: str | None = None,
        refresh_token: str | None = None,
        state_file: str | Path | None = None,
        batch_size: int = BATCH_SIZE,
        batch_bytes: int = BATCH_BYTES,
        pull_limit: int = PULL_LIMIT,
        max_attempts: int = MAX_ATTEMPTS,
        sleep: Callable[[float], None] = time.sleep,
        rand: Callable[[], float] = random.random,
        entities: Collection[str] | None = None,
    ) -> None:
        super().__init__(
            transport,
            device_id=device_id,
            access_token=access_token,
            refresh_token=refresh_token,
            max_attempts=max_attempts,
            sleep=sleep,
            rand=rand,
        )
        # The entity names to accept (the server's registry); None leaves it to the server.
        self.entities = entities
        self.store = StateFile(state_file) if state_file else None
        self.state = self.store.load() if self.store else ClientState()
        self.batch_size = batch_size
        self.batch_bytes = batch_bytes
        self.pull_limit = pull_limit
        self._unsplit_size: int | None = None

    # -- local edits --------------------------------------------------------------------------

    def create(self, entity: str, data: dict[str, Any], id: str | None = None) -> str:
        """Queue a new record; its id is made here and kept for life."""
        record_id = id or str(uuid.uuid4())
        self._enqueue(entity, "create", record_id, data)
        return record_id

    def update(self, entity: str, id: str, changes: dict[str, Any]) -> str:
        """Queue a patch of the changed fields only."""
        return self._enqueue(entity, "update", id, changes)

    def delete(self, entity: str, id: str) -> str:
        return self._enqueue(entity, "delete", id, {})

    def _enqueue(self, entity: str, op: str, record_id: str, data: dict[str, Any]) -> str:
        if self.entities is not None and entity not in self.entities:
            raise ValueError(f"unknown entity {entity!r}")
        mutation = {
            "mutation_id": str(uuid.uuid4()),
            "entity": entity,
            "op": op,
            "id": record_id,
            "base_version": None if op == "create" else self._expected_version(entity, record_id),
            "data": data,
            "client_time": datetime.now(UTC).isoformat(),
        }
        self.state.outbox.append(mutation)
        self._save()
        return mutation["mutation_id"]

    def _expected_version(self, entity: str, record_id: str) -> int:
        """The version the server will hold once our own queued writes land before this one.

        Each of our pending writes to the record bumps it by one, so consecutive offline edits
        are not mistaken for concurrent ones by the server's three-way merge.
        """
        known = self.state.local.get(entity, {}).get(record_id, {}).get("version", 0)
        pending = sum(
            1 for m in self.state.outbox if m["entity"] == entity and m["id"] == record_id
        )
        return known + pending

    # -- reading the local copy ---------------------------------------------------------------

    def records(self, entity: str) -> dict[str, dict[str, Any]]:
        """The device's current view: the server's last known state plus queued edits."""
        view = {rid: dict(row["data"]) for rid, row in self.state.local.get(entity, {}).items()}
        for mutation in self.state.outbox:
            if mutation["entity"] != entity:
                continue
            rid = mutation["id"]
            if mutation["op"] == "delete":
                view.pop(rid, None)
            elif mutation["op"] == "create" or rid in view:
                view[rid] = apply_patch(entity, view.get(rid, {}), mutation["data"])
        return view

    def confirmed(self) -> dict[str, dict[str, dict[str, Any]]]:
        """The local copy as the server last confirmed it: entity -> id -> {version, data}."""
        return self.state.local

    @property
    def outbox(self) -> list[dict[str, Any]]:
        return self.state.outbox

    @property
    def rejected(self) -> list[dict[str, Any]]:
        return self.state.rejected

    # -- push ---------------------------------------------------------------------------------

    def sync(self) -> tuple[PushReport, PullReport]:
        """Push everything queued, then pull everything new."""
        return self.push(), self.pull()

    def push(self) -> PushReport:
        """Send the outbox in batches until it is empty or a batch cannot be delivered.

        A batch the server answered is settled mutation by mutation; a rejected mutation is put
        aside with its errors and does not hold back the rest. A batch that fails with a server
        error twice is split in halves, so one mutation the server cannot take ends up set
        aside on its own (code `server_error`) instead of blocking the outbox.
        """
        report = PushReport()
        while self.state.outbox:
            batch = self._next_batch()
            answer = self._request_with_retries(
                HttpRequest(
                    "POST",
                    "/api/sync/push",
                    {"device_id": self.device_id, "mutations": [wire(m) for m in batch]},
                ),
                report,
                split_after=SPLIT_AFTER_5XX,
            )
            if answer.status == 413:
                self._shrink(answer, len(batch))
                continue
            if answer.status >= 500 and answer.status not in AWAY:
                self._split(answer, len(batch))
                continue
            if answer.status != 200:
                raise SyncError(f"push refused ({answer.status})", answer)
            if not self._settle(batch, answer.body["results"], report):
                raise SyncError("the server answered none of the batch's mutations", answer)
        return report

    def _next_batch(self) -> list[dict[str, Any]]:
        batch: list[dict[str, Any]] = []
        size = len(json.dumps({"device_id": self.device_id, "mutations": []}))
        for mutation in self.state.outbox[: self.batch_size]:
            extra = len(json.dumps(wire(mutation))) + 2
            if batch and size + extra > self.batch_bytes:
                break
            batch.append(mutation)
            size += extra
        return batch

    # -- pull ---------------------------------------------------------------------------------

    def pull(self) -> PullReport:
        """Follow the cursor until the server says there is nothing more."""
        report = PullReport()
        while True:
            params = {"since": self.state.cursor, "limit": self.pull_limit}
            answer = self._request_with_retries(
                HttpRequest("GET", "/api/sync/pull", params=params), None
            )
            if answer.status != 200:
                raise SyncError(f"pull refused ({answer.status})", answer)
            page = answer.body
            report.pages += 1
            if page.get("reset"):
                # Our scope changed: what we hold may be outside it now; start from nothing.
                report.resets += 1
                self.state.local = {}
                self.state.cursor = None
                if report.resets > 3:
                    raise SyncError("server keeps asking for a reset", answer)
                if not page.get("changes"):
                    self._save()
                    continue
            for change in page["changes"]:
                self._apply_change(change)
            report.changes += len(page["changes"])
            self.state.cursor = page["cursor"]
            self._save()
            if not page.get("has_more"):
                return report

    def _apply_change(self, change: dict[str, Any]) -> None:
        rows = self.state.local.setdefault(change["entity"], {})
        current = rows.get(change["id"])
        if current and change.get("version") is not None and change["version"] < current["version"]:
            return  # we already hold a newer confirmed version
        if change["op"] == "delete":
            rows.pop(change["id"], None)
        else:
            rows[change["id"]] = {"version": change["version"], "data": change["data"]}


__all__ = [
    "BACKOFF_CAP",
    "MAX_REBASES",
    "WIRE_KEYS",
    "AuthError",
    "HttpRequest",
    "HttpResponse",
    "PullReport",
    "PushReport",
    "SyncClient",
    "SyncError",
    "TestClientTransport",
    "TransportError",
    "UrllibTransport",
    "apply_patch",
    "rebased_base",
    "retry_delay",
]
