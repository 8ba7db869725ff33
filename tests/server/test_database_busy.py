"""A write that cannot get the database's lock in time answers 503 `database_busy`, never 500.

Another connection holds SQLite's write lock while the app, with a 100 ms busy timeout,
serves the request. SQLite-only apart from the classification table (PostgreSQL's lock and
serialization failures are classified the same way).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import psycopg.errors
import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from server.domain.accounts.model import Device
from server.extensions import db
from server.transactions import is_database_busy
from tests.dbapps import SQLITE_ONLY, dispose, sqlite_app, write_lock_held
from tests.factories import PASSWORD
from tests.server.test_transactions import household_push, sign_in

pytestmark = SQLITE_ONLY


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "busy.sqlite3"


@pytest.fixture
def busy_app(db_path: Path) -> Iterator[Flask]:
    app = sqlite_app(db_path, DATABASE_BUSY_TIMEOUT_MS=100)
    yield app
    dispose(app)


def test_a_push_that_cannot_get_the_lock_answers_503_database_busy_with_retry_after(
    busy_app: Flask, db_path: Path
) -> None:
    client = busy_app.test_client()
    headers = sign_in(client)

    with write_lock_held(db_path):
        answer = client.post("/api/sync/push", json=household_push(), headers=headers)

    assert answer.status_code == 503
    assert answer.get_json()["code"] == "database_busy"
    assert set(answer.get_json()) == {"code", "message", "errors"}
    assert int(answer.headers["Retry-After"]) >= 1


def test_a_sign_in_that_cannot_get_the_lock_answers_503_not_500(
    busy_app: Flask, db_path: Path
) -> None:
    client = busy_app.test_client()

    with write_lock_held(db_path):
        right = client.post("/api/auth/login", json=credentials(PASSWORD))
        wrong = client.post("/api/auth/login", json=credentials("not-the-password"))

    assert (right.status_code, right.get_json()["code"]) == (503, "database_busy")
    # A refusal is audited (auth.sign_in_failed), so it waits for the lock too: an unaudited
    # wrong guess is never answered.
    assert (wrong.status_code, wrong.get_json()["code"]) == (503, "database_busy")


def credentials(password: str) -> dict[str, str]:
    return {"username": "asst1", "password": password, "device_id": "phone-0001"}


def test_a_pull_while_another_connection_writes_still_answers_and_skips_the_stamp(
    busy_app: Flask, db_path: Path
) -> None:
    client = busy_app.test_client()
    headers = sign_in(client)

    with write_lock_held(db_path):
        answer = client.get("/api/sync/pull", headers=headers)

    assert answer.status_code == 200
    with busy_app.app_context():
        assert db.session.scalar(select(Device.last_sync_at)) is None


def _sqlite_error(sql: str, path: Path | None = None) -> OperationalError:
    """A real error from the sqlite3 driver, wrapped as SQLAlchemy wraps it."""
    connection = sqlite3.connect(path or ":memory:", timeout=0, isolation_level=None)
    try:
        connection.execute(sql)
    except sqlite3.OperationalError as error:
        return OperationalError(sql, {}, error)
    finally:
        connection.close()
    raise AssertionError(f"{sql!r} did not fail")


def _pg_error(cls: type[psycopg.Error]) -> OperationalError:
    return OperationalError("UPDATE device", {}, cls("from the server"))


def test_sqlite_locked_is_busy_and_other_sqlite_errors_are_not(db_path: Path) -> None:
    sqlite3.connect(db_path).execute("PRAGMA journal_mode=WAL").close()
    with write_lock_held(db_path):
        locked = _sqlite_error("BEGIN IMMEDIATE", db_path)

    assert is_database_busy(locked)
    assert not is_database_busy(_sqlite_error("SELECT * FROM no_such_table"))


@pytest.mark.parametrize(
    ("error", "busy"),
    [
        (psycopg.errors.LockNotAvailable, True),
        (psycopg.errors.SerializationFailure, True),
        (psycopg.errors.DeadlockDetected, True),
        (psycopg.errors.UndefinedTable, False),
        (psycopg.errors.QueryCanceled, False),
    ],
)
def test_postgresql_lock_and_serialization_failures_are_busy(
    error: type[psycopg.Error], busy: bool
) -> None:
    assert is_database_busy(_pg_error(error)) is busy
