"""Applying one pushed mutation (create, update, delete): reading and writing, not deciding.

`sync.decide` says what becomes of the mutation; here the row, its base and its parent are
read, and what was decided is written with its feed entry, version snapshot and audit row
(through `server_write`). Each function returns the result or raises `Rejection` having
written nothing that the caller's savepoint would keep.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sync import decide
from sync.changes import save_version, server_write, version_state
from sync.context import PushContext
from sync.decide import Decision, Link, RowFacts
from sync.entities import as_uuid, snapshot, to_json
from sync.merge import unflatten
from sync.models import Conflict
from sync.rejection import invalid, not_found
from sync.shapes import feed_item
from sync.spec import EntitySpec
from sync.validate import parse_fields

Preloaded = dict[tuple[type, uuid.UUID], Any]
PLAIN = (str, int, float, bool, type(None))


def answer(
    ctx: PushContext, spec: EntitySpec, mutation: dict[str, Any], status: str, obj: Any, **extra
) -> dict[str, Any]:
    result = {
        "mutation_id": mutation["mutation_id"],
        "status": status,
        "id": str(obj.id),
        "version": obj.version,
        **extra,
    }
    if status in ("merged", "conflict"):
        result["record"] = feed_item(spec, obj, ctx.user)
    return result


def load(ctx: PushContext, spec: EntitySpec, ident: Any) -> Any:
    """A row the user may write, or None (out of scope looks exactly like missing)."""
    obj = ctx.session.get(spec.model, as_uuid(ident))
    if obj is None or obj.village_id not in ctx.villages:
        return None
    return obj


def parent_id(spec: EntitySpec, data: Any) -> uuid.UUID | None:
    """The id of the row a create links to, if it names one."""
    if spec.parent is None or not isinstance(data, dict):
        return None
    try:
        return as_uuid(data[spec.parent[0]])
    except (KeyError, ValueError):
        return None


def _link(
    ctx: PushContext, spec: EntitySpec, values: dict[str, Any], preloaded: Preloaded | None = None
) -> Link | None:
    """The row `values` link the new or changed row to, if they name one (see `resolve_link`).

    `preloaded` holds `(id, village_id, deleted)` rows read ahead for a batch, so a check
    costs no query; anything not in it is loaded.
    """
    if spec.parent is None:
        return None
    name, parent_spec = spec.parent
    ident = values.get(name)
    if ident is None:
        return None
    row = preloaded.get((parent_spec.model, ident)) if preloaded else None
    if row is None:
        row = ctx.session.get(parent_spec.model, as_uuid(ident))
    parent = Link(row.id, row.village_id, bool(row.deleted)) if row is not None else None
    successor = None
    if parent is not None and parent.deleted and parent.village_id in ctx.villages:
        found = parent_spec.successor(ctx.session, row.id) if parent_spec.successor else None
        if found is not None:
            successor = Link(found.id, found.village_id, bool(found.deleted))
    target = decide.resolve_link(
        name, parent_spec.label, parent, successor, ctx.villages, parent_spec.elsewhere
    )
    if target is not parent:
        values[name] = target.id
    return target


def _snapshot(spec: EntitySpec, row: dict[str, Any]) -> dict[str, Any]:
    """`sync.entities.snapshot` of a new row, from its column values.

    Nested fields are taken as they came off the wire: JSON values already, and only stored
    if the spec's check (which accepts JSON types only) passes them.
    """
    state = {}
    for name in spec.snapshot_fields:
        value = row[name]
        state[name] = value if name in spec.nested or type(value) in PLAIN else to_json(value)
    state["deleted"] = False
    return state


def prepare_create(
    ctx: PushContext,
    mutation: dict[str, Any],
    exists: Callable[[type, uuid.UUID], bool],
    preloaded: Preloaded | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The new row's column values and its snapshot, or a Rejection.

    Shared by the one-at-a-time path below and the batch writer in `sync.bulk`.
    """
    spec = ctx.registry[mutation["entity"]]
    ident = as_uuid(mutation["id"])
    decide.refuse_create(exists(spec.model, ident))
    values, errors = parse_fields(spec, mutation.get("data"), creating=True, today=ctx.today)
    if errors:
        raise invalid(errors)
    requested = values.pop("village_id", None)
    if requested is not None and requested not in ctx.villages:
        raise not_found("village_id", "village")
    parent = _link(ctx, spec, values, preloaded)
    village_id = decide.decide_village(
        requested, parent and parent.village_id, ctx.user.org_unit_id, ctx.villages
    )
    row = {"id": ident, "village_id": village_id, "version": 1, "deleted": False}
    row.update(spec.build(values, ctx))
    state = _snapshot(spec, row)
    errors = checked(ctx, spec, None, state)
    if errors:
        raise invalid(errors)
    return row, state


def checked(
    ctx: PushContext, spec: EntitySpec, before: dict[str, Any] | None, state: dict[str, Any]
) -> dict[str, Any]:
    """The spec's `check` errors and its `check_change` ones (field lists joined)."""
    errors = dict(spec.check(ctx, state))
    if spec.check_change is not None:
        for name, messages in spec.check_change(ctx, before, state).items():
            errors[name] = [*errors.get(name, []), *messages]
    return errors


