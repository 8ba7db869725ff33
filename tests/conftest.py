"""Shared fixtures: an app on SQLite (or on PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

# Every app the suite starts (live servers and subprocesses too) hashes at the cheap cost:
# the suite signs in thousands of times (server/domain/accounts/passwords.py).
os.environ.setdefault("PASSWORD_HASH_COST", "test")

from flask import Flask
from flask.testing import FlaskClient

from server import create_app
from server.core.db import Base
from server.extensions import db, limiter
from tests import pgdb
from tests.factories import PASSWORD, World, make_world
from tests.passes import (  # noqa: F401 (the fixture and the hook are pytest's)
    _opens_no_database_unless_it_says_so,
    leave_out_of_postgres,
    on_postgres,
    pytest_terminal_summary,
    uses_database,
)
from tests.problem_check import CheckingClient


def _database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    from server.config import normalise_database_url

    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": normalise_database_url(_database_url(tmp_path_factory)),
        }
    )
    app.test_client_class = CheckingClient  # every API error the suite sees must conform
    with app.app_context():
        Base.metadata.drop_all(db.engine)
        Base.metadata.create_all(db.engine)
    yield app
    with app.app_context():
        db.engine.dispose()


@contextmanager
def _empty_database(directory: Path) -> Iterator[str]:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{directory / 'empty.sqlite3'}"
        return
    admin = url.rpartition("/")[0] + "/postgres"
    name = f"vha_empty_{uuid.uuid4().hex[:10]}"
    created = pgdb.create(admin, name)
    yield created
    pgdb.drop(admin, name)


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    """A new, empty database of the kind the suite runs on, for migrations and the demo CLI."""
    with _empty_database(tmp_path) as url:
        yield url


@pytest.fixture(scope="module")
def module_empty_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same, shared by a module whose tests only read what one command built in it."""
    with _empty_database(tmp_path_factory.mktemp("empty")) as url:
        yield url


@pytest.fixture(autouse=True)
def _clean_database(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test that opens a database starts from empty tables and a fresh rate limiter, in
    the suite app's context; one that opens none (tests/passes.py) costs nothing here."""
    if not uses_database(request.node):
        yield
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()
        _empty_tables()
        limiter.reset()


def _empty_tables() -> None:
    tables = list(reversed(Base.metadata.sorted_tables))
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # one round trip, not one per table
            conn.exec_driver_sql("; ".join(f'DELETE FROM "{table.name}"' for table in tables))
            return
        for table in tables:
            conn.execute(table.delete())


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def world(app: Flask) -> World:
    return make_world(db.session)


class AuthActions:
    """Signs users in through the real endpoint and hands back headers."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, username: str, password: str = PASSWORD, device_id: str | None = None):
        return self._client.post(
            "/api/auth/login",
            json={
                "username": username,
                "password": password,
                "device_id": device_id or f"dev-{uuid.uuid4().hex[:12]}",
                "device_label": "test phone",
            },
        )

    def tokens(self, username: str, **kw) -> dict:
        response = self.login(username, **kw)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def headers(self, username: str, **kw) -> dict[str, str]:
        return bearer(self.tokens(username, **kw)["access_token"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`postgres` tests run in the PostgreSQL pass of tests/run.sh (required there in CI);
    `slow` ones (longer randomised profiles) only with RUN_SLOW=1."""
    no_postgres = pytest.mark.skip(reason="needs PostgreSQL: runs in the PostgreSQL pass")
    not_slow = pytest.mark.skip(reason="longer profile: set RUN_SLOW=1 to run it")
    run_slow = os.environ.get("RUN_SLOW") == "1"
    leave_out_of_postgres(config, items)
    for item in items:
        if "postgres" in item.keywords and not on_postgres():
            item.add_marker(no_postgres)
        if "slow" in item.keywords and not run_slow:
            item.add_marker(not_slow)
