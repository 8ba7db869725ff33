"""Apps of their own on a SQLite file, for tests that need other settings or a second connection.

The suite's `app` fixture is shared by the whole session; a test that shortens the busy timeout,
or holds SQLite's write lock from another connection, builds one of these instead.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from server import create_app
from server.core.db import Base
from server.domain.records.catalogue import load_definitions
from server.extensions import db
from tests.factories import make_world

# These tests build their own SQLite file whatever the pass, so they run once, in the SQLite one
# (the PostgreSQL pass deselects them: tests/passes.py).
SQLITE_ONLY = pytest.mark.sqlite_only


def sqlite_app(path: Path, **config: Any) -> Flask:
    """A new app on the SQLite file `path`, with the test world and the forms loaded."""
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "LOGIN_FAILURE_LIMIT": "1000 per minute",
            **config,
        }
    )
    with app.app_context():
        Base.metadata.create_all(db.engine)
        make_world(db.session)
        load_definitions(db.session)
        db.session.commit()
        db.session.remove()
    return app


def dispose(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@contextmanager
def write_lock_held(path: Path) -> Iterator[sqlite3.Connection]:
    """Another connection holds SQLite's write lock on `path` for the duration of the block."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield other
    finally:
        other.execute("ROLLBACK")
        other.close()
