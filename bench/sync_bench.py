"""Sync benchmark: push ingest over real HTTP, its ratio to a raw bulk insert, pull at scale.

For SQLite (a temporary file) and, with `--pg <admin url>`, PostgreSQL (a database this script
creates and drops through tests/pgdb.py), in one run:

1. push: service-record creates in batches of 500 through the real stack (werkzeug server
   thread on 127.0.0.1, JSON over HTTP with `requests`); records/s over the timed batches;
2. raw: the same rows inserted with one Core `insert().executemany` per 500, committed per
   batch, into the same database; the ratio push / raw says what the sync engine costs;
3. pull: two fresh databases seeded in bulk (service records and their change-feed rows, with
   executemany on SQLite and COPY on PostgreSQL), one to 10,000 and one to 1,000,000 records;
   in each 100 new records are pushed, then the pulls of those 100 changes are timed
   alternately in the two (median of repeats each); the ratio large / small is the scaling
   figure.

    .venv/bin/python -m bench.sync_bench --quick            # ~1 min: 100,000 instead of 1M
    .venv/bin/python -m bench.sync_bench --pg postgresql://postgres@127.0.0.1:5432/postgres

Prints a table; writes nothing into the repository (redirect into bench/results/ if wanted).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import requests
from flask import Flask
from sqlalchemy import func, insert, select, update
from werkzeug.serving import WSGIRequestHandler, make_server

from server.app import create_app
from server.config import normalise_database_url
from server.core.db import Base
from server.domain.accounts.model import User
from server.domain.accounts.passwords import hash_password
from server.domain.orgs.tree import add_unit
from server.domain.records.catalogue import load_definitions
from server.domain.records.model import ServiceRecord
from server.domain.registry.model import Resident
from server.extensions import db
from sync.changes import COUNTER_ID, lock_feed
from sync.models import Change, FeedCounter
from sync.pull import encode_cursor
from tests import pgdb

USERNAME = "bench_asst"
PASSWORD = "bench-pass-123"
BATCH = 500
VILLAGES = 4  # seeded rows are spread over these; the puller works in the first
RESIDENTS = 200
FORM = "hypertension_followup"
NEW_CHANGES = 100


class _QuietHandler(WSGIRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a phone's HTTP stack would use

    def log_request(self, *args: object, **kwargs: object) -> None:
        pass


@dataclass
class Figures:
    label: str
    push_rate: float = 0.0
    push_p50_ms: float = 0.0
    raw_rate: float = 0.0
    pulls: dict[int, list[float]] = field(default_factory=dict)

    @property
    def push_ratio(self) -> float:
        return self.push_rate / self.raw_rate


@dataclass
class Site:
    """A running app over one database, with the bench assistant signed in."""

    app: Flask
    base_url: str
    http: requests.Session
    device_id: str
    village_id: int
    village_ids: list[int]
    user_id: int
    residents: list[str]


# --- databases -------------------------------------------------------------------------------


@contextmanager
def database(kind: str, pg_admin: str | None, tmp: Path) -> Iterator[str]:
    """A new empty database of `kind`, removed afterwards."""
    if kind == "sqlite":
        path = tmp / f"bench-{uuid.uuid4().hex[:8]}.sqlite3"
        yield f"sqlite:///{path}"
        path.unlink(missing_ok=True)
        return
    assert pg_admin is not None
    name = f"sync_bench_{uuid.uuid4().hex[:8]}"
    url = pgdb.create(pg_admin, name)
    try:
        yield url
    finally:
        pgdb.drop(pg_admin, name)


@contextmanager
def site(database_url: str) -> Iterator[Site]:
    """Schema, forms, four villages, 200 residents, one assistant; the server on a free port."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
            "SYNC_MAX_MUTATIONS": 1000,
            "SYNC_MAX_BYTES": 8 * 1024 * 1024,
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        Base.metadata.create_all(db.engine)
        load_definitions(db.session)
        county = add_unit(db.session, None, "county", "BC", "Bench county", 1)
        township = add_unit(db.session, county, "township", "BT", "Bench township", 1)
        villages = [
            add_unit(db.session, township, "village", f"BV{n}", f"Bench village {n}", 1)
            for n in range(VILLAGES)
        ]
        user = User(
            username=USERNAME,
            role="assistant",
            org_unit_id=villages[0].id,
            password_hash=hash_password(PASSWORD),
        )
        db.session.add(user)
        residents = [
            Resident(
                id=uuid.uuid4(),
                village_id=villages[0].id,
                name=f"居民{n}",
                sex="MF"[n % 2],
                birth_date=date(1950 + n % 40, 1 + n % 12, 1 + n % 28),
                tags=["hypertension"],
            )
            for n in range(RESIDENTS)
        ]
        db.session.add_all(residents)
        db.session.commit()
        village_id, user_id = villages[0].id, user.id
        village_ids = [v.id for v in villages]
        resident_ids = [str(r.id) for r in residents]
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    http = requests.Session()
    device_id = f"bench-{uuid.uuid4().hex[:8]}"
    base_url = f"http://127.0.0.1:{server.server_port}"
    answer = http.post(
        f"{base_url}/api/auth/login",
        json={
            "username": USERNAME,
            "password": PASSWORD,
            "device_id": device_id,
            "device_label": "bench",
        },
    )
    answer.raise_for_status()
    http.headers["Authorization"] = f"Bearer {answer.json()['access_token']}"
    try:
        yield Site(app, base_url, http, device_id, village_id, village_ids, user_id, resident_ids)
    finally:
        http.close()
        server.shutdown()
        thread.join()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


