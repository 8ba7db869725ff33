"""Applying a pushed batch: each mutation exactly once, on its own, merged against its base.

A mutation is atomic on its own: new-row creates are checked one by one and written together
in one SAVEPOINT (sync/bulk.py); any other mutation runs in a SAVEPOINT of its own
(sync/apply.py). A rejected mutation writes nothing, and a crash rolls back the whole request,
so every mutation is either fully applied (row, ledger, feed, audit) or not at all and the
client's retry settles it. The feed counter is locked first, which serialises pushes on
PostgreSQL and makes a concurrent twin of a mutation wait and then find it as a duplicate.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server.core.clock import local_today
from server.core.inputrules import MAX_ID, nest_errors, value_problems
from server.core.problems import INVALID_TEXT
from server.core.scope import Actor, villages_in_scope
from sync import ledger
from sync.apply import APPLY, parent_id
from sync.bulk import BulkCreates
from sync.changes import lock_feed
from sync.context import PushContext
from sync.decide import replay
from sync.entities import as_uuid
from sync.models import AppliedMutation
from sync.rejection import Rejection, rejected
from sync.spec import Registry

OPS = ("create", "update", "delete")
INVALID_TEXT_MESSAGE = (
    "这条记录含有无法保存的文字或结构。 The mutation holds text or nesting that cannot be stored."
)


def push_batch(
    session: Session,
    registry: Registry,
    user: Actor,
    mutations: list[dict[str, Any]],
    *,
    device_id: int | None = None,
    today: date | None = None,
) -> list[dict[str, Any]]:
    """One result per mutation, in order. The caller commits (or rolls back on a crash)."""
    if not mutations:
        return []
    lock_feed(session)
    ctx = PushContext(
        session=session,
        registry=registry,
        user=user,
        device_id=device_id,
        villages=villages_in_scope(session, user),
        today=today or local_today(),
    )
    results: list[dict[str, Any] | None] = [_refusal(registry, m) for m in mutations]
    sound = [m for m, refusal in zip(mutations, results, strict=True) if refusal is None]
    known, parents = _preload(ctx, sound)
    taken = _taken_ids(ctx, sound)
    bulk = BulkCreates(ctx, results, lambda mutation: _apply_one(ctx, mutation), parents)
    seen: set[str] = set()
    for index, mutation in enumerate(mutations):
        if results[index] is not None:
            continue
        mutation_id = mutation["mutation_id"]
        first_sight = mutation_id not in seen
        seen.add(mutation_id)
        if first_sight and mutation_id in known:
            results[index] = _replay(
                known[mutation_id], mutation, ledger.payload_hash(mutation), user
            )
            continue
        spec = registry[mutation["entity"]]
        if first_sight and mutation["op"] == "create":
            if _names_pending(ctx, spec, mutation.get("data"), bulk.ids):
                bulk.flush()  # the parent must be in the database before it is looked up
            try:
                row, state = bulk.prepare_row(mutation, lambda m, ident: (m, ident) in taken)
            except Rejection as rejection:
                results[index] = rejected(
                    mutation, rejection.code, rejection.message, rejection.errors
                )
                continue
            taken.add((spec.model, row["id"]))
            bulk.add(index, mutation, row, state)
            continue
        bulk.flush()
        results[index] = _apply_one(ctx, mutation)
        bulk.forget(spec.model, as_uuid(mutation["id"]))
        if mutation["op"] == "create" and results[index]["status"] != "rejected":
            taken.add((spec.model, as_uuid(mutation["id"])))
    bulk.flush()
    return results  # type: ignore[return-value]


def _names_pending(ctx: PushContext, spec: Any, data: Any, pending: set[uuid.UUID]) -> bool:
    """Does a create link to a row still waiting in the batch (its parent, its `links`, or a
    row its `refers_to` names)?"""
    if not pending:
        return False
    if _linked_ids(spec, data) & pending:
        return True
    return spec.refers_to is not None and bool(spec.refers_to(ctx, data) & pending)


def _preload(
    ctx: PushContext, mutations: list[Any]
) -> tuple[dict[str, AppliedMutation], dict[tuple[type, uuid.UUID], Any]]:
    """Ledger rows of the batch's mutation ids, and the parents its creates link to.

    One query each instead of one per mutation. Ledger rows stay in the session's identity
    map; parents are read as plain (id, village_id, deleted) rows for the create checks, as
    building a few hundred ORM objects per batch cost more than the whole query.
    """
    ids = [
        m["mutation_id"]
        for m in mutations
        if isinstance(m, dict) and _short_str(m.get("mutation_id"))
    ]
    known = {row.mutation_id: row for row in ledger.find_many(ctx.session, ids)}
    wanted: dict[type, set[uuid.UUID]] = {}
    for m in mutations:
        spec = _create_spec(ctx.registry, m)
        if spec is not None and spec.parent is not None:
            ident = parent_id(spec, m.get("data"))
            if ident is not None:
                wanted.setdefault(spec.parent[1].model, set()).add(ident)
    parents: dict[tuple[type, uuid.UUID], Any] = {}
    for model, idents in wanted.items():
        stmt = select(model.id, model.village_id, model.deleted).where(model.id.in_(idents))
        for row in ctx.session.execute(stmt):
            parents[model, row.id] = row
    ctx.preloaded.extend(known.values())
    return known, parents


def _taken_ids(ctx: PushContext, mutations: list[Any]) -> set[tuple[type, uuid.UUID]]:
    """(model, id) pairs of the batch's create ids that already exist, deleted or not."""
    wanted: dict[type, set[uuid.UUID]] = {}
    for m in mutations:
        spec = _create_spec(ctx.registry, m)
        if spec is not None:
            try:
                wanted.setdefault(spec.model, set()).add(as_uuid(m.get("id")))
            except ValueError:
                continue
    taken: set[tuple[type, uuid.UUID]] = set()
    for model, idents in wanted.items():
        for ident in ctx.session.scalars(select(model.id).where(model.id.in_(idents))):
            taken.add((model, ident))
    return taken


