"""`flask --app wsgi backup`, and the restores docs/deploy.md prescribes, actually round-trip.

SQLite: the backup is taken while another connection keeps committing; the copy must be one
committed state (every row it holds is in the source, and at least what was committed before
the backup began), pass the integrity check, and serve once put in place. PostgreSQL: the same
command runs pg_dump; pg_restore into a new database gives back the same rows.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from server import create_app
from server.backup import prune
from server.config import normalise_database_url
from server.core.org import OrgUnit
from server.domain.orgs.tree import add_unit
from server.extensions import db
from sync.models import FeedCounter
from tests import pgdb
from tests.dbapps import SQLITE_ONLY, dispose
from tests.deploy.serving import deploy_env, flask, gunicorn

# docs/deploy.md, "Restore": every new change must land after every phone's cursor.
BUMP = (
    "INSERT INTO sync_counter (id, value) VALUES (1, 0) ON CONFLICT (id) DO NOTHING; "
    "UPDATE sync_counter SET value = value + 10000000;"
)


def _counter(url: str) -> int:
    app = create_app({"SQLALCHEMY_DATABASE_URI": normalise_database_url(url)})
    with app.app_context():
        value = db.session.scalar(select(FeedCounter.value)) or 0
    dispose(app)
    return value


def _units(url: str) -> set[str]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": normalise_database_url(url)})
    with app.app_context():
        codes = set(db.session.scalars(select(OrgUnit.code)))
    dispose(app)
    return codes


def _upgraded(url: str) -> dict[str, str]:
    env = deploy_env(url)
    flask(env, "db", "upgrade")
    flask(env, "load-forms")
    return env


class Writer(threading.Thread):
    """Keeps adding villages, one transaction each, until told to stop."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.app = create_app({"SQLALCHEMY_DATABASE_URI": normalise_database_url(url)})
        self.stopping = threading.Event()
        self.committed = 0

    def run(self) -> None:
        with self.app.app_context():
            county = add_unit(db.session, None, "county", "W0", "Writer county", 1)
            db.session.commit()
            while not self.stopping.is_set():
                add_unit(db.session, county, "township", f"W{self.committed + 1}", "t", 1)
                db.session.commit()
                self.committed += 1
        dispose(self.app)


@SQLITE_ONLY
def test_sqlite_backup_taken_during_writes_restores_one_committed_state(tmp_path):
    live = tmp_path / "instance" / "vha.sqlite3"
    live.parent.mkdir()
    env = _upgraded(f"sqlite:///{live}")
    writer = Writer(f"sqlite:///{live}")
    writer.start()
    while writer.committed < 20:
        threading.Event().wait(0.05)
    before = writer.committed
    backups = tmp_path / "backups"
    backups.mkdir()
    done = flask(env, "backup", str(backups))
    writer.stopping.set()
    writer.join(timeout=30)
    (copy,) = backups.glob("vha-*.sqlite3")
    assert f"Backup written: {copy}" in done.stdout
    assert oct(copy.stat().st_mode & 0o777) == "0o600"
    assert sqlite3.connect(copy).execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    # docs/deploy.md, "Restore (SQLite)": stop, put the copy in place, drop -wal/-shm, start.
    restored = tmp_path / "restored" / "vha.sqlite3"
    restored.parent.mkdir()
    shutil.copy2(copy, restored)
    with sqlite3.connect(restored) as conn:
        conn.executescript(BUMP)
    in_copy, in_source = _units(f"sqlite:///{restored}"), _units(f"sqlite:///{live}")
    assert in_copy <= in_source
    assert len(in_copy) - 1 >= before  # the county and every township committed before
    assert len(in_source) - 1 == writer.committed
    assert _counter(f"sqlite:///{restored}") >= 10_000_000
    restored_env = deploy_env(f"sqlite:///{restored}")
    flask(restored_env, "db", "upgrade")
    assert "(head)" in flask(restored_env, "db", "current").stdout
    with gunicorn(restored_env, tmp_path / "gunicorn.log") as server:
        assert server.process.poll() is None


@SQLITE_ONLY
def test_backup_into_a_directory_keeps_the_newest(tmp_path):
    for stamp in ("20261101-023000", "20261102-023000", "20261103-023000"):
        (tmp_path / f"vha-{stamp}.sqlite3").write_text("x")
    (tmp_path / "notes.txt").write_text("kept")
    gone = prune(tmp_path, keep=2)
    assert [p.name for p in gone] == ["vha-20261101-023000.sqlite3"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "notes.txt",
        "vha-20261102-023000.sqlite3",
        "vha-20261103-023000.sqlite3",
    ]


@pytest.fixture
def pg_admin() -> str:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pg_dump/pg_restore are required in CI (apt-get install postgresql-client)")
        pytest.skip("pg_dump/pg_restore not installed (apt-get install postgresql-client)")
    return url.rpartition("/")[0] + "/postgres"


@pytest.mark.postgres
def test_postgres_backup_restores_with_pg_restore_into_a_new_database(pg_admin, tmp_path):
    names = [f"vha_backup_{uuid.uuid4().hex[:8]}", f"vha_restore_{uuid.uuid4().hex[:8]}"]
    source, target = (pgdb.create(pg_admin, name) for name in names)
    try:
        env = _upgraded(source)
        app = create_app({"SQLALCHEMY_DATABASE_URI": normalise_database_url(source)})
        with app.app_context():
            county = add_unit(db.session, None, "county", "PGC", "County", 1)
            add_unit(db.session, county, "township", "PGT", "Township", 1)
            db.session.commit()
        dispose(app)
        dump = tmp_path / "vha.dump"
        flask(env, "backup", str(dump))
        # docs/deploy.md, "Restore (PostgreSQL)"

        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "-d", target, str(dump)], check=True
        )
        subprocess.run(["psql", "-q", "-d", target, "-c", BUMP], check=True)
        assert _units(target) == {"PGC", "PGT"}
        assert _counter(target) == _counter(source) + 10_000_000
        restored_env = deploy_env(target)
        flask(restored_env, "db", "upgrade")
        assert "(head)" in flask(restored_env, "db", "current").stdout
        forms = create_app({"SQLALCHEMY_DATABASE_URI": normalise_database_url(target)})
        with forms.app_context():
            from server.domain.records.model import FormDefinition

            assert db.session.scalar(select(func.count()).select_from(FormDefinition)) > 0
        dispose(forms)
    finally:
        for name in names:
            pgdb.drop(pg_admin, name)


def test_sqlite_path_is_the_file_of_the_url():
    from server.backup import sqlite_path

    assert sqlite_path("sqlite:////srv/vha/instance/vha.sqlite3") == Path(
        "/srv/vha/instance/vha.sqlite3"
    )
