"""SQLite transactions under concurrency: writers take the lock up front, readers never wait.

SQLite-only: `BEGIN IMMEDIATE` and its write lock are SQLite's; PostgreSQL keeps its own
transactions (its lock waits end as 503 too, see test_database_busy.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import event

from server.extensions import db
from tests.dbapps import SQLITE_ONLY, dispose, sqlite_app
from tests.factories import PASSWORD

pytestmark = SQLITE_ONLY


@pytest.fixture
def file_app(tmp_path: Path) -> Iterator[Flask]:
    app = sqlite_app(tmp_path / "tx.sqlite3")
    yield app
    dispose(app)


def begins_of(app: Flask, call) -> list[str]:
    """The BEGIN statements SQLite saw while `call()` ran, in order."""
    seen: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.startswith("BEGIN"):
            seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return seen


def sign_in(client, device_id: str = "phone-0001") -> dict[str, str]:
    answer = client.post(
        "/api/auth/login",
        json={
            "username": "asst1",
            "password": PASSWORD,
            "device_id": device_id,
            "device_label": "test",
        },
    )
    assert answer.status_code == 200, answer.get_json()
    return {"Authorization": f"Bearer {answer.get_json()['access_token']}"}


def household_push() -> dict:
    mutation = {
        "mutation_id": str(uuid.uuid4()),
        "entity": "household",
        "op": "create",
        "id": str(uuid.uuid4()),
        "base_version": None,
        "data": {"address": "村口1号", "head_name": "王建国"},
        "client_time": "2026-11-02T09:30:00+08:00",
    }
    return {"device_id": "phone-0001", "mutations": [mutation]}


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"),
    [
        ("GET", "/api/me", None, ["BEGIN"]),
        ("GET", "/api/households", None, ["BEGIN"]),
        ("POST", "/api/sync/push", household_push(), ["BEGIN IMMEDIATE"]),
        ("POST", "/api/auth/logout", None, ["BEGIN IMMEDIATE"]),
    ],
)
def test_a_request_begins_immediate_only_when_its_method_writes(
    file_app: Flask, method: str, path: str, body, expected: list[str]
) -> None:
    client = file_app.test_client()
    headers = sign_in(client)

    begins = begins_of(
        file_app, lambda: client.open(path, method=method, json=body, headers=headers)
    )

    assert begins == expected


def test_sign_in_reads_as_a_reader_then_writes_in_one_immediate_transaction(
    file_app: Flask,
) -> None:
    client = file_app.test_client()

    assert begins_of(file_app, lambda: sign_in(client)) == ["BEGIN", "BEGIN IMMEDIATE"]


def test_a_pull_to_the_end_stamps_the_device_in_a_separate_immediate_transaction(
    file_app: Flask,
) -> None:
    client = file_app.test_client()
    headers = sign_in(client)

    begins = begins_of(file_app, lambda: client.get("/api/sync/pull", headers=headers))

    assert begins == ["BEGIN", "BEGIN IMMEDIATE"]


def test_a_second_pull_within_the_stamp_interval_writes_nothing(file_app: Flask) -> None:
    client = file_app.test_client()
    headers = sign_in(client)
    client.get("/api/sync/pull", headers=headers)

    begins = begins_of(file_app, lambda: client.get("/api/sync/pull", headers=headers))

    assert begins == ["BEGIN"]