def _linked_ids(spec: Any, data: Any) -> set[uuid.UUID]:
    """Ids of the rows a create links to: its parent and the spec's other `links`."""
    found = {parent_id(spec, data)} - {None}
    if isinstance(data, dict):
        for name in spec.links:
            try:
                found.add(as_uuid(data[name]))
            except (KeyError, ValueError):
                continue
    return found  # type: ignore[return-value]


def _create_spec(registry: Registry, mutation: Any) -> Any:
    """The spec of a create of a known entity, or None for anything else."""
    if isinstance(mutation, dict) and mutation.get("op") == "create":
        entity = mutation.get("entity")
        return registry.get(entity) if isinstance(entity, str) else None
    return None


def _short_str(value: Any) -> bool:
    return isinstance(value, str) and 1 <= len(value) <= 64


def push_one(ctx: PushContext, mutation: dict[str, Any]) -> dict[str, Any]:
    """Apply one mutation in its own savepoint, or answer why not; replays a known id."""
    return _refusal(ctx.registry, mutation) or _apply_one(ctx, mutation)


def _apply_one(ctx: PushContext, mutation: dict[str, Any]) -> dict[str, Any]:
    mutation_id = mutation["mutation_id"]
    digest = ledger.payload_hash(mutation)
    known = ledger.find(ctx.session, mutation_id)
    if known is not None:
        return _replay(known, mutation, digest, ctx.user)
    try:
        with ctx.session.begin_nested():
            row = ledger.claim(
                ctx.session,
                mutation_id=mutation_id,
                digest=digest,
                user_id=ctx.user.id,
                device_id=ctx.device_id,
                entity=mutation["entity"],
                entity_id=str(mutation["id"]),
            )
            result = APPLY[mutation["op"]](ctx, mutation)
            row.result = result
            ctx.session.flush()
        return result
    except Rejection as rejection:
        return rejected(
            mutation, rejection.code, rejection.message, rejection.errors, **rejection.extra
        )
    except IntegrityError:
        known = ledger.find(ctx.session, mutation_id)
        if known is None:
            raise
        return _replay(known, mutation, digest, ctx.user)  # a concurrent twin won


def _refusal(registry: Registry, mutation: Any) -> dict[str, Any] | None:
    """The `rejected` answer of a malformed mutation or one of a read-only entity, or None.

    Text no database can store (a NUL, a lone surrogate) is refused before anything reads
    the mutation: hashing it for the ledger, or echoing it in an answer, would fail the batch.
    """
    problems = value_problems(mutation)
    if problems:
        return rejected(mutation, INVALID_TEXT, INVALID_TEXT_MESSAGE, nest_errors(problems))
    problems = _envelope_errors(registry, mutation)
    if problems:
        return rejected(mutation, "validation_error", "The mutation is malformed.", problems)
    if registry[mutation["entity"]].pushable is False:
        return rejected(
            mutation,
            "read_only",
            "Phones may not change this kind of record; nothing was written.",
            {"entity": ["Read-only."]},
        )
    return None


def _envelope_errors(registry: Registry, mutation: Any) -> dict[str, list[str]]:
    if not isinstance(mutation, dict):
        return {"mutation": ["Not a valid object."]}
    errors: dict[str, list[str]] = {}
    if not _short_str(mutation.get("mutation_id")):
        errors["mutation_id"] = ["A mutation needs a mutation_id (at most 64 characters)."]
    if not isinstance(mutation.get("entity"), str) or mutation["entity"] not in registry:
        errors["entity"] = [f"Must be one of: {', '.join(registry)}."]
    if not isinstance(mutation.get("op"), str) or mutation["op"] not in OPS:
        errors["op"] = [f"Must be one of: {', '.join(OPS)}."]
    try:
        as_uuid(mutation.get("id"))
    except ValueError:
        errors["id"] = ["Not a valid UUID."]
    base = mutation.get("base_version")
    if mutation.get("op") in ("update", "delete") and (
        isinstance(base, bool) or not isinstance(base, int) or not 1 <= base <= MAX_ID
    ):
        errors["base_version"] = ["An update or delete names the version it was based on."]
    return errors


def _replay(
    known: AppliedMutation, mutation: dict[str, Any], digest: str, user: Actor
) -> dict[str, Any]:
    return replay(known.result, known.payload_hash == digest, known.user_id == user.id, mutation)


__all__ = ["PushContext", "Rejection", "push_batch", "push_one"]
