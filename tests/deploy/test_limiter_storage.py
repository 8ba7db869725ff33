"""The sign-in limiter's storage: warned about when per-process, shared through Redis when set."""

from __future__ import annotations

import importlib.util
import json
import logging
import socket
import uuid
from urllib.request import Request, urlopen

import pytest

from server import create_app
from server.config import limiter_storage_warning
from tests.dbapps import SQLITE_ONLY, dispose
from tests.deploy.serving import deploy_env, flask, gunicorn


@pytest.mark.parametrize(
    ("workers", "storage", "warns"),
    [
        (1, "memory://", False),  # threads of one process share its memory
        (2, "memory://", True),
        (4, "memory://", True),
        (4, "redis://127.0.0.1:6379/0", False),
        (4, "rediss://cache.example:6380/0", False),
        (4, "memcached://127.0.0.1:11211", False),
        (4, "", True),
    ],
)
def test_limiter_storage_warning_when_several_processes_count_alone(workers, storage, warns):
    warning = limiter_storage_warning(workers, storage)
    assert (warning is not None) is warns
    if warns:
        assert f"{workers} worker processes" in warning
        assert ".[redis]" in warning


def test_the_app_factory_warns_when_web_concurrency_says_several_workers(monkeypatch, caplog):
    monkeypatch.setenv("WEB_CONCURRENCY", "4")
    with caplog.at_level(logging.WARNING):
        app = create_app({"TESTING": True, "RATELIMIT_STORAGE_URI": "memory://"})
    dispose(app)
    assert any("UNSAFE SIGN-IN LIMIT" in r.getMessage() for r in caplog.records)


def test_the_app_factory_is_quiet_for_one_worker(monkeypatch, caplog):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    with caplog.at_level(logging.WARNING):
        app = create_app({"TESTING": True, "RATELIMIT_STORAGE_URI": "memory://"})
    dispose(app)
    assert not any("UNSAFE SIGN-IN LIMIT" in r.getMessage() for r in caplog.records)


def _redis_up() -> bool:
    if importlib.util.find_spec("redis") is None:
        return False
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def _failed_sign_in(url: str, username: str) -> int:
    body = {"username": username, "password": "wrong-password", "device_id": "device-01",
            "device_label": "phone"}  # fmt: skip
    request = Request(
        url + "/api/auth/login",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urlopen(request, timeout=10) as answer:
            return answer.status
    except Exception as error:  # urllib raises HTTPError for 4xx
        return getattr(error, "code", 0)


@SQLITE_ONLY
@pytest.mark.skipif(not _redis_up(), reason="needs Redis at 127.0.0.1:6379 and the redis package")
def test_two_servers_on_one_redis_share_the_sign_in_failure_count(tmp_path):
    """Two separate processes (as two gunicorn workers are): 3 failures on each trip the limit
    of 5 only when they count in one place."""
    url = f"sqlite:///{tmp_path / 'vha.sqlite3'}"
    prefix = f"vha-test-{uuid.uuid4().hex}"
    env = deploy_env(
        url,
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0",
        RATELIMIT_KEY_PREFIX=prefix,
        LOGIN_FAILURE_LIMIT="5 per minute",
    )
    flask(env, "db", "upgrade")
    with gunicorn(env, tmp_path / "a.log") as a, gunicorn(env, tmp_path / "b.log") as b:
        statuses = [_failed_sign_in(server.url, "nobody") for server in (a, b) * 3]
    assert statuses[:5] == [401] * 5
    assert statuses[5] == 429
