"""The secrets file of a fresh install: created once, whole, however many workers start at once."""

from __future__ import annotations

import json
import multiprocessing
import os
import stat
import time

from server import create_app
from server.config import load_or_create_secrets

WORKERS = 16


def _start(instance: str, barrier, out) -> None:
    """One worker: wait for the others, then run the app factory on the shared instance dir."""
    try:
        barrier.wait(timeout=30)
        app = create_app({"TESTING": True}, instance_path=instance)
        out.put(("ok", app.config["SECRET_KEY"], app.config["JWT_SECRET_KEY"]))
    except Exception as error:  # the crash the test is about: report it, do not hang
        out.put(("crash", repr(error), ""))


def _load(instance: str, barrier, out) -> None:
    """One worker whose disk is slow: its write of the file takes a while, so the others look
    at the file while it is being written (the window where 3 of 40 starts crashed)."""
    real_dump = json.dump

    def slow_dump(obj, fh, **kw):
        time.sleep(0.2)
        real_dump(obj, fh, **kw)

    json.dump = slow_dump  # this forked worker's own module object
    try:
        barrier.wait(timeout=30)
        values = load_or_create_secrets(instance)
        out.put(("ok", values["SECRET_KEY"], values["JWT_SECRET_KEY"]))
    except Exception as error:
        out.put(("crash", repr(error), ""))


def _race(target, instance: str) -> list[tuple[str, str, str]]:
    context = multiprocessing.get_context("fork")
    barrier, out = context.Barrier(WORKERS), context.Queue()
    processes = [
        context.Process(target=target, args=(instance, barrier, out)) for _ in range(WORKERS)
    ]
    for process in processes:
        process.start()
    results = [out.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    return results


def test_app_factories_started_together_in_processes_share_one_secret(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("JWT_SECRET_KEY", raising=False)
    results = _race(_start, str(tmp_path / "instance"))
    assert [r for r in results if r[0] != "ok"] == []
    assert len({r[1:] for r in results}) == 1


def test_workers_never_read_a_half_written_secrets_file(tmp_path):
    results = _race(_load, str(tmp_path / "instance"))
    assert [r for r in results if r[0] != "ok"] == []
    assert len({r[1:] for r in results}) == 1


def test_the_secrets_file_is_private_and_no_temporary_file_is_left(tmp_path):
    load_or_create_secrets(tmp_path)
    mode = stat.S_IMODE(os.stat(tmp_path / "secrets.json").st_mode)
    assert mode == 0o600
    assert os.listdir(tmp_path) == ["secrets.json"]


def test_an_existing_secrets_file_is_read_not_replaced(tmp_path):
    first = load_or_create_secrets(tmp_path)
    assert load_or_create_secrets(tmp_path) == first


def test_the_documented_database_url_opens_the_default_file(tmp_path, monkeypatch):
    """README: `sqlite:///vha.sqlite3` (a relative path is taken inside instance/) is the
    default file, not instance/instance/vha.sqlite3."""
    from server.extensions import db

    def database_of(app) -> str:
        with app.app_context():
            return str(db.engine.url.database)

    monkeypatch.delenv("DATABASE_URL", raising=False)
    default = create_app(instance_path=str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", "sqlite:///vha.sqlite3")
    documented = create_app(instance_path=str(tmp_path))
    assert database_of(documented) == database_of(default) == str(tmp_path / "vha.sqlite3")
