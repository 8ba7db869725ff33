"""Many rows into one table with the driver's executemany, values converted once per column.

The bulk create path (sync/bulk.py) inserts a few thousand plain dicts per pushed batch. Through
`session.execute(insert(table), rows)` SQLAlchemy builds a parameter dict per row and runs every
value through its type's bind processor; on SQLite that bookkeeping cost more than the insert
itself (most of it re-formatting the same timestamp thousands of times). Here the statement is
compiled once per (table, columns), each column's bind processor (the same one SQLAlchemy would
use, so stored values are identical) is applied to the row's value, with dates and timestamps
converted once per distinct value, and the driver gets plain tuples.

Only for SQLite (qmark parameters, a driver executemany that is a plain loop in C); any other
database, or a table whose insert would need Python-side column defaults filled in, goes through
the ordinary Core insert.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

Processor = Callable[[Any], Any] | None
# (dialect, table name, column keys) -> (SQL, keys in parameter order, their processors);
# None: not eligible.
Compiled = tuple[str, tuple[str, ...], list[Processor]]
_COMPILED: dict[tuple[Dialect, str, tuple[str, ...]], Compiled | None] = {}


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert `rows` (dicts with the same keys) into `table`, in the session's transaction."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    compiled = _compiled(dialect, table, tuple(rows[0])) if dialect.name == "sqlite" else None
    if compiled is None:
        session.execute(insert(table), rows)
        return
    sql, keys, processors = compiled
    if session.autoflush:
        session.flush()  # as `session.execute` would: pending ORM rows first (foreign keys)
    columns = []
    for key, process in zip(keys, processors, strict=True):
        values = [row[key] for row in rows]
        if process is not None:
            values = _processed(values, process)
        columns.append(values)
    connection.exec_driver_sql(sql, list(zip(*columns, strict=True)))


def _processed(values: list[Any], process: Callable[[Any], Any]) -> list[Any]:
    """`process` over `values`; a date or timestamp object (a batch shares one `now`) converted
    once (by identity: equal instants in different zones format differently)."""
    if values and isinstance(values[0], date):
        done: dict[int, Any] = {}
        out = []
        for value in values:
            key = id(value)
            if key not in done:
                done[key] = process(value)
            out.append(done[key])
        return out
    return [process(value) for value in values]


def _compiled(dialect: Dialect, table: Table, keys: tuple[str, ...]) -> Compiled | None:
    cache_key = (dialect, table.name, keys)
    if cache_key not in _COMPILED:
        compiled = insert(table).compile(dialect=dialect, column_keys=list(keys))
        order = tuple(compiled.positiontup or ())
        if compiled.insert_prefetch or sorted(order) != sorted(keys):
            _COMPILED[cache_key] = None  # defaults to fill in, or an unexpected shape
        else:
            processors = [
                table.c[key].type.dialect_impl(dialect).bind_processor(dialect) for key in order
            ]
            _COMPILED[cache_key] = (compiled.string, order, processors)
    return _COMPILED[cache_key]
