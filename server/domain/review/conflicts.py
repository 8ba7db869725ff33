"""Sync conflicts as a supervisor sees them, and resolving one with a normal versioned write.

The sync engine keeps the losing value of a concurrent edit in a `Conflict` row. Resolving it
writes the chosen value (the server's, the phone's, or one typed by the supervisor) through
`server_write`, so it gets a new version, reaches every phone through the pull feed, and is
audited; the conflict row keeps who resolved it, when, and with what.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.core.audit import record_audit
from server.core.db import utcnow
from server.core.paging import paginate
from server.core.problems import ApiError
from server.core.scope import get_in_scope, scoped
from server.domain.accounts.model import User
from server.domain.records.catalogue import validate_form_data
from server.domain.records.form_labels import DefinitionCache, field_label
from server.domain.records.model import ServiceRecord
from server.domain.registry.idnumber import id_number_problem, mask, sees_full_numbers
from sync.changes import server_write
from sync.entities import ENTITIES, PARENTS, WRITABLE, to_json
from sync.models import Conflict

CHOICES = ("server", "client", "custom")
DELETED = "_deleted"


def open_conflicts(
    session: Session, user: User, page: int = 1, per_page: int = 50
) -> tuple[list[Conflict], int]:
    """Open conflicts in the caller's area, newest first."""
    stmt = (
        scoped(select(Conflict), Conflict, user)
        .where(Conflict.status == "open")
        .order_by(Conflict.created_at.desc(), Conflict.id.desc())
    )
    found = paginate(session, stmt, page, per_page)
    return found.items, found.total


def _target(session: Session, conflict: Conflict) -> Any:
    model = ENTITIES.get(conflict.entity)
    obj = session.get(model, uuid.UUID(conflict.entity_id)) if model else None
    if obj is None:
        raise ApiError(404, message="The record this conflict is about no longer exists.")
    return obj


def current_value(obj: Any, field: str) -> Any:
    """The value stored now for a conflict's field (`data.<name>`, a column, or `_deleted`)."""
    if field == DELETED:
        return bool(obj.deleted)
    if field.startswith("data."):
        return (obj.data or {}).get(field[5:])
    return to_json(getattr(obj, field, None))


def describe(session: Session, conflicts: list[Conflict], user: User) -> list[dict[str, Any]]:
    """Each conflict with both values side by side, the value stored now, and a readable label.

    Values of an ID number are shown in full to a supervisor only, as everywhere else.
    """
    definitions = DefinitionCache(session)
    authors = {
        u.id: u
        for u in session.scalars(select(User).where(User.id.in_({c.author_id for c in conflicts})))
    }
    out = []
    for conflict in conflicts:
        model = ENTITIES.get(conflict.entity)
        obj = session.get(model, uuid.UUID(conflict.entity_id)) if model else None
        label = conflict.field
        if isinstance(obj, ServiceRecord) and conflict.field.startswith("data."):
            definition = definitions.get(obj.form_code, obj.form_version) or {}
            for field in definition.get("fields", []):
                if field["name"] == conflict.field[5:]:
                    label = field_label(field)
        values = {
            "server_value": conflict.server_value,
            "client_value": conflict.client_value,
            "current_value": current_value(obj, conflict.field) if obj else None,
            "resolved_value": conflict.resolved_value,
        }
        if conflict.field == "id_number" and not sees_full_numbers(user.role):
            values = {k: mask(v) if isinstance(v, str) else v for k, v in values.items()}
        out.append(
            {
                "conflict": conflict,
                "label": label,
                "author": authors.get(conflict.author_id),
                **values,
            }
        )
    return out


def _column_value(obj: Any, name: str, value: Any) -> Any:
    """A JSON value as the column holds it (dates and ids are strings on the wire)."""
    python_type = type(obj).__table__.c[name].type.python_type
    if value is None or isinstance(value, python_type):
        return value
    try:
        if python_type is date:
            return date.fromisoformat(value)
        if python_type is uuid.UUID:
            return uuid.UUID(str(value))
    except (TypeError, ValueError):
        raise ApiError(422, errors={"value": [f"Not a valid value for {name}."]}) from None
    return value


def _apply(session: Session, user: User, obj: Any, field: str, value: Any) -> None:
    """Put `value` into the row, validated as a push of the same field would be."""
    if field == DELETED:
        obj.deleted = bool(value)
        return
    if field.startswith("data."):
        data = {**(obj.data or {}), field[5:]: value}
        if value is None:
            data.pop(field[5:])
        errors = validate_form_data(session, obj.form_code, obj.form_version, data)
        if errors:
            raise ApiError(422, errors={"value": errors.get(field[5:]) or errors})
        obj.data = data
        return
    if field not in WRITABLE.get(type(obj).__tablename__, ()):
        raise ApiError(422, errors={"value": [f"{field} cannot be set here."]})
    if field == "id_number" and value:
        problem = id_number_problem(str(value))
        if problem:
            raise ApiError(422, errors={"value": [problem]})
    setattr(obj, field, _column_value(obj, field, value))
    link = PARENTS.get(type(obj).__tablename__)
    if link and field == link[0] and value is not None:
        parent = _linked(session, user, link[1], getattr(obj, field))
        obj.village_id = parent.village_id  # a row lives in the village of what it links to


def _linked(session: Session, user: User, model: type, ident: uuid.UUID) -> Any:
    """The household or resident a kept value links to: live, and in the caller's area."""
    try:
        parent = get_in_scope(session, model, ident, user)
    except ApiError:
        parent = None
    if parent is None or parent.deleted:
        name = model.__tablename__
        raise ApiError(422, errors={"value": [f"No such {name} in your area."]}) from None
    return parent


def _audited(field: str, value: Any) -> Any:
    """The kept value as the audit trail stores it: an ID number masked, like every snapshot."""
    return mask(value) if field == "id_number" and isinstance(value, str) else value


def resolve(
    session: Session,
    user: User,
    conflict_id: int,
    choice: str,
    value: Any = None,
    device_id: int | None = None,
) -> Conflict:
    """Keep the chosen value with a new version of the row; does not commit."""
    conflict = get_in_scope(session, Conflict, conflict_id, user)
    if conflict.status != "open":
        raise ApiError(409, message="This conflict has already been resolved.")
    if choice == "custom" and value is None and conflict.field != DELETED:
        raise ApiError(422, errors={"value": ["Type the value to keep."]})
    chosen = {"server": conflict.server_value, "client": conflict.client_value}.get(choice, value)
    obj = _target(session, conflict)
    if current_value(obj, conflict.field) != chosen:
        _apply(session, user, obj, conflict.field, chosen)
        server_write(
            session,
            obj,
            actor_id=user.id,
            action="resolve_conflict",
            device_id=device_id,
            comment=f"Conflict on {conflict.field}: kept the {choice} value.",
        )
    conflict.status = "resolved"
    conflict.resolved_by_id = user.id
    conflict.resolved_at = utcnow()
    conflict.resolved_value = chosen
    record_audit(
        session,
        actor_id=user.id,
        device_id=device_id,
        entity="conflict",
        entity_id=conflict.id,
        action="resolve",
        before={"status": "open"},
        after={"status": "resolved", "choice": choice, "value": _audited(conflict.field, chosen)},
    )
    session.flush()
    return conflict