def _create(ctx: PushContext, mutation: dict[str, Any]) -> dict[str, Any]:
    spec = ctx.registry[mutation["entity"]]
    row, _ = prepare_create(
        ctx, mutation, lambda model, ident: ctx.session.get(model, ident) is not None
    )
    obj = spec.model(**row)
    ctx.session.add(obj)
    _write(ctx, spec, mutation, obj, "create")
    return answer(ctx, spec, mutation, "applied", obj)


def _facts(spec: EntitySpec, obj: Any) -> RowFacts:
    return RowFacts(obj.version, bool(obj.deleted), spec.locked(obj) if spec.locked else None)


def _target(ctx: PushContext, spec: EntitySpec, mutation: dict[str, Any]) -> Any:
    obj = load(ctx, spec, mutation["id"])
    if obj is None:
        raise not_found("id", spec.name)
    return obj


def _base_state(ctx: PushContext, spec: EntitySpec, obj: Any, base_version: int, current: dict):
    if base_version == obj.version:
        return current
    return version_state(ctx.session, spec.name, obj.id, base_version)


def _update(ctx: PushContext, mutation: dict[str, Any]) -> dict[str, Any]:
    spec = ctx.registry[mutation["entity"]]
    obj = _target(ctx, spec, mutation)
    row, base_version = _facts(spec, obj), mutation["base_version"]
    decide.refuse_write(row, base_version)
    values, errors = parse_fields(spec, mutation.get("data"), creating=False, today=ctx.today)
    if errors:
        raise invalid(errors)
    if spec.unmask is not None:
        values = spec.unmask(ctx, obj, values)
    parent = _link(ctx, spec, values)
    current = snapshot(spec, obj)
    base = None if obj.deleted else _base_state(ctx, spec, obj, base_version, current)
    decision = decide.decide_update(
        row, base_version, base, current, to_json(values), spec.policy, spec.nested
    )
    changes = unflatten(decision.apply, current, spec.nested)
    state = {**current, **changes}
    errors = checked(ctx, spec, current, state)
    if errors:
        raise invalid(errors)
    if spec.guard is not None:
        spec.guard(ctx, obj, state)
    save_version(ctx.session, spec.name, obj.id, obj.version, current)
    for name, value in changes.items():
        setattr(obj, name, value if name in spec.nested else values[name])
    if parent is not None and spec.parent[0] in changes:  # type: ignore[index]
        obj.village_id = parent.village_id  # a row lives in the village of what it links to
    if changes and spec.touched is not None:
        spec.touched(obj, ctx.user.id)
    # Written even when nothing changed: every accepted mutation advances the version by one,
    # which is what lets a phone predict the base of the edits it queued behind this one.
    _write(ctx, spec, mutation, obj, "update", before=current, comment=decision.comment)
    return _settled(ctx, spec, mutation, obj, decision)


def _delete(ctx: PushContext, mutation: dict[str, Any]) -> dict[str, Any]:
    spec = ctx.registry[mutation["entity"]]
    obj = _target(ctx, spec, mutation)
    current = snapshot(spec, obj)
    base_version = mutation["base_version"]
    base = None if obj.deleted else _base_state(ctx, spec, obj, base_version, current)
    decision = decide.decide_delete(_facts(spec, obj), base_version, base, current)
    if decision.delete:
        obj.deleted = True
    _write(ctx, spec, mutation, obj, "delete", before=current, comment=decision.comment)
    return _settled(ctx, spec, mutation, obj, decision)


def _settled(
    ctx: PushContext, spec: EntitySpec, mutation: dict[str, Any], obj: Any, decision: Decision
) -> dict[str, Any]:
    """Keep the conflicts of an accepted write and answer it."""
    for conflict in decision.conflicts:
        ctx.session.add(
            Conflict(
                entity=spec.name,
                entity_id=str(obj.id),
                village_id=obj.village_id,
                field=conflict.field,
                server_value=conflict.server_value,
                client_value=conflict.client_value,
                base_version=mutation["base_version"],
                server_version=obj.version,
                mutation_id=mutation["mutation_id"],
                author_id=ctx.user.id,
                device_id=ctx.device_id,
            )
        )
    if decision.conflicts:
        fields = [c.field for c in decision.conflicts]
        return answer(ctx, spec, mutation, "conflict", obj, conflicts=fields)
    return answer(ctx, spec, mutation, decision.status, obj)


def _write(
    ctx: PushContext,
    spec: EntitySpec,
    mutation: dict[str, Any],
    obj: Any,
    action: str,
    before: dict[str, Any] | None = None,
    comment: str | None = None,
) -> None:
    server_write(
        ctx.session,
        spec,
        obj,
        actor_id=ctx.user.id,
        action=action,
        before=before,
        device_id=ctx.device_id,
        comment=comment,
        client_time=mutation.get("client_time"),
    )
    if spec.after_write is not None:
        spec.after_write(ctx, spec, obj.id, action, snapshot(spec, obj))


APPLY: dict[str, Callable[[PushContext, dict[str, Any]], dict[str, Any]]] = {
    "create": _create,
    "update": _update,
    "delete": _delete,
}
