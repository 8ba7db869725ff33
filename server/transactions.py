"""Which transactions take SQLite's write lock up front, and what "the database is busy" means.

SQLite in WAL mode lets readers run beside one writer, but a transaction that began with a read
(a plain deferred `BEGIN`) and writes later must upgrade its snapshot to the write lock; if any
other connection committed in between, the upgrade fails at once with SQLITE_BUSY, which the
busy timeout does not cover. So a request that writes takes the lock with `BEGIN IMMEDIATE`
before its first statement (as Django's and Rails' SQLite backends do) and waits its turn there,
under the busy timeout; a request that only reads begins deferred and never waits for writers.

SQLite's busy handler polls with growing sleeps and favours no one, so under load a writer can
lose the race for the lock again and again until its timeout. The writers of one process
therefore queue on a lock of their own first (`writer_gate`), which hands over at once on
release; only writers in other processes (gunicorn -w 2) meet at SQLite's busy handler.

By default the HTTP method decides (GET, HEAD and OPTIONS read, the rest write). Views whose
shape differs say so: `reading()` for the read part of a writing request (sign-in reads the
user before it hashes), `write_transaction()` for a short write inside a reading one (the
export's audit row, the pull's "last synced" stamp).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import has_request_context, request
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# SQLite primary result codes for "another connection holds the lock".
SQLITE_BUSY, SQLITE_LOCKED = 5, 6
# PostgreSQL: lock_timeout expired, serialization failure, deadlock: all worth a retry.
PG_RETRYABLE = frozenset({"55P03", "40001", "40P01"})

_gates: dict[str, threading.Lock] = {}
_gates_guard = threading.Lock()

_intent: ContextVar[str | None] = ContextVar("vha_db_intent", default=None)
_lock_wait_ms: ContextVar[int | None] = ContextVar("vha_db_lock_wait_ms", default=None)


def begin_statement() -> str:
    """The SQL that opens the next SQLite transaction in this context."""
    intent = _intent.get()
    if intent is None:
        writes = has_request_context() and request.method not in READ_METHODS
        intent = "write" if writes else "read"
    return "BEGIN IMMEDIATE" if intent == "write" else "BEGIN"


def lock_wait_override_ms() -> int | None:
    """A busy timeout for this context's next transaction, instead of the configured one."""
    return _lock_wait_ms.get()


@contextmanager
def reading() -> Iterator[None]:
    """Transactions begun inside the block are readers, whatever the request's method."""
    token = _intent.set("read")
    try:
        yield
    finally:
        _intent.reset(token)


@contextmanager
def writing() -> Iterator[None]:
    """Every transaction begun in the block takes the write lock first: for code outside a
    request that writes (a script, a test reaching into a running server's database)."""
    token = _intent.set("write")
    try:
        yield
    finally:
        _intent.reset(token)


@contextmanager
def write_transaction(session: Session, lock_wait_ms: int | None = None) -> Iterator[None]:
    """End the current (read) transaction, run the block in one holding the write lock, commit.

    `lock_wait_ms` shortens how long SQLite waits for the lock, for writes that may be skipped.
    """
    session.commit()
    intent, wait = _intent.set("write"), _lock_wait_ms.set(lock_wait_ms)
    try:
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        _intent.reset(intent)
        _lock_wait_ms.reset(wait)


class DatabaseBusy(Exception):
    """This process's writers queued longer than the busy timeout for the write lock."""


def enter_writer_gate(info: dict, database: str, wait_ms: int) -> None:
    """Wait up to `wait_ms` for this process's turn to write to `database`; keep it in `info`."""
    with _gates_guard:
        gate = _gates.setdefault(database, threading.Lock())
    if not gate.acquire(timeout=wait_ms / 1000) if wait_ms > 0 else not gate.acquire(False):
        raise DatabaseBusy(f"waited {wait_ms} ms for the write lock")
    info["writer_gate"] = gate


def leave_writer_gate(info: dict) -> None:
    gate = info.pop("writer_gate", None)
    if gate is not None:
        gate.release()


def is_database_busy(error: BaseException) -> bool:
    """True when the database refused because other transactions hold what this one needs."""
    if isinstance(error, DatabaseBusy):
        return True
    if not isinstance(error, DBAPIError):
        return False
    original = error.orig
    code = getattr(original, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED)
    sqlstate = getattr(original, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate in PG_RETRYABLE
    return "database is locked" in str(original)
