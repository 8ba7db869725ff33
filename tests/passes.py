"""Which pass of tests/run.sh runs which test.

The PostgreSQL pass exists to test the dialect, so it leaves out the tests that open no database
(pure functions, contract tables, parsers, definition checks) and those on a SQLite file of their
own; the SQLite pass runs every test. What "opens a database" means is read off each test's
fixtures, so a new test needs no marker: it uses the database if it needs `app` or
`empty_database_url` (or `module_empty_database_url`; directly or through `world`, `client`,
`auth`, …), or is marked `database` (it reaches the pass's database another way), `postgres` or
`sqlite_only`. The SQLite pass keeps the split honest: a test it counts as opening no database
fails if it opens a connection.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from sqlalchemy import event
from sqlalchemy.pool import Pool

DATABASE_FIXTURES = frozenset({"app", "empty_database_url", "module_empty_database_url"})
DATABASE_MARKERS = ("database", "postgres", "sqlite_only", "browser")
# The browser tests' servers run on SQLite files of their own, as the sqlite_only tests do.
OWN_SQLITE_MARKERS = ("sqlite_only", "browser")


def on_postgres() -> bool:
    return os.environ.get("TEST_DATABASE_URL", "").startswith("postgres")


def uses_database(item: pytest.Item) -> bool:
    """Whether the test opens a database: the pass's own, or a SQLite file of its own."""
    if DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ())):
        return True
    return any(item.get_closest_marker(name) for name in DATABASE_MARKERS)


def runs_on_postgres(item: pytest.Item) -> bool:
    own_sqlite = any(item.get_closest_marker(name) for name in OWN_SQLITE_MARKERS)
    return uses_database(item) and not own_sqlite


def leave_out_of_postgres(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In the PostgreSQL pass, deselect the tests that do not run there."""
    if not on_postgres():
        return
    kept = [item for item in items if runs_on_postgres(item)]
    left = [item for item in items if not runs_on_postgres(item)]
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept
    config.stash[_LEFT_TO_SQLITE] = len(left)


_LEFT_TO_SQLITE = pytest.StashKey[int]()


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    left = config.stash.get(_LEFT_TO_SQLITE, 0)
    if left:
        terminalreporter.write_line(
            f"PostgreSQL pass: {left} tests that open no database (or a SQLite file of their "
            "own) are deselected; the SQLite pass runs them (tests/passes.py)"
        )


@contextmanager
def connections_opened() -> Iterator[list[str]]:
    """Within the block, every connection taken from a SQLAlchemy pool or opened by psycopg is
    listed (by the driver's module)."""
    opened: list[str] = []

    def checkout(dbapi_connection, record, proxy) -> None:
        opened.append(type(dbapi_connection).__module__)

    connect = psycopg.connect

    def psycopg_connect(*args, **kwargs):
        opened.append("psycopg")
        return connect(*args, **kwargs)

    psycopg.connect = psycopg_connect
    event.listen(Pool, "checkout", checkout)
    try:
        yield opened
    finally:
        event.remove(Pool, "checkout", checkout)
        psycopg.connect = connect


@pytest.fixture(autouse=True)
def _opens_no_database_unless_it_says_so(request: pytest.FixtureRequest) -> Iterator[None]:
    """In the SQLite pass, a test counted as opening no database must open none: else the
    PostgreSQL pass would wrongly leave it out."""
    if on_postgres() or uses_database(request.node):
        yield
        return
    with connections_opened() as opened:
        yield
    if opened:
        pytest.fail(
            f"this test opened a database connection ({', '.join(sorted(set(opened)))}) but "
            "needs no database fixture (`app`, `empty_database_url`), so the PostgreSQL pass "
            "leaves it out: request one, or mark it `database` (or `sqlite_only`); see "
            "tests/passes.py",
            pytrace=False,
        )
