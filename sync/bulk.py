"""Creates of a pushed batch written together: one insert per table instead of one per row.

A run of new-row creates (the bulk of any upload: a day's visits) is checked one by
one by the same `sync.apply.prepare_create` as a single create (tests/sync/test_push_bulk.py
holds the two paths to the same answers and rows), then written in
one SAVEPOINT: the rows, their ledger entries, feed entries (a block of sequences from one
counter update), version-1 snapshots and audit rows, each table with one executemany of plain
dicts (no ORM objects: building and flushing those cost more than the checks). If that write
hits a unique constraint (a concurrent twin, an id taken meanwhile), the savepoint is rolled
back and the run is replayed one mutation at a time by the caller, which settles each one as
the single-mutation path would.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from server.core import audit
from server.core.db import utcnow
from server.core.plain_insert import insert_rows
from sync import changes
from sync.apply import prepare_create
from sync.context import PushContext
from sync.entities import audit_view
from sync.ledger import payload_hash
from sync.models import AppliedMutation, Change, EntityVersion


@dataclass
class PendingCreate:
    index: int
    mutation: dict[str, Any]
    entity: str
    row: dict[str, Any]  # insert parameters of the new row
    state: dict[str, Any]  # its version-1 snapshot
    result: dict[str, Any]


class BulkCreates:
    """Checked creates waiting to be written; `flush` writes them and fills in their results."""

    def __init__(
        self,
        ctx: PushContext,
        results: list[dict[str, Any] | None],
        one_by_one: Callable[[dict[str, Any]], dict[str, Any]],
        parents: dict[tuple[type, uuid.UUID], Any] | None = None,
    ) -> None:
        self.ctx = ctx
        self.results = results
        self.one_by_one = one_by_one
        self.pending: list[PendingCreate] = []
        self.ids: set[uuid.UUID] = set()
        # (village_id, deleted) of parents read ahead, by (model, id): a check costs no query.
        self.parents = dict(parents or {})

    def forget(self, model: type, ident: uuid.UUID) -> None:
        """A row was written one at a time (update, delete): look it up afresh from now on."""
        self.parents.pop((model, ident), None)

    def add(self, index: int, mutation: dict[str, Any], row: dict[str, Any], state: dict) -> None:
        result = {
            "mutation_id": mutation["mutation_id"],
            "status": "applied",
            "id": str(row["id"]),
            "version": 1,
        }
        self.pending.append(PendingCreate(index, mutation, mutation["entity"], row, state, result))
        self.ids.add(row["id"])

    def flush(self) -> None:
        """Write every pending create, or fall back to one savepoint each on a clash."""
        pending, self.pending = self.pending, []
        self.ids = set()
        if not pending:
            return
        try:
            with self.ctx.session.begin_nested():
                _write(self.ctx, pending)
        except IntegrityError:
            for item in pending:
                self.results[item.index] = self.one_by_one(item.mutation)
            return
        for item in pending:
            self.results[item.index] = item.result

    def prepare_row(
        self, mutation: dict[str, Any], exists: Callable[[type, uuid.UUID], bool]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """`sync.apply.prepare_create`, with parents answered from the rows read ahead."""
        return prepare_create(self.ctx, mutation, exists, self.parents)


def _write(ctx: PushContext, pending: list[PendingCreate]) -> None:
    session, user_id, device_id = ctx.session, ctx.user.id, ctx.device_id
    now: datetime = utcnow()
    first = changes.allocate_sequences(session, len(pending))
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    ledger, feed, versions = [], [], []
    for offset, item in enumerate(pending):
        entity, entity_id = item.entity, str(item.row["id"])
        item.row["created_at"] = item.row["updated_at"] = now
        rows[entity].append(item.row)
        ledger.append(
            {
                "mutation_id": item.mutation["mutation_id"],
                "payload_hash": payload_hash(item.mutation),
                "user_id": user_id,
                "device_id": device_id,
                "entity": entity,
                "entity_id": entity_id,
                "result": item.result,
                "applied_at": now,
            }
        )
        feed.append(
            {
                "seq": first + offset,
                "entity": entity,
                "entity_id": entity_id,
                "village_id": item.row["village_id"],
                "version": 1,
                "op": "upsert",
                "changed_at": now,
            }
        )
        versions.append(
            {
                "entity": entity,
                "entity_id": entity_id,
                "version": 1,
                "data": item.state,
                "created_at": now,
            }
        )
    # The ledger first: a concurrent twin of any mutation fails here, before anything else.
    insert_rows(session, AppliedMutation.__table__, ledger)
    for entity, spec in ctx.registry.items():  # parents before children, for the foreign keys
        insert_rows(session, spec.model.__table__, rows[entity])
    insert_rows(session, Change.__table__, feed)
    insert_rows(session, EntityVersion.__table__, versions)
    # One audit row per mutation, built by the same `audit.audit_row` as `record_audit` (the
    # crash-injection point of the fault tests), inserted together.
    audit.insert_audit_rows(
        session,
        [
            audit.audit_row(
                actor_id=user_id,
                device_id=device_id,
                entity=item.entity,
                entity_id=item.row["id"],
                action="create",
                before=None,
                after=audit_view(ctx.registry[item.entity], item.state),
                at=now,
                client_time=item.mutation.get("client_time"),
                unit_id=item.row[ctx.registry[item.entity].model.__scope_column__],
            )
            for item in pending
        ],
    )
    for item in pending:
        spec = ctx.registry[item.entity]
        if spec.after_write is not None:
            spec.after_write(ctx, spec, item.row["id"], "create", item.state)
