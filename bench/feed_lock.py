"""Where a push's time goes on PostgreSQL under concurrency: waiting for the feed counter's row
lock, or working.

Every push takes the one feed-counter row lock first (`sync.changes.lock_feed`) and holds it
until it commits, so pushes are serialised across all workers. This bench runs gunicorn with
deploy/gunicorn.conf.py plus timers (bench/feed_lock_conf.py) at `-w 1` and `-w 4`, N phones
(the reference client, bench/concurrency.py's `run`) each pushing `--batches` batches of
`--batch` new households, and prints per row: records/s, batch p50/p99, and from the workers'
own timers the share of the server's push time spent waiting for the counter lock.

    .venv/bin/python -m bench.feed_lock                          # -w 1 and 4; 1, 8, 32 phones
    .venv/bin/python -m bench.feed_lock --workers 4 --clients 32 --batches 5
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.concurrency import REPO, _free_port, _pct, database, push_rate, run


def _server(url: str, workers: int, out: Path):
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench", "FEED_LOCK_OUT": str(out),
           "JWT_SECRET_KEY": "bench-jwt-secret-key-of-32-bytes-or-more",
           "LOGIN_FAILURE_LIMIT": "100000 per minute", "PYTHONPATH": str(REPO),
           "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
           "RATELIMIT_KEY_PREFIX": f"feedlock-{port}"}  # fmt: skip
    command = [sys.executable, "-m", "gunicorn", "-c", "bench/feed_lock_conf.py"]
    command += ["-b", f"127.0.0.1:{port}", "-w", str(workers), "--log-level", "warning"]
    command += ["--access-logfile", "/dev/null"]
    process = subprocess.Popen(command, cwd=REPO, env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(base + "/api/health", timeout=2).close()
            break
        except OSError:
            time.sleep(0.1)
    return process, base


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", nargs="+", type=int, default=[1, 4])
    parser.add_argument("--clients", nargs="+", type=int, default=[1, 8, 32])
    parser.add_argument("--batches", type=int, default=3)
    parser.add_argument("--batch", type=int, default=50)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f}", flush=True)
    print("| workers | phones | records/s | batch p50 ms | batch p99 ms | server push ms (mean) "
          "| of it lock wait | longest wait ms | answers ≥ 500 |")  # fmt: skip
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for workers in args.workers:
            for clients in args.clients:
                out = Path(tmp) / f"w{workers}c{clients}"
                out.mkdir()
                with database("postgres", Path(tmp)) as url:
                    process, base = _server(url, workers, out)
                    try:
                        run(base, 1, argparse.Namespace(batches=1, batch=args.batch))
                        tally = run(base, clients, args)
                    finally:
                        process.terminate()
                        process.wait(60)
                totals = [json.loads(p.read_text()) for p in out.glob("*.json")]
                pushes = sum(t["pushes"] for t in totals) or 1
                push_s = sum(t["push_s"] for t in totals)
                wait_s = sum(t["lock_wait_s"] for t in totals)
                longest = max((t["max_wait_s"] for t in totals), default=0)
                errors = sum(1 for s in tally.statuses if s >= 500)
                cells = [
                    workers,
                    clients,
                    f"{push_rate(tally):.0f}",
                    f"{_pct(tally.latencies, 0.5) * 1000:.0f}",
                    f"{_pct(tally.latencies, 0.99) * 1000:.0f}",
                    f"{push_s / pushes * 1000:.0f}",
                    f"{wait_s / push_s:.0%}",
                    f"{longest * 1000:.0f}",
                    errors,
                ]
                print("| " + " | ".join(map(str, cells)) + " |", flush=True)
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
