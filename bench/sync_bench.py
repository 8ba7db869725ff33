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
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert

from bench.sync_rows import mutations, new_changes, record_rows, seed
from bench.sync_site import NEW_CHANGES, Site, database, push, site
from server.domain.records.model import ServiceRecord
from server.extensions import db
from sync.changes import lock_feed

BATCH = 500


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


# --- databases -------------------------------------------------------------------------------


# --- rows ------------------------------------------------------------------------------------


# --- push and raw insert ---------------------------------------------------------------------


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