# --- rows ------------------------------------------------------------------------------------


def form_data(n: int) -> dict[str, Any]:
    """A valid hypertension follow-up, varied a little so rows are not all identical."""
    return {
        "visit_method": ("home", "phone")[n % 2],
        "bp_source": "measured",
        "blood_pressure": {"systolic": 120 + n % 40, "diastolic": 70 + n % 20},
        "heart_rate": 60 + n % 30,
        "medication": "regular",
        "complaints": ["none"],
        "notes": f"bench visit {n}",
    }


def visit_day(n: int) -> date:
    return date(2024, 1, 1) + timedelta(days=n % 365)


def mutations(s: Site, start: int, count: int) -> list[dict[str, Any]]:
    now = datetime.now(UTC).isoformat()
    return [
        {
            "mutation_id": str(uuid.uuid4()),
            "entity": "service_record",
            "op": "create",
            "id": str(uuid.uuid4()),
            "base_version": None,
            "data": {
                "resident_id": s.residents[n % len(s.residents)],
                "form_code": FORM,
                "form_version": 1,
                "visit_date": visit_day(n).isoformat(),
                "data": form_data(n),
            },
            "client_time": now,
        }
        for n in range(start, start + count)
    ]


def record_rows(
    village_ids: list[int], residents: list[str] | None, author_id: int, start: int, count: int
) -> list[dict[str, Any]]:
    """service_record rows as a raw insert or seed writes them (version 1, pending review)."""
    now = datetime.now(UTC)
    return [
        {
            "id": uuid.uuid4(),
            "resident_id": uuid.UUID(residents[n % len(residents)]) if residents else None,
            "village_id": village_ids[n % len(village_ids)],
            "form_code": FORM,
            "form_version": 1,
            "data": form_data(n),
            "visit_date": visit_day(n),
            "author_id": author_id,
            "review_status": "pending",
            "version": 1,
            "deleted": False,
            "created_at": now,
            "updated_at": now,
        }
        for n in range(start, start + count)
    ]


# --- push and raw insert ---------------------------------------------------------------------


def push(s: Site, batch: list[dict[str, Any]]) -> float:
    """Send one batch; seconds taken. Fails loudly unless every record was applied."""
    body = json.dumps({"device_id": s.device_id, "mutations": batch})
    started = time.perf_counter()
    answer = s.http.post(
        f"{s.base_url}/api/sync/push", data=body, headers={"Content-Type": "application/json"}
    )
    seconds = time.perf_counter() - started
    answer.raise_for_status()
    statuses = {r["status"] for r in answer.json()["results"]}
    if statuses != {"applied"}:
        raise SystemExit(f"push answered {statuses}: {answer.json()['results'][:2]}")
    return seconds


