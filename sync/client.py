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
import os
import random
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

ENTITIES = ("household", "resident", "service_record")
WIRE_KEYS = ("mutation_id", "entity", "op", "id", "base_version", "data", "client_time")
DONE_STATUSES = ("applied", "duplicate", "merged", "conflict")
BATCH_SIZE = 100
BATCH_BYTES = 1024 * 1024
PULL_LIMIT = 500
MAX_ATTEMPTS = 6
MAX_REBASES = 8  # a stale_version edit is rebased at most this often (see `rebased_base`)
BACKOFF_BASE = 0.5
BACKOFF_CAP = 30.0


@dataclass
class HttpRequest:
    method: str
    path: str
    json: Any = None
    params: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class HttpResponse:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)  # names in lower case

    def retry_after(self) -> float | None:
        """Seconds the server asked us to wait (`Retry-After` in seconds), if it said."""
        value = self.headers.get("retry-after", "")
        try:
            seconds = float(value)
        except ValueError:
            return None
        return seconds if seconds >= 0 else None


class TransportError(Exception):
    """The request may or may not have reached the server; the answer never arrived."""


class SyncError(Exception):
    """The server refused the whole request, or kept failing after every retry."""

    def __init__(self, message: str, response: HttpResponse | None = None) -> None:
        super().__init__(message)
        self.response = response


class AuthError(SyncError):
    """Still 401 after refreshing the access token: the user must sign in again."""


Transport = Callable[[HttpRequest], HttpResponse]


