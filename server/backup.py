"""`flask --app wsgi backup DEST`: a consistent copy of the database while the server runs.

SQLite: the sqlite3 online backup API copies the database page by page under a read
transaction, so writers keep writing (WAL) and the copy is one committed state, never a torn
file as `cp` of a live database with its `-wal` file can be. PostgreSQL: `pg_dump` in its
custom format (one snapshot, restorable with `pg_restore`). docs/deploy.md says how to
schedule it and how to restore; tests/deploy/test_backup.py restores what it wrote.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from sqlalchemy.engine import make_url

PAGES_PER_STEP = 1024  # about 4 MB per step; writers get the database between steps


def sqlite_path(url: str) -> Path:
    """The file behind a `sqlite:///…` URL."""
    database = make_url(url).database
    if not database or database == ":memory:":
        raise click.ClickException("An in-memory SQLite database cannot be backed up.")
    return Path(database)


def backup_sqlite(source: Path, dest: Path) -> None:
    """Copy a live SQLite database to `dest` with the online backup API (never half-written)."""
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(source, timeout=30)
    try:
        out = sqlite3.connect(partial)
        try:
            src.backup(out, pages=PAGES_PER_STEP, sleep=0.005)
            out.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            if out.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise click.ClickException("The copy failed its integrity check.")
        finally:
            out.close()
    finally:
        src.close()
    os.chmod(partial, 0o600)
    partial.replace(dest)


def libpq_url(url: str) -> str:
    """The URL as pg_dump wants it: no SQLAlchemy driver suffix (`+psycopg`)."""
    parsed = make_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


def backup_postgres(url: str, dest: Path) -> None:
    """`pg_dump --format=custom` of the database into `dest`."""
    if shutil.which("pg_dump") is None:
        raise click.ClickException("pg_dump not found: apt-get install postgresql-client")
    partial = dest.with_name(dest.name + ".partial")
    done = subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", "--file", str(partial), libpq_url(url)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        raise click.ClickException(f"pg_dump failed: {done.stderr.strip()}")
    os.chmod(partial, 0o600)
    partial.replace(dest)


def target(dest: Path, is_sqlite: bool, now: datetime) -> Path:
    """A directory gets a time-stamped file name; anything else is the file itself."""
    if not dest.is_dir():
        return dest
    suffix = "sqlite3" if is_sqlite else "dump"
    return dest / f"vha-{now:%Y%m%d-%H%M%S}.{suffix}"


def prune(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups this command wrote into `directory`."""
    kinds = {".sqlite3", ".dump"}
    ours = sorted(p for p in directory.iterdir() if p.name.startswith("vha-") and p.suffix in kinds)
    gone = ours[:-keep] if keep > 0 else []
    for path in gone:
        path.unlink()
    return gone


@click.command("backup")
@click.argument("dest", type=click.Path(path_type=Path))
@click.option("--keep", default=0, show_default=True, help="With a directory: keep the newest N.")
def backup(dest: Path, keep: int) -> None:
    """Write a consistent copy of the database to DEST (a file, or a directory to name it in)."""
    url = str(current_app.config["SQLALCHEMY_DATABASE_URI"])
    is_sqlite = url.startswith("sqlite")
    out = target(dest, is_sqlite, datetime.now(UTC))
    if is_sqlite:
        backup_sqlite(sqlite_path(url), out)
    elif url.startswith("postgresql"):
        backup_postgres(url, out)
    else:
        raise click.ClickException(f"No backup for database URL {make_url(url).drivername}.")
    click.echo(f"Backup written: {out} ({out.stat().st_size:,} bytes)")
    if dest.is_dir() and keep:
        for path in prune(dest, keep):
            click.echo(f"Old backup removed: {path}")
