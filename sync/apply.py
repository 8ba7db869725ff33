"""Applying one pushed mutation (create, update, delete) to the registry, merged against its base.

Each function either writes the row with its feed entry, version snapshot and audit row
(through `server_write`) and returns the result, or raises `Rejection` having written nothing
that the caller's savepoint would keep.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from server.domain.accounts.model import User
from server.domain.registry.pinyin import pinyin_keys
from sync.changes import save_version, server_write, version_state
from sync.entities import ENTITIES, PARENTS, SERVER_ONLY, WRITABLE, as_uuid, snapshot, to_json
from sync.merge import FieldConflict, MergeOutcome, three_way, unflatten
from sync.models import Conflict
from sync.rejection import Rejection, invalid, not_found
from sync.shapes import feed_item
from sync.validate import FormValidator, check_state, parse_fields

REOPENED = ("returned", "rejected")  # an assistant's edit sends these back to review
SNAPSHOT_FIELDS = {name: WRITABLE[name] + SERVER_ONLY.get(name, ()) for name in WRITABLE}


@dataclass
class PushContext:
    session: Session
    user: User
    device_id: int | None
    form_validator: FormValidator | None
    villages: set[int]
    today: date
    # Rows loaded ahead for the whole batch; held here so the session's (weak) identity map
    # keeps them and `session.get` answers without a query.
    preloaded: list[Any] = field(default_factory=list)


def answer(
    ctx: PushContext, mutation: dict[str, Any], status: str, obj: Any, **extra: Any
) -> dict[str, Any]:
    result = {
        "mutation_id": mutation["mutation_id"],
        "status": status,
        "id": str(obj.id),
        "version": obj.version,
        **extra,
    }
    if status in ("merged", "conflict"):
        result["record"] = feed_item(mutation["entity"], obj, ctx.user)
    return result


def load(ctx: PushContext, model: type, ident: Any) -> Any:
    """A row the user may write, or None (out of scope looks exactly like missing)."""
    obj = ctx.session.get(model, as_uuid(ident))
    if obj is None or obj.village_id not in ctx.villages:
        return None
    return obj


def parent_id(entity: str, data: Any) -> uuid.UUID | None:
    """The household or resident a resident or record create links to, if it names one."""
    if entity not in PARENTS or not isinstance(data, dict):
        return None
    try:
        return as_uuid(data[PARENTS[entity][0]])
    except (KeyError, ValueError):
        return None


Preloaded = dict[tuple[type, uuid.UUID], Any]


def _parent(
    ctx: PushContext, entity: str, values: dict[str, Any], preloaded: Preloaded | None = None
) -> Any:
    """The household of a resident or resident of a record named in `values`, if any.

    `preloaded` holds `(village_id, deleted)` rows read ahead for a batch, so a check costs no
    query; anything not in it is loaded.
    """
    if entity not in PARENTS:
        return None
    name, model = PARENTS[entity]
    ident = values.get(name)
    if ident is None:
        return None
    parent = preloaded.get((model, ident)) if preloaded else None
    if parent is None:
        parent = load(ctx, model, ident)
    elif parent.village_id not in ctx.villages:
        parent = None  # out of scope looks exactly like missing, as in `load`
    if parent is not None and parent.deleted:
        parent = _merged_into(ctx, name, model, ident)
        if parent is not None:
            values[name] = parent.id
    if parent is None:
        raise not_found(name, model.__tablename__)
    return parent


def _merged_into(ctx: PushContext, name: str, model: type, ident: Any) -> Any:
    """The resident a merged-away one now lives on as, or None for one that is simply gone.

    A phone that was offline during a merge still sends records for the duplicate; they belong
    to the same person, so they follow the merge instead of being refused.
    """
    obj = ctx.session.get(model, as_uuid(ident))
    seen: set[uuid.UUID] = set()
    while obj is not None and obj.deleted and getattr(obj, "merged_into_id", None):
        if obj.id in seen:
            return None
        seen.add(obj.id)
        obj = ctx.session.get(model, obj.merged_into_id)
    if obj is None or obj.deleted:
        return None
    if obj.village_id not in ctx.villages:
        raise Rejection(
            "resident_merged",
            "This resident was merged into a resident of another village; ask your supervisor.",
            {name: ["Merged into a resident outside your villages."]},
        )
    return obj


def _create_village(
    ctx: PushContext, entity: str, values: dict[str, Any], preloaded: Preloaded | None
) -> int:
    requested = values.pop("village_id", None)
    if requested is not None and requested not in ctx.villages:
        raise not_found("village_id", "village")
    parent = _parent(ctx, entity, values, preloaded)
    if parent is not None:
        if requested is not None and requested != parent.village_id:
            raise invalid({"village_id": ["Differs from the village of the linked record."]})
        return parent.village_id
    if requested is not None:
        return requested
    if ctx.user.org_unit_id in ctx.villages:
        return ctx.user.org_unit_id
    raise invalid({"village_id": ["Say which village this belongs to."]})


PLAIN = (str, int, float, bool, type(None))
NOT_DELETED = "Not deleted: changed since the phone's copy (a conflict)."


def _snapshot(entity: str, row: dict[str, Any]) -> dict[str, Any]:
    """`sync.entities.snapshot` of a new row, from its column values.

    A record's form data is taken as it came off the wire: JSON values already, and only
    stored if the form validator (which accepts JSON types only) passes it.
    """
    state = {}
    for name in SNAPSHOT_FIELDS[entity]:
        value = row[name]
        state[name] = value if name == "data" or type(value) in PLAIN else to_json(value)
    state["deleted"] = False
    return state


def _build(
    ctx: PushContext, entity: str, ident: uuid.UUID, village_id: int, values: dict[str, Any]
) -> dict[str, Any]:
    """Every column of the new row but its timestamps, as a flush would fill them."""
    common = {"id": ident, "village_id": village_id, "version": 1, "deleted": False}
    user_id = ctx.user.id
    if entity == "household":
        return {
            **common,
            "address": values["address"],
            "head_name": values.get("head_name", ""),
            "low_income": values.get("low_income", False),
            "created_by_id": user_id,
            "updated_by_id": user_id,
        }
    if entity == "resident":
        keys = pinyin_keys(values["name"])  # the model's before_insert hook, for a Core insert
        return {
            **common,
            "household_id": values.get("household_id"),
            "name": values["name"],
            "name_pinyin": keys.full[:255],
            "name_initials": keys.initials[:64],
            "sex": values["sex"],
            "birth_date": values["birth_date"],
            "id_number": values.get("id_number"),
            "phone": values.get("phone"),
            "tags": values.get("tags", []),
            "created_by_id": user_id,
            "updated_by_id": user_id,
        }
    return {
        **common,
        "resident_id": values.get("resident_id"),
        "form_code": values["form_code"],
        "form_version": values["form_version"],
        "data": values.get("data", {}),
        "visit_date": values["visit_date"],
        "author_id": user_id,
        "device_id": ctx.device_id,
        "review_status": "pending",
        "review_comment": None,
        "reviewed_by_id": None,
        "reviewed_at": None,
    }


def prepare_create(
    ctx: PushContext,
    mutation: dict[str, Any],
    exists: Callable[[type, uuid.UUID], bool],
    preloaded: Preloaded | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The new row's column values and its snapshot, or a Rejection.

    Shared by the one-at-a-time path below and the batch writer in `sync.bulk`.
    """
    entity = mutation["entity"]
    ident = as_uuid(mutation["id"])
    if exists(ENTITIES[entity], ident):
        raise Rejection("conflict", "This id is already taken.", {"id": ["Already exists."]})
    values, errors = parse_fields(entity, mutation.get("data"), creating=True, today=ctx.today)
    if errors:
        raise invalid(errors)
    village_id = _create_village(ctx, entity, values, preloaded)
    row = _build(ctx, entity, ident, village_id, values)
    state = _snapshot(entity, row)
    errors = check_state(ctx.session, entity, state, ctx.form_validator)
    if errors:
        raise invalid(errors)
    return row, state