def bench_push(s: Site, batches: int, figures: Figures) -> None:
    push(s, mutations(s, 0, BATCH))  # warm-up: imports, statement and validator caches
    prepared = [mutations(s, (b + 1) * BATCH, BATCH) for b in range(batches)]
    times = [push(s, batch) for batch in prepared]
    figures.push_rate = batches * BATCH / sum(times)
    figures.push_p50_ms = statistics.median(times) * 1000


def bench_raw(s: Site, batches: int, figures: Figures) -> None:
    """The same rows, one Core executemany and one commit per 500: the floor push builds on."""
    table = ServiceRecord.__table__
    with s.app.app_context():
        prepared = [
            record_rows([s.village_id], s.residents, s.user_id, b * BATCH, BATCH)
            for b in range(batches)
        ]
        started = time.perf_counter()
        for rows in prepared:
            with db.engine.begin() as conn:
                conn.execute(insert(table), rows)
        figures.raw_rate = batches * BATCH / (time.perf_counter() - started)


# --- pull at scale ---------------------------------------------------------------------------


def seed(s: Site, upto: int) -> None:
    """Bulk-insert service records (and their feed rows) until the table holds `upto`."""
    with s.app.app_context():
        have = db.session.scalar(select(func.count()).select_from(ServiceRecord)) or 0
        villages = s.village_ids
        postgres = db.engine.dialect.name == "postgresql"
        chunk = 50_000 if postgres else 20_000
        while have < upto:
            count = min(chunk, upto - have)
            rows = record_rows(villages, None, s.user_id, have, count)
            with db.engine.begin() as conn:
                last = conn.execute(
                    update(FeedCounter)
                    .where(FeedCounter.id == COUNTER_ID)
                    .values(value=FeedCounter.value + count)
                    .returning(FeedCounter.value)
                ).scalar_one()
                changes = [
                    {
                        "seq": last - count + 1 + i,
                        "entity": "service_record",
                        "entity_id": str(row["id"]),
                        "village_id": row["village_id"],
                        "version": 1,
                        "op": "upsert",
                        "changed_at": row["created_at"],
                    }
                    for i, row in enumerate(rows)
                ]
                if postgres:
                    _copy(conn, ServiceRecord.__table__.name, rows)
                    _copy(conn, Change.__table__.name, changes)
                else:
                    conn.execute(insert(ServiceRecord.__table__), rows)
                    conn.execute(insert(Change.__table__), changes)
            have += count
        if postgres:
            with db.engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE")
                conn.commit()


def _copy(conn: Any, table: str, rows: list[dict[str, Any]]) -> None:
    """COPY rows into a PostgreSQL table (JSON columns sent as text)."""
    columns = list(rows[0])
    raw = conn.connection.driver_connection
    names = ", ".join(columns)
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(
                [json.dumps(v) if isinstance(v, dict | list) else v for v in row.values()]
            )


def new_changes(s: Site) -> str:
    """Push 100 new records; the cursor just before them."""
    with s.app.app_context():
        after = db.session.scalar(select(func.max(Change.seq))) or 0
        db.session.rollback()
    push(s, mutations(s, 10**7 + after, NEW_CHANGES))
    return encode_cursor(after, s.village_id)


def pull_once(s: Site, cursor: str) -> float:
    """Seconds for the pull of exactly those 100 changes."""
    started = time.perf_counter()
    answer = s.http.get(
        f"{s.base_url}/api/sync/pull", params={"since": cursor, "limit": NEW_CHANGES}
    )
    seconds = time.perf_counter() - started
    answer.raise_for_status()
    got = len(answer.json()["changes"])
    if got != NEW_CHANGES:
        raise SystemExit(f"pull answered {got} changes, expected {NEW_CHANGES}")
    return seconds


