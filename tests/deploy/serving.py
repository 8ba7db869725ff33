"""Run the deploy commands as an operator would: `flask --app wsgi …` and gunicorn, as processes.

Each server binds 127.0.0.1 on a free port and is stopped (SIGTERM, then SIGKILL) after use.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GUNICORN_CONF = REPO / "deploy" / "gunicorn.conf.py"
GUNICORN = (sys.executable, "-m", "gunicorn")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def deploy_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of the service: the worktree's code first, the given database."""
    env = {k: v for k, v in os.environ.items() if k not in {"WEB_CONCURRENCY", "GUNICORN_CMD_ARGS"}}
    env.update(
        PYTHONPATH=str(REPO),
        DATABASE_URL=database_url,
        SECRET_KEY="deploy-test-secret",
        JWT_SECRET_KEY="deploy-test-jwt-secret-of-enough-length",
        FLASK_APP="wsgi",
    )
    env.update(extra)
    return env


def flask(env: dict[str, str], *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    """`flask --app wsgi ARGS` from the repository root; fails the test on a non-zero exit."""
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"flask {' '.join(args)}: {done.stdout}\n{done.stderr}"
    return done


def health(url: str) -> int:
    try:
        with urllib.request.urlopen(url + "/api/health", timeout=5) as answer:
            return answer.status
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@contextmanager
def gunicorn(env: dict[str, str], log: Path, *args: str, wait: float = 60) -> Iterator[Server]:
    """gunicorn with deploy/gunicorn.conf.py, bound to a free 127.0.0.1 port, until /api/health."""
    port = free_port()
    with log.open("w") as out:
        process = subprocess.Popen(
            [*GUNICORN, "-c", str(GUNICORN_CONF), "-b", f"127.0.0.1:{port}", *args],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        deadline = time.monotonic() + wait
        while health(server.url) != 200:
            assert process.poll() is None, f"gunicorn exited: {server.output()}"
            assert time.monotonic() < deadline, f"no health answer: {server.output()}"
            time.sleep(0.2)
        yield server
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
