"""A pull writes the phone's outbox count only when it changed, and never waits long for it.

Every pull page carries `queued`; writing an unchanged count made every pull a writer, and
in the evening storm SQLite's one writer queued the pulls behind the pushes until they
answered 503. Another connection holds SQLite's write lock while the app (100 ms busy timeout)
serves the pull.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from server.domain.accounts.model import Device
from server.extensions import db
from server.transactions import enter_writer_gate, leave_writer_gate
from tests.dbapps import SQLITE_ONLY, dispose, sqlite_app, write_lock_held
from tests.server.test_transactions import sign_in

pytestmark = SQLITE_ONLY


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "pull.sqlite3"


@pytest.fixture
def busy_app(db_path: Path) -> Iterator[Flask]:
    app = sqlite_app(db_path, DATABASE_BUSY_TIMEOUT_MS=100)
    yield app
    dispose(app)


def _queued(app: Flask) -> int | None:
    with app.app_context():
        value = db.session.scalar(select(Device.queued))
        db.session.remove()
    return value


def test_a_pull_with_a_new_outbox_count_stores_it(busy_app: Flask) -> None:
    client = busy_app.test_client()
    headers = sign_in(client)

    answer = client.get("/api/sync/pull?queued=7", headers=headers)

    assert answer.status_code == 200
    assert _queued(busy_app) == 7


def test_a_pull_with_an_unchanged_outbox_count_answers_while_another_connection_writes(
    busy_app: Flask, db_path: Path
) -> None:
    client = busy_app.test_client()
    headers = sign_in(client)
    assert client.get("/api/sync/pull?queued=3", headers=headers).status_code == 200

    with write_lock_held(db_path):
        answer = client.get("/api/sync/pull?queued=3", headers=headers)

    assert answer.status_code == 200
    assert _queued(busy_app) == 3


def test_a_pull_with_a_changed_count_skips_storing_it_rather_than_wait_for_the_lock(
    busy_app: Flask, db_path: Path
) -> None:
    client = busy_app.test_client()
    headers = sign_in(client)
    assert client.get("/api/sync/pull?queued=3", headers=headers).status_code == 200

    with write_lock_held(db_path):
        answer = client.get("/api/sync/pull?queued=0", headers=headers)

    assert answer.status_code == 200
    assert _queued(busy_app) == 3  # stored at the phone's next contact (or its push)


@contextmanager
def writer_queue_held(app: Flask) -> Iterator[None]:
    """Another thread of this process is writing: it holds the process's writer queue."""
    with app.app_context():
        database = str(db.engine.url)
    info: dict = {}
    enter_writer_gate(info, database, 1000)
    try:
        yield
    finally:
        leave_writer_gate(info)


def test_a_first_pull_answers_while_another_thread_of_the_process_writes(
    busy_app: Flask,
) -> None:
    """The sync stamp and the outbox count both wait briefly in the queue, then give up."""
    client = busy_app.test_client()
    headers = sign_in(client)

    with writer_queue_held(busy_app):
        answer = client.get("/api/sync/pull?queued=5", headers=headers)

    assert answer.status_code == 200
    with busy_app.app_context():
        assert db.session.scalar(select(Device.last_sync_at)) is None
