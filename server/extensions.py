"""Extension objects, created unbound and attached to the app in `create_app`."""

from __future__ import annotations

from flask_jwt_extended import JWTManager
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from marshmallow import Schema, fields, validate
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

from server.core.db import Base
from server.core.problems import PROBLEMS
from server.transactions import (
    begin_statement,
    enter_writer_gate,
    leave_writer_gate,
    lock_wait_override_ms,
)

db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
jwt = JWTManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


class ErrorSchema(Schema):
    """The one shape of every API error, as sent (`server.errors`) and as documented."""

    code = fields.String(
        required=True,
        validate=validate.OneOf(sorted(PROBLEMS)),
        metadata={"description": "Stable problem code to switch on (docs/problems.md)."},
    )
    message = fields.String(
        required=True, metadata={"description": "English text for logs and developers."}
    )
    errors = fields.Dict(
        metadata={"description": "Per field, a list of messages; for a 413, the caps as ints."}
    )


class ProjectApi(Api):
    """flask-smorest's Api with every error answered, and documented, in the one JSON shape."""

    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error):  # type: ignore[override]
        from server.errors import http_error_response

        return http_error_response(error)


api = ProjectApi()


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, connection_record) -> None:
    """SQLite: enforce foreign keys, use WAL, and let SQLAlchemy drive transactions itself.

    Handing BEGIN to SQLAlchemy (isolation_level=None plus the `begin` hook below) is the
    documented pysqlite fix that makes SAVEPOINTs work and cheap, and lets write requests begin
    with `BEGIN IMMEDIATE` (see server/transactions.py). The busy timeout comes from the
    driver's `timeout` (`DATABASE_BUSY_TIMEOUT_MS`) and is remembered so a transaction may
    wait less. A 64 MB page cache keeps the indexes of a county's records in memory, and
    checkpointing the WAL every 10,000 pages (about 40 MB) instead of every 1,000 made a pushed
    batch of 500 records about a tenth faster: a checkpoint then writes each index page once
    for many batches, not once each.
    """
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.execute("PRAGMA wal_autocheckpoint=10000")
    busy_ms = cursor.execute("PRAGMA busy_timeout").fetchone()[0]
    connection_record.info["busy_ms"] = connection_record.info["busy_now"] = busy_ms
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(conn) -> None:
    if conn.dialect.name != "sqlite":
        return
    info = conn.connection.info
    wanted = lock_wait_override_ms()
    if wanted is None:
        wanted = info.get("busy_ms", 0)
    if info.get("busy_now") != wanted:
        conn.exec_driver_sql(f"PRAGMA busy_timeout={int(wanted)}")
        info["busy_now"] = wanted
    statement = begin_statement()
    if statement == "BEGIN IMMEDIATE":
        enter_writer_gate(info, str(conn.engine.url), int(wanted))
    try:
        conn.exec_driver_sql(statement)
    except BaseException:
        leave_writer_gate(info)
        raise


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _sqlite_on_end(conn) -> None:
    """The transaction ends: the next writer of this process may begin."""
    if conn.dialect.name == "sqlite":
        leave_writer_gate(conn.connection.info)


@event.listens_for(Pool, "checkin")
def _on_checkin(dbapi_connection, connection_record) -> None:
    if connection_record is not None:
        leave_writer_gate(connection_record.info)