def _create(ctx: PushContext, mutation: dict[str, Any]) -> dict[str, Any]:
    row, _ = prepare_create(
        ctx, mutation, lambda model, ident: ctx.session.get(model, ident) is not None
    )
    obj = ENTITIES[mutation["entity"]](**row)
    ctx.session.add(obj)
    server_write(
        ctx.session,
        obj,
        actor_id=ctx.user.id,
        action="create",
        device_id=ctx.device_id,
        client_time=mutation.get("client_time"),
    )
    return answer(ctx, mutation, "applied", obj)


def _writable(ctx: PushContext, mutation: dict[str, Any]) -> Any:
    """The row an update or delete targets, after the checks every such op shares."""
    entity = mutation["entity"]
    obj = load(ctx, ENTITIES[entity], mutation["id"])
    if obj is None:
        raise not_found("id", entity)
    if entity == "service_record" and obj.review_status == "approved":
        # Before the base check: whatever its base, the edit can never land, so a phone must
        # not rebase it (nor the edits queued behind it) only to hear this answer later.
        raise Rejection(
            "record_reviewed",
            "This record was approved by a supervisor and can no longer be changed.",
        )
    if mutation["base_version"] > obj.version:
        raise Rejection(
            "stale_version",
            f"base_version {mutation['base_version']} is newer than the server's {obj.version}.",
            {"base_version": ["Newer than the server's version."]},
            {"server_version": obj.version},
        )
    return obj


