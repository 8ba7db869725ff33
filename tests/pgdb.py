"""Creates and drops the throw-away PostgreSQL database of one test run.

`python -m tests.pgdb create <admin-url> <name>` prints the new database's URL;
`python -m tests.pgdb drop <admin-url> <name>` removes it.
"""

from __future__ import annotations

import sys

import psycopg
from psycopg import sql


def _connect(admin_url: str) -> psycopg.Connection:
    return psycopg.connect(admin_url, autocommit=True, connect_timeout=5)


def create(admin_url: str, name: str) -> str:
    """A new database whose commits do not wait for the disk: it is dropped after the run, so a
    crash may lose nothing worth keeping, and what a commit makes visible is unchanged."""
    with _connect(admin_url) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        conn.execute(
            sql.SQL("ALTER DATABASE {} SET synchronous_commit = off").format(sql.Identifier(name))
        )
    base, _, _ = admin_url.rpartition("/")
    return f"{base}/{name}"


def drop(admin_url: str, name: str) -> None:
    with _connect(admin_url) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def main(argv: list[str]) -> int:
    action, admin_url, name = argv
    try:
        if action == "create":
            print(create(admin_url, name))
        else:
            drop(admin_url, name)
    except psycopg.Error as exc:
        print(f"PostgreSQL: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
