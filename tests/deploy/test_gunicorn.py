"""deploy/gunicorn.conf.py starts the app as docs/deploy.md says, and warns about unsafe limits."""

from __future__ import annotations

import importlib.util

import pytest

from tests.dbapps import SQLITE_ONLY
from tests.deploy.serving import deploy_env, flask, gunicorn

pytestmark = SQLITE_ONLY

WARNING = "UNSAFE SIGN-IN LIMIT"


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory) -> str:
    """A SQLite file brought up as deploy.md's install does: `db upgrade`, then `load-forms`."""
    url = f"sqlite:///{tmp_path_factory.mktemp('deploy') / 'vha.sqlite3'}"
    env = deploy_env(url)
    flask(env, "db", "upgrade")
    assert "form definitions stored" in flask(env, "load-forms").stdout
    return url


def test_gunicorn_with_the_deploy_config_preloads_and_answers_health_on_sqlite(upgraded, tmp_path):
    """One worker with threads on SQLite; the app imported once, in the master (secrets)."""
    env = deploy_env(upgraded)
    with gunicorn(env, tmp_path / "gunicorn.log", "--log-level", "debug") as server:
        assert server.process.poll() is None
    log = server.output()
    assert "preload_app: True" in log
    assert "workers: 1" in log and "threads: 8" in log
    assert WARNING not in log


def test_several_workers_on_memory_storage_warn_loudly_at_start(upgraded, tmp_path):
    env = deploy_env(upgraded, RATELIMIT_STORAGE_URI="memory://")
    with gunicorn(env, tmp_path / "gunicorn.log", "-w", "2") as server:
        pass
    assert WARNING in server.output()
    assert "RATELIMIT_STORAGE_URI" in server.output()


@pytest.mark.skipif(importlib.util.find_spec("redis") is None, reason="needs the .[redis] extra")
def test_several_workers_on_redis_storage_start_without_the_warning(upgraded, tmp_path):
    env = deploy_env(upgraded, RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0")
    with gunicorn(env, tmp_path / "gunicorn.log", "-w", "2") as server:
        pass
    assert WARNING not in server.output()