def _base_state(ctx: PushContext, entity: str, obj: Any, base_version: int, current: dict):
    if base_version == obj.version:
        return current
    return version_state(ctx.session, entity, obj.id, base_version)


def _update(ctx: PushContext, mutation: dict[str, Any]) -> dict[str, Any]:
    entity = mutation["entity"]
    obj = _writable(ctx, mutation)
    values, errors = parse_fields(entity, mutation.get("data"), creating=False, today=ctx.today)
    if errors:
        raise invalid(errors)
    parent = _parent(ctx, entity, values)
    base_version = mutation["base_version"]
    version_before = obj.version
    current = snapshot(obj)
    patch = to_json(values)
    if obj.deleted:  # deleted on the server: every differing value goes to a Conflict row
        outcome: MergeOutcome = three_way(None, current, patch)
    else:
        outcome = three_way(_base_state(ctx, entity, obj, base_version, current), current, patch)
    changes = unflatten(outcome.apply, current)
    errors = check_state(ctx.session, entity, {**current, **changes}, ctx.form_validator)
    if errors:
        raise invalid(errors)
    save_version(ctx.session, entity, obj.id, obj.version, current)
    for name, value in changes.items():
        setattr(obj, name, value if name == "data" else values[name])
    if parent is not None and changes.keys() & {"household_id", "resident_id"}:
        obj.village_id = parent.village_id  # a row lives in the village of what it links to
    if changes and entity == "service_record":
        if obj.review_status in REOPENED:
            obj.review_status = "pending"
    elif changes:
        obj.updated_by_id = ctx.user.id
    # Written even when nothing changed: every accepted mutation advances the version by one,
    # which is what lets a phone predict the base of the edits it queued behind this one.
    server_write(
        ctx.session,
        obj,
        actor_id=ctx.user.id,
        action="update",
        before=current,
        device_id=ctx.device_id,
        comment=None if changes else _unchanged(outcome),
        client_time=mutation.get("client_time"),
    )
    _keep_conflicts(ctx, mutation, obj, outcome)
    if outcome.conflicts:
        fields = [c.field for c in outcome.conflicts]
        return answer(ctx, mutation, "conflict", obj, conflicts=fields)
    return answer(ctx, mutation, "merged" if base_version < version_before else "applied", obj)


def _unchanged(outcome: MergeOutcome) -> str:
    """The audit note of an accepted update that left every value as it was."""
    if outcome.conflicts:
        return "Nothing changed: the phone's values were kept as conflicts."
    return "Nothing changed: the phone sent the values already held."


def _keep_conflicts(
    ctx: PushContext, mutation: dict[str, Any], obj: Any, outcome: MergeOutcome
) -> None:
    for conflict in outcome.conflicts:
        ctx.session.add(
            Conflict(
                entity=mutation["entity"],
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


def _delete(ctx: PushContext, mutation: dict[str, Any]) -> dict[str, Any]:
    entity = mutation["entity"]
    obj = load(ctx, ENTITIES[entity], mutation["id"])
    if obj is not None and obj.deleted:  # already gone: the wish is fulfilled, a version noted
        _note(ctx, mutation, obj, "delete", "Already deleted.")
        return answer(ctx, mutation, "applied", obj)
    obj = _writable(ctx, mutation)
    current = snapshot(obj)
    base = _base_state(ctx, entity, obj, mutation["base_version"], current)
    if base is None or {**base, "deleted": False} != current:
        # Edited on the server since the client's base: keep the row, record the wish.
        _note(ctx, mutation, obj, "delete", NOT_DELETED)
        outcome = MergeOutcome(conflicts=[FieldConflict("_deleted", False, True)])
        _keep_conflicts(ctx, mutation, obj, outcome)
        return answer(ctx, mutation, "conflict", obj, conflicts=["_deleted"])
    obj.deleted = True
    server_write(
        ctx.session,
        obj,
        actor_id=ctx.user.id,
        action="delete",
        before=current,
        device_id=ctx.device_id,
        client_time=mutation.get("client_time"),
    )
    return answer(ctx, mutation, "applied", obj)


def _note(ctx: PushContext, mutation: dict[str, Any], obj: Any, action: str, comment: str) -> None:
    """A new version of a row the mutation leaves as it was (see `_update` for why)."""
    server_write(
        ctx.session,
        obj,
        actor_id=ctx.user.id,
        action=action,
        before=snapshot(obj),
        device_id=ctx.device_id,
        comment=comment,
        client_time=mutation.get("client_time"),
    )


APPLY: dict[str, Callable[[PushContext, dict[str, Any]], dict[str, Any]]] = {
    "create": _create,
    "update": _update,
    "delete": _delete,
}