def bench_pull(sites: dict[int, Site], repeats: int, figures: Figures) -> None:
    """Seed each site to its size, then time their pulls alternately.

    Alternating (small, large, large, small, ...) puts both sizes under the same machine load
    at the same moments, so load that changes during the run (a shared machine) does not
    masquerade as a difference between sizes.
    """
    cursors = {}
    for size, s in sites.items():
        with s.app.app_context():
            lock_feed(db.session)  # creates the counter row
            db.session.commit()
        seed(s, size)
        cursors[size] = new_changes(s)
    order = list(sites)
    for size in order:
        pull_once(sites[size], cursors[size])  # the first pull warms caches
    for size in order:
        figures.pulls[size] = []
    for n in range(repeats):
        for size in order if n % 2 == 0 else reversed(order):
            figures.pulls[size].append(pull_once(sites[size], cursors[size]))


# --- report ----------------------------------------------------------------------------------


def run(kind: str, label: str, args: argparse.Namespace, tmp: Path) -> Figures:
    figures = Figures(label)
    print(f"[{label}] push and raw insert ...", flush=True)
    with database(kind, args.pg, tmp) as url, site(url) as s:
        bench_push(s, args.batches, figures)
        bench_raw(s, args.batches, figures)
    print(f"[{label}] pull at {', '.join(f'{n:,}' for n in args.sizes)} records ...", flush=True)
    small, large = args.sizes
    with (
        database(kind, args.pg, tmp) as small_url,
        site(small_url) as small_site,
        database(kind, args.pg, tmp) as large_url,
        site(large_url) as large_site,
    ):
        bench_pull({small: small_site, large: large_site}, args.repeats, figures)
    return figures


def report(all_figures: list[Figures], args: argparse.Namespace) -> None:
    small, large = args.sizes
    print()
    print(
        f"push: {args.batches} batches x {BATCH} service-record creates over HTTP "
        f"(after 1 warm-up batch); raw: same rows, Core executemany + commit per {BATCH}"
    )
    print(
        f"pull: {NEW_CHANGES} new changes, median of {args.repeats} pulls over HTTP, "
        "the two sizes timed alternately"
    )
    print()
    header = (
        f"{'database':<11}{'push rec/s':>12}{'p50 batch':>11}{'raw rec/s':>11}{'push/raw':>10}"
        f"{'pull @' + _short(small):>14}{'pull @' + _short(large):>14}{'ratio':>8}"
    )
    print(header)
    print("-" * len(header))
    for f in all_figures:
        t_small = statistics.median(f.pulls[small]) * 1000
        t_large = statistics.median(f.pulls[large]) * 1000
        print(
            f"{f.label:<11}{f.push_rate:>12,.0f}{f.push_p50_ms:>9.0f}ms{f.raw_rate:>11,.0f}"
            f"{f.push_ratio:>10.2f}{t_small:>12.1f}ms{t_large:>12.1f}ms{t_large / t_small:>8.2f}"
        )
    print()
    print(
        f"targets: push >= 5,000 rec/s on SQLite; "
        f"pull @{_short(large)} <= 1.5 x pull @{_short(small)}"
    )


def _short(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 and n % 1_000_000 == 0 else f"{n // 1000}k"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", metavar="ADMIN_URL", help="also run on PostgreSQL (admin URL)")
    parser.add_argument("--quick", action="store_true", help="10k vs 100k rows, fewer batches")
    parser.add_argument("--batches", type=int, help="timed push batches of 500 (default 20)")
    parser.add_argument("--repeats", type=int, default=20, help="pulls timed at each size")
    args = parser.parse_args()
    args.sizes = [10_000, 100_000] if args.quick else [10_000, 1_000_000]
    args.batches = args.batches or (6 if args.quick else 20)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        figures = [run("sqlite", "SQLite", args, Path(tmp))]
        if args.pg:
            figures.append(run("postgresql", "PostgreSQL", args, Path(tmp)))
    report(figures, args)
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