class UrllibTransport:
    """Real HTTP against a running server, standard library only."""

    def __init__(self, base_url: str, timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def __call__(self, request: HttpRequest) -> HttpResponse:
        url = self.base_url + request.path
        params = {k: v for k, v in request.params.items() if v is not None}
        if params:
            url += "?" + urllib.parse.urlencode(params)
        body = None if request.json is None else json.dumps(request.json).encode()
        headers = {"Content-Type": "application/json", **request.headers}
        req = urllib.request.Request(url, data=body, method=request.method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as answer:
                return HttpResponse(
                    answer.status, _json_or_none(answer.read()), _lower(answer.headers)
                )
        except urllib.error.HTTPError as error:
            return HttpResponse(error.code, _json_or_none(error.read()), _lower(error.headers))
        except (urllib.error.URLError, OSError) as error:
            raise TransportError(str(error)) from error


class _TestClient(Protocol):
    def open(self, path: str, **kwargs: Any) -> Any: ...


class TestClientTransport:
    """Adapter over a Flask (werkzeug) test client, duck-typed so this module needs no Flask.

    `context` (e.g. `app.app_context`) is entered around each request so every request gets its
    own database session, as it would in production; an exception escaping the app becomes a
    `TransportError`, which is what a phone sees when the server dies mid-request.
    """

    __test__ = False  # not a pytest test class

    def __init__(self, client: _TestClient, context: Callable[[], Any] | None = None) -> None:
        self.client = client
        self.context = context

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            if self.context is None:
                return self._send(request)
            with self.context():
                return self._send(request)
        except TransportError:
            raise
        except Exception as error:
            raise TransportError(f"server failed: {error!r}") from error

    def _send(self, request: HttpRequest) -> HttpResponse:
        params = {k: v for k, v in request.params.items() if v is not None}
        answer = self.client.open(
            request.path,
            method=request.method,
            json=request.json,
            headers=request.headers,
            query_string=params,
        )
        return HttpResponse(
            answer.status_code, answer.get_json(silent=True), _lower(answer.headers)
        )


def _lower(headers: Any) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def _json_or_none(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None


@dataclass
class ClientState:
    """Everything the client must not forget; plain JSON so it survives restarts."""

    outbox: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    local: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    cursor: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "outbox": self.outbox,
            "rejected": self.rejected,
            "local": self.local,
            "cursor": self.cursor,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> ClientState:
        return cls(raw["outbox"], raw["rejected"], raw["local"], raw["cursor"])


class StateFile:
    """Keeps `ClientState` in a JSON file, replaced atomically so a crash leaves old or new."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def load(self) -> ClientState:
        if not self.path.exists():
            return ClientState()
        return ClientState.from_json(json.loads(self.path.read_text()))

    def save(self, state: ClientState) -> None:
        tmp = self.path.with_suffix(self.path.suffix + ".tmp")
        with open(tmp, "w") as fh:
            json.dump(state.to_json(), fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)


@dataclass
class PushReport:
    """What one `push()` did, mutation ids grouped by the server's answer."""

    by_status: dict[str, list[str]] = field(default_factory=dict)
    requests: int = 0

    def add(self, status: str, mutation_id: str) -> None:
        self.by_status.setdefault(status, []).append(mutation_id)

    def count(self, status: str) -> int:
        return len(self.by_status.get(status, []))


@dataclass
class PullReport:
    changes: int = 0
    pages: int = 0
    resets: int = 0


def apply_patch(entity: str, data: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """An update carries changed fields only; a service record's form `data` merges per field."""
    merged = {**data, **patch}
    if entity == "service_record" and isinstance(patch.get("data"), dict):
        merged["data"] = {**(data.get("data") or {}), **patch["data"]}
    return merged


class SyncClient:
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
    ) -> None:
        self.transport = transport
        self.device_id = device_id
        self.access_token = access_token
        self.refresh_token = refresh_token
        self.store = StateFile(state_file) if state_file else None
        self.state = self.store.load() if self.store else ClientState()
        self.batch_size = batch_size
        self.batch_bytes = batch_bytes
        self.pull_limit = pull_limit
        self.max_attempts = max_attempts
        self.sleep = sleep
        self.rand = rand

    # -- signing in ---------------------------------------------------------------------------

    def login(self, username: str, password: str, label: str = "reference client") -> None:
        """Sign in as this device and keep the token pair."""
        body = {"username": username, "password": password, "device_id": self.device_id}
        request = HttpRequest("POST", "/api/auth/login", {**body, "device_label": label})
        answer = self._send(request)
        for attempt in range(1, self.max_attempts):
            if answer.status != 503 or answer.retry_after() is None:
                break
            self.sleep(retry_delay(answer, attempt, self.rand()))  # busy: same sign-in again
            answer = self._send(request)
        if answer.status != 200:
            raise AuthError(f"login failed ({answer.status})", answer)
        self._take_tokens(answer.body)

    def _take_tokens(self, body: dict[str, Any]) -> None:
        self.access_token = body["access_token"]
        self.refresh_token = body.get("refresh_token", self.refresh_token)

    def _refresh(self) -> bool:
        if not self.refresh_token:
            return False
        headers = {"Authorization": f"Bearer {self.refresh_token}"}
        answer = self._send(HttpRequest("POST", "/api/auth/refresh", headers=headers))
        if answer.status != 200:
            return False
        self._take_tokens(answer.body)
        return True

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
        if entity not in ENTITIES:
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
        aside with its errors and does not hold back the rest.
        """
        report = PushReport()
        while self.state.outbox:
            batch = self._next_batch()
            answer = self._request_with_retries(
                HttpRequest(
                    "POST",
                    "/api/sync/push",
                    {"device_id": self.device_id, "mutations": [_wire(m) for m in batch]},
                ),
                report,
            )
            if answer.status == 413:
                self._shrink(answer, len(batch))
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
            extra = len(json.dumps(_wire(mutation))) + 2
            if batch and size + extra > self.batch_bytes:
                break
            batch.append(mutation)
            size += extra
        return batch

    def _shrink(self, answer: HttpResponse, sent: int) -> None:
        """Obey the caps the server states, and halve the batch so the next one is smaller."""
        errors = (answer.body or {}).get("errors") or {}
        if sent == 1:
            mutation = self.state.outbox.pop(0)
            self.state.rejected.append({**mutation, "code": "payload_too_large", "errors": errors})
            self._save()
            return
        limit_count = _first_int(errors, ("max_mutations", "max_count"))
        limit_bytes = _first_int(errors, ("max_bytes",))
        self.batch_size = max(1, min(sent // 2, limit_count or sent))
        if limit_bytes:
            self.batch_bytes = min(self.batch_bytes, limit_bytes)

    def _settle(
        self, batch: list[dict[str, Any]], results: list[dict[str, Any]], report: PushReport
    ) -> int:
        """Apply the answers to the outbox and the local copy; returns how many were settled."""
        by_id = {r["mutation_id"]: r for r in results}
        settled = 0
        for mutation in batch:
            result = by_id.get(mutation["mutation_id"])
            if result is None:
                continue
            status = result["status"]
            report.add(status, mutation["mutation_id"])
            if status in DONE_STATUSES:
                self._confirm(mutation, result)
            elif status == "rejected" and self._rebase(mutation, result):
                settled += 1
                continue
            elif status == "rejected":
                failure = {"code": result.get("code"), "errors": result.get("errors", {})}
                self.state.rejected.append({**mutation, **failure})
            else:
                continue
            self.state.outbox.remove(mutation)
            settled += 1
        self._save()
        return settled

    def _rebase(self, mutation: dict[str, Any], result: dict[str, Any]) -> bool:
        """Requeue an edit whose predicted base never came to be, under a new mutation id.

        `base_version` counts our own queued writes to the record, each of which the server
        advances by exactly one version when it accepts it; when one of them was rejected the
        server is behind and answers `stale_version`. The edit is still wanted, so it goes out
        again on the server's version as we know it (see `rebased_base`), and again after each
        further miss as long as that base keeps moving.
        """
        if result.get("code") != "stale_version":
            return False
        index = self.state.outbox.index(mutation)
        key = (mutation["entity"], mutation["id"])
        ahead = sum(1 for m in self.state.outbox[:index] if (m["entity"], m["id"]) == key)
        base = rebased_base(
            rejected_base=mutation["base_version"],
            confirmed=self.state.local.get(key[0], {}).get(key[1], {}).get("version"),
            server_version=result.get("server_version"),
            ahead=ahead,
            rebases=mutation.get("rebases", 0),
        )
        if base is None:
            return False
        self.state.outbox[index] = {
            **mutation,
            "mutation_id": str(uuid.uuid4()),
            "base_version": base,
            "rebases": mutation.get("rebases", 0) + 1,
        }
        return True

    def _confirm(self, mutation: dict[str, Any], result: dict[str, Any]) -> None:
        """Fold an accepted write into the local copy until the next pull brings the truth.

        A `duplicate` replays an old answer, and a pull may already have brought this version
        or a later one: what the local copy holds at that version or later is the server's own
        state and is never overwritten with a guess.
        """
        entity, rid = mutation["entity"], mutation["id"]
        rows = self.state.local.setdefault(entity, {})
        held = rows.get(rid, {}).get("version", 0)
        server_record = result.get("record")
        if isinstance(server_record, dict) and "data" in server_record:
            version = server_record.get("version", result.get("version")) or 0
            if version < held:
                return
            if server_record.get("op") == "delete":
                rows.pop(rid, None)
            else:
                rows[rid] = {"version": version, "data": server_record["data"]}
            return
        if result["status"] == "conflict":
            return  # the server kept its value; the next pull carries it
        if mutation["op"] == "delete":
            rows.pop(rid, None)
            return
        version = result.get("version") or held + 1
        if version <= held:
            return
        base = rows.get(rid, {}).get("data", {})
        rows[rid] = {"version": version, "data": apply_patch(entity, base, mutation["data"])}

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

    # -- HTTP with retries and token refresh --------------------------------------------------

    def _send(self, request: HttpRequest) -> HttpResponse:
        return self.transport(request)

    def _authorised(self, request: HttpRequest) -> HttpRequest:
        headers = dict(request.headers)
        if self.access_token:
            headers["Authorization"] = f"Bearer {self.access_token}"
        return HttpRequest(request.method, request.path, request.json, request.params, headers)

    def _request_with_retries(
        self, request: HttpRequest, report: PushReport | None
    ) -> HttpResponse:
        """Send until an answer that is not a transient failure; refresh the token once on 401.

        Retries wait as `retry_delay` says: what the server asked for on a 503 or 429 with
        `Retry-After` (the database was busy: the same request goes again, and its mutation ids
        make it land once), otherwise an exponential backoff with jitter.
        """
        refreshed = False
        attempt = 0
        while True:
            if report is not None:
                report.requests += 1
            try:
                answer = self._send(self._authorised(request))
            except TransportError as error:
                failure: Exception | HttpResponse = error
            else:
                if answer.status == 401 and not refreshed:
                    refreshed = True
                    if self._refresh():
                        continue
                    raise AuthError("the session has ended; sign in again", answer)
                if answer.status == 401:
                    raise AuthError("still unauthorised after refreshing the token", answer)
                if answer.status < 500 and answer.status != 429:
                    return answer
                failure = answer
            attempt += 1
            if attempt >= self.max_attempts:
                response = failure if isinstance(failure, HttpResponse) else None
                raise SyncError(f"gave up after {attempt} attempts: {failure}", response)
            self.sleep(retry_delay(failure, attempt, self.rand()))

    def _save(self) -> None:
        if self.store:
            self.store.save(self.state)


def rebased_base(
    *,
    rejected_base: int,
    confirmed: int | None,
    server_version: int | None,
    ahead: int,
    rebases: int,
) -> int | None:
    """The base_version to send a `stale_version` edit again with, or None to set it aside.

    The base is the record's version as last confirmed to this phone (by a pull or a push
    answer), never above the server's version named in the answer (`server_version`, which
    also stands in when the phone holds no confirmed version, e.g. the PWA after a local
    delete), plus our own writes to the record still queued ahead of the edit. The confirmed
    version comes first because a base that includes other phones' unseen edits would let
    this edit overwrite them without a conflict. The PWA (pwa/js/rebase.js) follows the
    same rule. The edit is set aside when that base is the one just turned down (nothing
    moved, so sending it again would only be turned down again) or after MAX_REBASES tries.
    """
    if rebases >= MAX_REBASES:
        return None
    known = confirmed or server_version
    if known is None:
        return None
    if server_version is not None:
        known = min(known, server_version)
    base = known + ahead
    if base < 1 or base == rejected_base:
        return None
    return base


def retry_delay(failure: Exception | HttpResponse, attempt: int, rand: float) -> float:
    """Seconds before retry number `attempt` (1 = first) of a request that failed so.

    Without a `Retry-After`: up to `BACKOFF_BASE * 2**attempt` (capped), scaled by `rand`
    (full jitter) so phones that lost the network together do not return together. With one:
    at least the time asked, plus up to as much again of jitter, so the phones the server
    turned away together do not all come back in the same instant.
    """
    asked = failure.retry_after() if isinstance(failure, HttpResponse) else None
    if asked is not None:
        return min(BACKOFF_CAP, asked * (1 + rand))
    return rand * min(BACKOFF_CAP, BACKOFF_BASE * 2**attempt)


def _wire(mutation: dict[str, Any]) -> dict[str, Any]:
    """A mutation as sent: the outbox may keep notes of its own beside it."""
    return {key: mutation[key] for key in WIRE_KEYS}


def _first_int(values: dict[str, Any], names: tuple[str, ...]) -> int | None:
    for name in names:
        value = values.get(name)
        if isinstance(value, int) and value > 0:
            return value
        if isinstance(value, list) and value and isinstance(value[0], int):
            return value[0]
    return None
