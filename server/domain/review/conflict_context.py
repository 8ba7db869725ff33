"""What a conflict card needs besides the two values: whose record, which form, when, and who
sent each value when.

The phone's value is the conflict's own (its author and time). The server's value is the one
an earlier write put there: the audit trail names who made the last write, before the conflict,
that set the field to that value (a supervisor's resolution, another phone's upload).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.core.audit import AuditEntry
from server.domain.accounts.model import User
from server.domain.records.form_labels import DefinitionCache, form_title
from server.domain.records.model import ServiceRecord
from server.domain.registry.model import Household, Resident
from sync.models import Conflict

MISSING = object()


def value_at(state: dict[str, Any] | None, field: str) -> Any:
    """A field of an audited snapshot (`data.<name>` inside `data`); MISSING when absent."""
    if not state:
        return MISSING
    if field.startswith("data."):
        return (state.get("data") or {}).get(field[5:], MISSING)
    return state.get(field, MISSING)


def server_value_source(entries: list[AuditEntry], conflict: Conflict) -> AuditEntry | None:
    """The last write before the conflict that set the field to the server's value."""
    found = None
    for entry in entries:
        after = value_at(entry.after, conflict.field)
        if after is MISSING or after != conflict.server_value:
            continue
        if value_at(entry.before, conflict.field) != after:
            found = entry
    return found


def _subject(session: Session, obj: Any, definitions: DefinitionCache) -> dict[str, Any]:
    if isinstance(obj, ServiceRecord):
        definition = definitions.get(obj.form_code, obj.form_version)
        resident = session.get(Resident, obj.resident_id) if obj.resident_id else None
        return {
            "resident": {"id": resident.id, "name": resident.name} if resident else None,
            "form_title": form_title(definition, obj.form_code),
            "visit_date": obj.visit_date,
            "record_id": obj.id,
        }
    if isinstance(obj, Resident):
        return {"resident": {"id": obj.id, "name": obj.name}}
    if isinstance(obj, Household):
        return {"household": {"id": obj.id, "address": obj.address, "head_name": obj.head_name}}
    return {}


def context(
    session: Session, conflicts: list[Conflict], rows: dict[int, Any]
) -> dict[int, dict[str, Any]]:
    """Per conflict id: its subject and who sent the server's value when."""
    definitions = DefinitionCache(session)
    out: dict[int, dict[str, Any]] = {}
    sources: dict[int, AuditEntry | None] = {}
    for conflict in conflicts:
        entries = list(
            session.scalars(
                select(AuditEntry)
                .where(
                    AuditEntry.entity == conflict.entity,
                    AuditEntry.entity_id == conflict.entity_id,
                )
                .order_by(AuditEntry.id)
            )
        )
        sources[conflict.id] = server_value_source(entries, conflict)
    actor_ids = {s.actor_id for s in sources.values() if s is not None and s.actor_id}
    actors = {u.id: u for u in session.scalars(select(User).where(User.id.in_(actor_ids)))}
    for conflict in conflicts:
        obj = rows.get(conflict.id)
        source = sources[conflict.id]
        out[conflict.id] = {
            **(_subject(session, obj, definitions) if obj is not None else {}),
            "server_by": actors.get(source.actor_id) if source and source.actor_id else None,
            "server_at": source.at if source else None,
        }
    return out
