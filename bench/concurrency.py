"""Many phones at once: push throughput, batch latency and errors per server mode and client count.

Each run gets a fresh database and a server in its own process on 127.0.0.1: werkzeug's
threaded server as `flask --app wsgi demo --serve` starts it, or gunicorn with threads (gthread)
or processes. N client threads (the reference client over real HTTP, released together) each
sign in on a device of their own, push `--batches` batches of `--batch` new households, then pull
to the end. All sign in at once first; once every phone has, all push at once. Throughput counts
the push phase: records accepted from the first push begun to the last one answered (sign-ins,
with their deliberate argon2 cost, are outside it). A batch's
latency runs from the first try to its acceptance, retries included.
Errors: answers of 500 or more (a 503 `database_busy` the client then waited out counts), and
phones that gave up (a request unanswered within the client's 60 s timeout, or retries spent).
Not a test: the numbers depend on the machine and its load.

    .venv/bin/pip install -e '.[deploy]'
    .venv/bin/python -m bench.concurrency                     # every mode, 1/8/32/64 clients
    .venv/bin/python -m bench.concurrency --modes sqlite-werkzeug --clients 8 32
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql

from server.app import create_app
from server.config import normalise_database_url
from server.core.db import Base
from server.domain.accounts.model import User
from server.domain.accounts.passwords import hash_password
from server.domain.orgs.tree import add_unit
from server.extensions import db
from sync.client import (
    HttpRequest,
    HttpResponse,
    SyncClient,
    SyncError,
    TransportError,
    UrllibTransport,
)

PASSWORD = "bench-pass-123"
USERS = 8
PG_ADMIN = os.environ.get(
    "BENCH_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REPO = Path(__file__).resolve().parents[1]
WERKZEUG = (
    "import sys; from werkzeug.serving import run_simple, WSGIRequestHandler as H; "
    "H.log_request = lambda *a, **k: None; from wsgi import app; "
    "run_simple('127.0.0.1', int(sys.argv[1]), app, threaded=True)"
)
MODES: dict[str, tuple[str, list[str]]] = {
    "sqlite-werkzeug": ("sqlite", [sys.executable, "-c", WERKZEUG, "{port}"]),
    "sqlite-gunicorn-1x8": ("sqlite", ["gunicorn", "-w", "1", "--threads", "8"]),
    "sqlite-gunicorn-2x4": ("sqlite", ["gunicorn", "-w", "2", "--threads", "4"]),
    "postgres-gunicorn-4": ("postgres", ["gunicorn", "-w", "4"]),
}


@dataclass
class Tally:
    """What all phones of one run saw; appended to from their threads."""

    statuses: list[int] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    accepted: int = 0
    windows: list[tuple[float, float]] = field(default_factory=list)
    gave_up: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class Counting:
    def __init__(self, inner: UrllibTransport, tally: Tally) -> None:
        self.inner, self.tally = inner, tally

    def __call__(self, request: HttpRequest) -> HttpResponse:
        answer = self.inner(request)
        self.tally.statuses.append(answer.status)
        return answer


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def database(kind: str, tmp: Path) -> Iterator[str]:
    """A fresh database with one village per bench user."""
    if kind == "sqlite":
        url = f"sqlite:///{tmp / f'bench-{uuid.uuid4().hex[:6]}.sqlite3'}"
        name = None
    else:
        name = f"bench_conc_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        url = PG_ADMIN.rpartition("/")[0] + "/" + name
    app = create_app({"SQLALCHEMY_DATABASE_URI": normalise_database_url(url)})
    with app.app_context():
        Base.metadata.create_all(db.engine)
        county = add_unit(db.session, None, "county", "BC", "Bench county", 1)
        township = add_unit(db.session, county, "township", "BT", "Bench township", 1)
        hashed = hash_password(PASSWORD)
        for n in range(USERS):
            village = add_unit(db.session, township, "village", f"BV{n}", f"Village {n}", 1)
            db.session.add(
                User(
                    username=f"bench{n}",
                    role="assistant",
                    org_unit_id=village.id,
                    password_hash=hashed,
                )
            )
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    try:
        yield url
    finally:
        if name:
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


@contextmanager
def server(mode: str, url: str) -> Iterator[str]:
    port = _free_port()
    command = [part.format(port=port) for part in MODES[mode][1]]
    if command[0] == "gunicorn":
        command = [str(Path(sys.executable).parent / "gunicorn"), *command[1:]]
        command += ["-b", f"127.0.0.1:{port}", "--graceful-timeout", "5"]
        command += ["--log-level", "warning", "wsgi:app"]
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench",
        "JWT_SECRET_KEY": "bench-jwt-secret-key-of-32-bytes-or-more",
        "LOGIN_FAILURE_LIMIT": "100000 per minute",
    }
    process = subprocess.Popen(command, cwd=REPO, env=env, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/api/health", timeout=2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def phone(
    base: str,
    n: int,
    args: argparse.Namespace,
    barriers: tuple[threading.Barrier, threading.Barrier],
    t: Tally,
) -> None:
    """Sign in with the others, then, once all have, push and pull with the others."""
    start, pushing = barriers
    client = SyncClient(
        Counting(UrllibTransport(base, timeout=60), t),
        device_id=f"bench-{n:03d}-{uuid.uuid4().hex[:6]}",
        batch_size=args.batch,
    )
    start.wait()
    try:
        client.login(f"bench{n % USERS}", PASSWORD)
    except (SyncError, TransportError):
        with t.lock:
            t.gave_up += 1
        pushing.wait()
        return
    pushing.wait()
    try:
        first = time.perf_counter()
        for b in range(args.batches):
            for k in range(args.batch):
                client.create("household", {"address": f"{n}-{b}-{k}", "head_name": "Wang"})
            began = time.perf_counter()
            report = client.push()
            with t.lock:
                t.latencies.append(time.perf_counter() - began)
                t.accepted += report.count("applied") + report.count("duplicate")
        with t.lock:
            t.windows.append((first, time.perf_counter()))
        client.pull()
    except (SyncError, TransportError):
        with t.lock:
            t.gave_up += 1


def run(base: str, clients: int, args: argparse.Namespace) -> Tally:
    tally = Tally()
    barriers = (threading.Barrier(clients + 1), threading.Barrier(clients + 1))
    threads = [
        threading.Thread(target=phone, args=(base, n, args, barriers, tally))
        for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    barriers[0].wait()
    barriers[1].wait()
    for thread in threads:
        thread.join()
    return tally


def push_rate(tally: Tally) -> float:
    """Records accepted per second from the first push begun to the last push answered."""
    if not tally.windows:
        return 0.0
    span = max(end for _, end in tally.windows) - min(begin for begin, _ in tally.windows)
    return tally.accepted / span


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modes", nargs="+", default=list(MODES), choices=list(MODES))
    parser.add_argument("--clients", nargs="+", type=int, default=[1, 8, 32, 64])
    parser.add_argument("--batches", type=int, default=3)
    parser.add_argument("--batch", type=int, default=50)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f}", flush=True)
    print(
        "| mode | clients | records | records/s | batch p50 ms | batch p99 ms "
        "| answers ≥ 500 | of them 503 | phones gave up |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for mode in args.modes:
            for clients in args.clients:
                with database(MODES[mode][0], Path(tmp)) as url, server(mode, url) as base:
                    run(base, 1, argparse.Namespace(batches=1, batch=args.batch))  # warm-up
                    tally = run(base, clients, args)
                errors = sum(1 for s in tally.statuses if s >= 500)
                busy = sum(1 for s in tally.statuses if s == 503)
                expected = clients * args.batches * args.batch
                note = "" if tally.accepted == expected else f" (accepted {tally.accepted})"
                print(
                    f"| {mode} | {clients} | {expected}{note} | {push_rate(tally):.0f} | "
                    f"{_pct(tally.latencies, 0.5) * 1000:.0f} | "
                    f"{_pct(tally.latencies, 0.99) * 1000:.0f} | "
                    f"{errors} | {busy} | {tally.gave_up} |",
                    flush=True,
                )
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
