"""Sync conflicts as a supervisor sees them, and resolving one with a normal versioned write.

The sync engine keeps the losing value of a concurrent edit in a `Conflict` row. Resolving it
writes the chosen value (the server's, the phone's, or one typed by the supervisor) through
`server_write`, so it gets a new version, reaches every phone through the pull feed, and is
audited; the conflict row keeps who resolved it, when, and with what.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.core.audit import record_audit
from server.core.clock import local_today
from server.core.db import utcnow
from server.core.paging import paginate
from server.core.problems import (
    CONFLICT_ALREADY_RESOLVED,
    CONFLICT_FIELD_NOT_SETTABLE,
    CONFLICT_NOT_FOUND,
    CONFLICT_TARGET_GONE,
    CONFLICT_VALUE_INVALID,
    CONFLICT_VALUE_REQUIRED,
    NOT_FOUND,
    Problem,
)
from server.core.scope import get_in_scope, scoped, villages_in_scope
from server.domain.accounts.model import User
from server.domain.episodes.refresh import refresh_record
from server.domain.records.form_labels import DefinitionCache, field_label
from server.domain.records.formdata import validate_form_data
from server.domain.records.model import ServiceRecord
from server.domain.registry.idnumber import mask, sees_full_numbers
from server.domain.review.conflict_context import context
from server.domain.review.sensitive import conflict_for_viewer, typed_value_kept
from sync.changes import server_write
from sync.context import PushContext
from sync.entities import snapshot, to_json
from sync.fields import FieldError
from sync.models import Conflict
from sync.spec import Registry

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


def conflicts_of_author(session: Session, user: User, entity_id: str) -> list[Conflict]:
    """The caller's own values that lost on one row, open and resolved, oldest first: what the
    phone whose value lost shows on the record ("督导将处理…", then the outcome)."""
    stmt = (
        select(Conflict)
        .where(Conflict.author_id == user.id, Conflict.entity_id == entity_id)
        .order_by(Conflict.created_at, Conflict.id)
    )
    return list(session.scalars(stmt))


def _row(session: Session, registry: Registry, conflict: Conflict) -> Any:
    """The synced row a conflict is about, or None when it is gone."""
    spec = registry.get(conflict.entity)
    return session.get(spec.model, uuid.UUID(conflict.entity_id)) if spec else None


def _target(session: Session, registry: Registry, conflict: Conflict) -> Any:
    obj = _row(session, registry, conflict)
    if obj is None:
        raise Problem(CONFLICT_TARGET_GONE)
    return obj


def current_value(obj: Any, field: str) -> Any:
    """The value stored now for a conflict's field (`data.<name>`, a column, or `_deleted`)."""
    if field == DELETED:
        return bool(obj.deleted)
    if field.startswith("data."):
        return (obj.data or {}).get(field[5:])
    return to_json(getattr(obj, field, None))


def describe(
    session: Session, registry: Registry, conflicts: list[Conflict], user: User
) -> list[dict[str, Any]]:
    """Each conflict with both values side by side, the value stored now, and a readable label.

    Values of an ID number are shown in full to a supervisor only, as everywhere else.
    """
    definitions = DefinitionCache(session)
    authors = {
        u.id: u
        for u in session.scalars(select(User).where(User.id.in_({c.author_id for c in conflicts})))
    }
    rows = {conflict.id: _row(session, registry, conflict) for conflict in conflicts}
    about = context(session, conflicts, rows)
    out = []
    for conflict in conflicts:
        obj = rows[conflict.id]
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
        item = {
            "conflict": conflict,
            "label": label,
            "author": authors.get(conflict.author_id),
            **about[conflict.id],
            **values,
        }
        out.append(conflict_for_viewer(user, obj, item))
    return out


def _apply(
    session: Session, registry: Registry, user: User, obj: Any, field: str, value: Any
) -> None:
    """Put `value` into the row, validated as a push of the same field would be."""
    spec = registry.of(obj)
    if field == DELETED:
        obj.deleted = bool(value)
        return
    if field.startswith("data."):
        data = {**(obj.data or {}), field[5:]: value}
        if value is None:
            data.pop(field[5:])
        errors = validate_form_data(
            session, obj.form_code, obj.form_version, data, visit_date=obj.visit_date
        )
        if errors:
            raise Problem(CONFLICT_VALUE_INVALID, errors={"value": errors.get(field[5:]) or errors})
        obj.data = data
        return
    if field not in spec.writable:
        raise Problem(CONFLICT_FIELD_NOT_SETTABLE, errors={"value": ["Not settable."]}, field=field)
    today = local_today()
    try:
        parsed = spec.fields[field](value, today)
    except FieldError as exc:
        raise Problem(CONFLICT_VALUE_INVALID, errors={"value": [str(exc)]}) from None
    ctx = PushContext(session, registry, user, None, villages_in_scope(session, user), today)
    errors = spec.check(ctx, {**snapshot(spec, obj), field: to_json(parsed)})
    if errors:
        messages = errors.get(field) or next(iter(errors.values()))
        raise Problem(CONFLICT_VALUE_INVALID, errors={"value": messages})
    setattr(obj, field, parsed)
    link = spec.parent
    if link and field == link[0] and value is not None:
        parent = _linked(session, user, link[1].model, getattr(obj, field))
        obj.village_id = parent.village_id  # a row lives in the village of what it links to


def _linked(session: Session, user: User, model: type, ident: uuid.UUID) -> Any:
    """The household or resident a kept value links to: live, and in the caller's area."""
    try:
        parent = get_in_scope(session, model, ident, user, NOT_FOUND)
    except Problem:
        parent = None
    if parent is None or parent.deleted:
        name = model.__tablename__
        raise Problem(
            CONFLICT_VALUE_INVALID, errors={"value": [f"No such {name} in your area."]}
        ) from None
    return parent


def _audited(field: str, value: Any) -> Any:
    """The kept value as the audit trail stores it: an ID number masked, like every snapshot."""
    return mask(value) if field == "id_number" and isinstance(value, str) else value


def resolve(
    session: Session,
    registry: Registry,
    user: User,
    conflict_id: int,
    choice: str,
    value: Any = None,
    device_id: int | None = None,
) -> Conflict:
    """Keep the chosen value with a new version of the row; does not commit."""
    conflict = get_in_scope(session, Conflict, conflict_id, user, CONFLICT_NOT_FOUND)
    if conflict.status != "open":
        raise Problem(CONFLICT_ALREADY_RESOLVED)
    if choice == "custom" and value is None and conflict.field != DELETED:
        raise Problem(CONFLICT_VALUE_REQUIRED, errors={"value": [CONFLICT_VALUE_REQUIRED.message]})
    chosen = {"server": conflict.server_value, "client": conflict.client_value}.get(choice, value)
    obj = _target(session, registry, conflict)
    if choice == "custom":
        chosen = typed_value_kept(user, obj, conflict.field, chosen)
    spec = registry[conflict.entity]
    if current_value(obj, conflict.field) != chosen:
        _apply(session, registry, user, obj, conflict.field, chosen)
        server_write(
            session,
            spec,
            obj,
            actor_id=user.id,
            action="resolve_conflict",
            device_id=device_id,
            comment=f"Conflict on {conflict.field}: kept the {choice} value.",
        )
        if isinstance(obj, ServiceRecord):  # the kept value may move it to another resident
            refresh_record(session, obj, actor_id=user.id, device_id=device_id)
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
        unit_id=conflict.village_id,
    )
    session.flush()
    return conflict
