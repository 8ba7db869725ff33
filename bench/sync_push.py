"""Push ingest through the whole HTTP stack, measured with the reference client.

Starts the app in a thread (werkzeug's threaded server), signs an assistant in, and pushes N new
households in batches through `sync.client.SyncClient` over real HTTP; then pushes a smaller
number one mutation per request in the same run, so the ratio shows what batching buys.
Prints throughput and per-batch p50/p95 to stdout. Not a test: numbers depend on the machine.

    .venv/bin/python -m bench.sync_push                       # SQLite in a temp dir
    .venv/bin/python -m bench.sync_push --database-url postgresql://postgres@127.0.0.1:5432/bench

A PostgreSQL database given here must be empty: the bench creates the tables and drops them
when it ends.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect
from werkzeug.serving import WSGIRequestHandler, make_server

from server.app import create_app
from server.config import normalise_database_url
from server.core.db import Base
from server.domain.accounts.model import User
from server.domain.accounts.passwords import hash_password
from server.domain.orgs.tree import add_unit
from server.extensions import db
from sync.client import HttpRequest, HttpResponse, SyncClient, UrllibTransport

USERNAME = "bench_asst"
PASSWORD = "bench-pass-123"


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: object, **kwargs: object) -> None:
        pass


class TimedTransport:
    """Records how long each push request took, to report per-batch latency."""

    def __init__(self, inner: UrllibTransport) -> None:
        self.inner = inner
        self.push_seconds: list[float] = []

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        answer = self.inner(request)
        if request.path == "/api/sync/push":
            self.push_seconds.append(time.perf_counter() - started)
        return answer


@dataclass
class Run:
    records: int
    batch: int
    seconds: float
    per_batch: list[float]

    @property
    def rate(self) -> float:
        return self.records / self.seconds

    def line(self, label: str) -> str:
        p50 = statistics.median(self.per_batch) * 1000
        p95 = _percentile(self.per_batch, 0.95) * 1000
        return (
            f"  {label:<24} {self.records:>6} records  batch {self.batch:>4}  "
            f"{self.rate:>9.0f} records/s  per batch p50 {p50:8.1f} ms  p95 {p95:8.1f} ms"
        )


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@contextmanager
def live_server(database_url: str) -> Iterator[str]:
    """The app on a free local port, with a fresh schema and one assistant in one village."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
            "SYNC_MAX_MUTATIONS": 1000,
            "RATELIMIT_ENABLED": False,
            "PROPAGATE_EXCEPTIONS": True,
        }
    )
    with app.app_context():
        if inspect(db.engine).get_table_names():
            raise SystemExit(f"refusing to use a database that already has tables: {database_url}")
        Base.metadata.create_all(db.engine)
        county = add_unit(db.session, None, "county", "BC", "Bench county", 1)
        township = add_unit(db.session, county, "township", "BT", "Bench township", 1)
        village = add_unit(db.session, township, "village", "BV", "Bench village", 1)
        db.session.add(
            User(
                username=USERNAME,
                role="assistant",
                org_unit_id=village.id,
                password_hash=hash_password(PASSWORD),
            )
        )
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        with app.app_context():
            db.session.remove()
            Base.metadata.drop_all(db.engine)
            db.engine.dispose()


def push_households(base_url: str, count: int, batch: int) -> Run:
    """Queue `count` new households on a fresh device and time one `push()` of them all."""
    transport = TimedTransport(UrllibTransport(base_url))
    client = SyncClient(transport, device_id=f"bench-{uuid.uuid4().hex[:8]}", batch_size=batch)
    client.login(USERNAME, PASSWORD)
    for n in range(count):
        client.create(
            "household", {"address": f"Bench road {n}", "head_name": "Wang", "low_income": False}
        )
    started = time.perf_counter()
    report = client.push()
    seconds = time.perf_counter() - started
    if report.count("applied") != count:
        raise SystemExit(f"expected {count} applied, got {report.by_status}")
    return Run(count, batch, seconds, transport.push_seconds)


def bench(label: str, database_url: str, count: int, batch: int, singles: int) -> None:
    with live_server(database_url) as base_url:
        push_households(base_url, min(count, batch * 2), batch)  # warm-up: imports, caches
        batched = push_households(base_url, count, batch)
        single = push_households(base_url, singles, 1)
    print(f"{label}")
    print(batched.line("batched"))
    print(single.line("one mutation per request"))
    print(f"  batched / single throughput: {batched.rate / single.rate:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--singles", type=int, default=200, help="records pushed one per request")
    parser.add_argument("--database-url", help="also run against this (empty) database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sqlite_url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        bench("SQLite", sqlite_url, args.records, args.batch, args.singles)
    if args.database_url:
        bench("PostgreSQL", args.database_url, args.records, args.batch, args.singles)


if __name__ == "__main__":
    main()
