"""The evening storm, end to end: build a county, start the server as deployed, run Locust.

    .venv/bin/pip install -e '.[storm]'
    .venv/bin/python -m bench.storm.run --db sqlite --phones 240 --rate 2 --duration 150
    .venv/bin/python -m bench.storm.run --db postgres --phones 600 --rate 5 --duration 150

Steps: a fresh database (a SQLite file in a temporary directory, or a PostgreSQL database the
run creates and drops; admin URL from `BENCH_POSTGRES_ADMIN_URL`); the schema and forms; one
village and one assistant per phone (bench/storm/seed.py); the server on a free 127.0.0.1
port: gunicorn with deploy/gunicorn.conf.py (the production setup: on SQLite its defaults, one
process with 8 threads; on PostgreSQL `--workers` processes with the limiter in Redis), or
`--server werkzeug`, the threaded server `flask --app wsgi demo --serve` runs; then Locust
headless (`-u phones -r rate -t duration`): phones arrive at `rate` per second and each syncs
once (bench/storm/locustfile.py). Printed: phones done / gave up, request p50/p99 (every real
request, retries counted one by one), failures (every 5xx, 429 and connection failure, retried
or not), records accepted and records/s over the push phase, a phone's whole evening p50/p99,
and the CPU seconds used by the app processes, the database's backends (PostgreSQL) and Locust.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psutil

from bench.storm.seed import seed, write_accounts

REPO = Path(__file__).resolve().parents[2]
PG_ADMIN = os.environ.get(
    "BENCH_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
SECRETS = {"SECRET_KEY": "storm-secret", "JWT_SECRET_KEY": "storm-jwt-secret-" + "x" * 32}
WERKZEUG = (
    "import sys; from werkzeug.serving import run_simple, WSGIRequestHandler as H; "
    "H.log_request = lambda *a, **k: None; from wsgi import app; "
    "run_simple('127.0.0.1', int(sys.argv[1]), app, threaded=True)"
)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database(kind: str, tmp: Path) -> tuple[str, str | None]:
    if kind == "sqlite":
        return f"sqlite:///{tmp / 'storm.sqlite3'}", None
    from tests import pgdb

    name = f"storm_{uuid.uuid4().hex[:8]}"
    return pgdb.create(PG_ADMIN, name), name


def _build(url: str, args: argparse.Namespace) -> list[dict]:
    from server.app import create_app
    from server.config import normalise_database_url
    from server.core.db import Base
    from server.domain.records.catalogue import load_definitions
    from server.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": normalise_database_url(url)})
    with app.app_context():
        Base.metadata.create_all(db.engine)
        load_definitions(db.session)
        db.session.commit()
        db.session.remove()
    accounts = seed(app, args.phones, args.households, args.residents, args.password_share < 1)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE")
                conn.commit()
        db.engine.dispose()
    return accounts


def _server(url: str, args: argparse.Namespace, port: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, **SECRETS, "PYTHONPATH": str(REPO), "DATABASE_URL": url}
    env["RATELIMIT_KEY_PREFIX"] = f"storm-{uuid.uuid4().hex[:8]}"
    if args.server == "werkzeug":
        command = [sys.executable, "-c", WERKZEUG, str(port)]
    else:
        command = [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"]
        command += ["-b", f"127.0.0.1:{port}", "--access-logfile", "/dev/null"]
        if args.workers:
            command += ["-w", str(args.workers)]
        if args.threads:
            command += ["--threads", str(args.threads)]
        if (args.workers or (1 if args.db == "sqlite" else 4)) > 1:
            env["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:6379/0"
    out = log.open("w")
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    import urllib.request

    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=5):
                return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"server did not start:\n{log.read_text()}") from None
            time.sleep(0.3)


class Cpu:
    """CPU seconds of process groups between `start()` and `stop()` (children included)."""

    def __init__(self, dbname: str | None) -> None:
        self.dbname = dbname
        self.before: dict[int, float] = {}

    def _groups(self, server: psutil.Process, locust: psutil.Process) -> dict[str, dict]:
        groups: dict[str, dict[int, float]] = {"app": {}, "database": {}, "locust": {}}
        for name, root in (("app", server), ("locust", locust)):
            for proc in [root, *root.children(recursive=True)]:
                try:
                    t = proc.cpu_times()
                    groups[name][proc.pid] = t.user + t.system
                except psutil.NoSuchProcess:
                    pass
        if self.dbname:
            for proc in psutil.process_iter(["name", "cmdline"]):
                cmd = " ".join(proc.info["cmdline"] or [])
                if proc.info["name"] == "postgres" and f" {self.dbname} " in f"{cmd} ":
                    try:
                        t = proc.cpu_times()
                        groups["database"][proc.pid] = t.user + t.system
                    except psutil.NoSuchProcess:
                        pass
        return groups

    def sample(self, server: psutil.Process, locust: psutil.Process) -> None:
        """Remember the latest time of every process seen (backends may exit before the end)."""
        for group, times in self._groups(server, locust).items():
            for pid, used in times.items():
                self.latest.setdefault(group, {})[pid] = used

    def begin(self, server: psutil.Process, locust: psutil.Process) -> None:
        self.latest: dict[str, dict[int, float]] = {}
        self.start = {g: dict(t) for g, t in self._groups(server, locust).items()}

    def used(self) -> dict[str, float]:
        return {
            group: sum(t - self.start.get(group, {}).get(pid, 0.0) for pid, t in times.items())
            for group, times in self.latest.items()
        }


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summarise(seen: list, wall: float, cpu: dict[str, float], args) -> dict:
    real = [s for s in seen if s[0] != "PHONE"]
    ok = [s for s in real if not s[5]]
    pushes = [s for s in ok if s[1] == "/api/sync/push"]
    records = sum(s[4] for s in seen if s[0] == "PHONE" and s[1] == "records")
    evenings = [s[2] for s in seen if s[0] == "PHONE" and s[1] == "evening"]
    phase = (max(p[3] + p[2] / 1000 for p in pushes) - min(p[3] for p in pushes)) if pushes else 0
    by_name: dict[str, list[float]] = {}
    for s in ok:
        by_name.setdefault(s[1], []).append(s[2])
    return {
        "db": args.db,
        "server": args.server,
        "workers": args.workers,
        "phones": args.phones,
        "rate": args.rate,
        "done": len(evenings),
        "gave_up": sum(1 for s in seen if s[0] == "PHONE" and s[1] == "gave_up"),
        "requests": len(real),
        "failures": sum(1 for s in real if s[5]),
        "p50_ms": _pct([s[2] for s in ok], 0.5),
        "p99_ms": _pct([s[2] for s in ok], 0.99),
        "p99_by_request_ms": {k: round(_pct(v, 0.99)) for k, v in sorted(by_name.items())},
        "records": records,
        "records_per_s": records / phase if phase else 0.0,
        "push_phase_s": phase,
        "evening_p50_s": _pct(evenings, 0.5) / 1000,
        "evening_p99_s": _pct(evenings, 0.99) / 1000,
        "wall_s": wall,
        "cpu_s": {k: round(v, 1) for k, v in cpu.items()},
        "load_avg_start": args.load_start,
        "load_avg_end": os.getloadavg()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--server", choices=("gunicorn", "werkzeug"), default="gunicorn")
    parser.add_argument("--workers", type=int, default=0, help="gunicorn -w (default: config)")
    parser.add_argument("--threads", type=int, default=0, help="gunicorn --threads")
    parser.add_argument("--phones", type=int, default=200, help="phones in all (Locust -u)")
    parser.add_argument("--rate", type=float, default=2.0, help="phones arriving per second")
    parser.add_argument("--duration", type=int, default=150, help="Locust -t, seconds")
    parser.add_argument("--households", type=int, default=4, help="per village, seeded")
    parser.add_argument("--residents", type=int, default=12, help="per village, seeded")
    parser.add_argument(
        "--password-share",
        type=float,
        default=0.1,
        help="share of phones signing in with their password (argon2) instead of a refresh",
    )
    parser.add_argument("--think", default="1,4", help="seconds between a phone's steps: lo,hi")
    parser.add_argument("--json", type=Path, help="also write the summary here")
    parser.add_argument("--server-log", type=Path, help="keep the server's log here")
    args = parser.parse_args()
    args.load_start = os.getloadavg()[0]
    os.environ.update(SECRETS)
    with tempfile.TemporaryDirectory(prefix="storm-") as tmp_name:
        tmp = Path(tmp_name)
        url, dbname = _database(args.db, tmp)
        try:
            started = time.perf_counter()
            accounts = _build(url, args)
            print(f"seeded {args.phones} villages in {time.perf_counter() - started:.0f} s")
            write_accounts(tmp / "accounts.json", accounts)
            port = _free_port()
            server = _server(url, args, port, tmp / "server.log")
            try:
                summary = _storm(args, tmp, port, server, dbname)
                print(json.dumps(summary, indent=2), flush=True)
                if args.json:
                    args.json.write_text(json.dumps(summary, indent=2))
            finally:
                server.terminate()
                try:
                    server.wait(timeout=45)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
                if args.server_log:
                    args.server_log.write_text((tmp / "server.log").read_text())
        finally:
            if dbname:
                from tests import pgdb

                pgdb.drop(PG_ADMIN, dbname)


def _storm(args, tmp: Path, port: int, server: subprocess.Popen, dbname: str | None) -> dict:
    env = {**os.environ, "STORM_ACCOUNTS": str(tmp / "accounts.json"),
           "STORM_OUT": str(tmp / "seen.json"), "STORM_THINK": args.think,
           "STORM_PASSWORD_SHARE": str(args.password_share), "PYTHONPATH": str(REPO)}  # fmt: skip
    command = [sys.executable, "-m", "locust", "-f", str(REPO / "bench/storm/locustfile.py")]
    command += ["--headless", "-u", str(args.phones), "-r", str(args.rate)]
    command += ["-t", f"{args.duration}s", "--host", f"http://127.0.0.1:{port}"]
    command += ["--only-summary", "--loglevel", "WARNING"]
    cpu = Cpu(dbname)
    wall = time.perf_counter()
    locust = subprocess.Popen(command, cwd=REPO, env=env)
    cpu.begin(psutil.Process(server.pid), psutil.Process(locust.pid))
    while locust.poll() is None:
        cpu.sample(psutil.Process(server.pid), psutil.Process(locust.pid))
        time.sleep(1)
    wall = time.perf_counter() - wall
    seen = json.loads((tmp / "seen.json").read_text())
    return summarise(seen, wall, cpu.used(), args)


if __name__ == "__main__":
    main()
