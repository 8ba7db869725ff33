"""A synced row's state as plain JSON, and the small conversions every part of the engine uses.

`snapshot()` is the internal state (every snapshot field of the spec, unmasked: merges and
version history compare it); the audit trail keeps `spec.audit(snapshot)`; what phones
receive is `spec.shape`.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from sync.spec import EntitySpec


def scope_unit_of(obj: Any) -> int:
    """The org unit that decides who sees `obj` in the feed."""
    return getattr(obj, type(obj).__scope_column__)


def as_uuid(value: Any) -> uuid.UUID:
    """`uuid.UUID(str(value))`, remembered: a push reads each id in a batch several times
    (envelope, look-ups ahead, checks), and parsing was a twentieth of its time. ValueError
    for anything that is not a UUID, as `uuid.UUID`."""
    return value if isinstance(value, uuid.UUID) else _parse_uuid(str(value))


@lru_cache(maxsize=8192)
def _parse_uuid(text: str) -> uuid.UUID:
    return uuid.UUID(text)


def to_json(value: Any) -> Any:
    """Dates, UUIDs and nested values in the form they travel in over the wire."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return value


def snapshot(spec: EntitySpec, obj: Any) -> dict[str, Any]:
    """The row's synced state now (including `deleted`), JSON-ready."""
    state = {name: to_json(getattr(obj, name)) for name in spec.snapshot_fields}
    state["deleted"] = bool(getattr(obj, "deleted", False))
    return state


def stored_snapshot(session: Session, spec: EntitySpec, obj: Any) -> dict[str, Any] | None:
    """The row's state as the database holds it now (before unflushed changes), or None if new.

    Changes already flushed are part of what the database holds, so callers that flush early
    should pass `before` explicitly.
    """
    state = inspect(obj)
    if state.transient or state.pending:
        return None
    model = spec.model
    columns = [getattr(model, name) for name in (*spec.snapshot_fields, "deleted")]
    with session.no_autoflush:
        row = session.execute(
            select(*columns).where(model.__mapper__.primary_key[0] == state.identity[0])
        ).first()
    if row is None:
        return None
    out = {name: to_json(value) for name, value in row._mapping.items()}
    out["deleted"] = bool(out.get("deleted"))
    return out


def audit_view(spec: EntitySpec, state: dict[str, Any] | None) -> dict[str, Any] | None:
    """A snapshot as the audit trail stores it (the spec masks what must not be kept)."""
    return None if state is None else spec.audit(state)
