"""The synced entities: which model each name maps to, and a row's state as plain JSON.

`snapshot()` is the internal state (full id number, used for merges and version history);
`audit_view()` masks the id number for the audit trail; pull shapes live in sync/pull.py.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from server.domain.records.model import ServiceRecord
from server.domain.registry.idnumber import mask
from server.domain.registry.model import Household, Resident

ENTITIES: dict[str, type] = {
    "household": Household,
    "resident": Resident,
    "service_record": ServiceRecord,
}

# Fields a client may write through push, in the shared contract's `data` shape.
WRITABLE: dict[str, tuple[str, ...]] = {
    "household": ("address", "head_name", "low_income"),
    "resident": ("household_id", "name", "sex", "birth_date", "id_number", "phone", "tags"),
    "service_record": ("resident_id", "form_code", "form_version", "visit_date", "data"),
}

# The field that links a row to the row it belongs to, and that row's model: a row lives in the
# village of its household or resident.
PARENTS: dict[str, tuple[str, type]] = {
    "resident": ("household_id", Household),
    "service_record": ("resident_id", Resident),
}

# Server-side state also kept in snapshots (set by review, never by push).
SERVER_ONLY: dict[str, tuple[str, ...]] = {
    "service_record": ("review_status", "review_comment"),
}


def entity_name(obj: Any) -> str:
    """The feed name of a model instance (its table name: household, resident, ...)."""
    return type(obj).__tablename__


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


def _fields(entity: str) -> tuple[str, ...]:
    return WRITABLE.get(entity, ()) + SERVER_ONLY.get(entity, ())


def snapshot(obj: Any) -> dict[str, Any]:
    """The row's synced state now (including `deleted`), JSON-ready."""
    entity = entity_name(obj)
    state = {name: to_json(getattr(obj, name)) for name in _fields(entity)}
    state["deleted"] = bool(getattr(obj, "deleted", False))
    return state


def stored_snapshot(session: Session, obj: Any) -> dict[str, Any] | None:
    """The row's state as the database holds it now (before unflushed changes), or None if new.

    Changes already flushed are part of what the database holds, so callers that flush early
    should pass `before` explicitly.
    """
    state = inspect(obj)
    if state.transient or state.pending:
        return None
    model = type(obj)
    entity = entity_name(obj)
    columns = [getattr(model, name) for name in (*_fields(entity), "deleted")]
    with session.no_autoflush:
        row = session.execute(
            select(*columns).where(model.__mapper__.primary_key[0] == state.identity[0])
        ).first()
    if row is None:
        return None
    out = {name: to_json(value) for name, value in row._mapping.items()}
    out["deleted"] = bool(out.get("deleted"))
    return out


def audit_view(state: dict[str, Any] | None) -> dict[str, Any] | None:
    """A snapshot as the audit trail stores it: the id number masked."""
    if state is None or "id_number" not in state:
        return state
    return {**state, "id_number": mask(state["id_number"])}
