"""Writing to the change feed: sequences, the feed entries of a row, version snapshots.

Every write of a synced row, by push or on the server (review, registry merge, conflict
resolution), goes through `server_write` or `record_write`, so phones pull it and a later
three-way merge can find the row as it was at any version.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server.core.audit import audit_row, insert_audit_rows, record_audit
from sync.entities import audit_view, scope_unit_of, snapshot, stored_snapshot
from sync.models import Change, EntityVersion, FeedCounter

if TYPE_CHECKING:
    from sync.spec import EntitySpec

COUNTER_ID = 1


def _ensure_counter(session: Session) -> None:
    if session.get(FeedCounter, COUNTER_ID) is not None:
        return
    try:
        with session.begin_nested():
            session.add(FeedCounter(id=COUNTER_ID, value=0))
    except IntegrityError:
        pass  # another transaction created it first; its row is as good as ours


def lock_feed(session: Session) -> None:
    """Take the feed counter's row lock now, before any other row lock of this transaction.

    Writers that lock registry rows first and the counter second can deadlock with a push that
    does the opposite; a push therefore takes the counter first. Cheap on SQLite (one writer).
    """
    _ensure_counter(session)
    session.execute(
        update(FeedCounter)
        .where(FeedCounter.id == COUNTER_ID)
        .values(value=FeedCounter.value)
        .execution_options(synchronize_session=False)
    )


def next_sequence(session: Session) -> int:
    """The next change sequence; the counter row stays locked until this transaction ends.

    That lock is the cursor-safety argument: a transaction holding sequence n blocks every
    other writer from taking n+1 until it commits or rolls back, so sequences become visible
    in order and a reader that has seen n+1 can never later find a new n.
    """
    _ensure_counter(session)
    stmt = (
        update(FeedCounter)
        .where(FeedCounter.id == COUNTER_ID)
        .values(value=FeedCounter.value + 1)
        .returning(FeedCounter.value)
        .execution_options(synchronize_session=False)
    )
    return int(session.execute(stmt).scalar_one())


def allocate_sequences(session: Session, count: int) -> int:
    """Take `count` consecutive sequences with one counter update; returns the first.

    The same lock as `next_sequence`, so the ordering argument holds for a whole block.
    """
    _ensure_counter(session)
    stmt = (
        update(FeedCounter)
        .where(FeedCounter.id == COUNTER_ID)
        .values(value=FeedCounter.value + count)
        .returning(FeedCounter.value)
        .execution_options(synchronize_session=False)
    )
    return int(session.execute(stmt).scalar_one()) - count + 1


def record_change(
    session: Session, *, entity: str, entity_id: Any, village_id: int, version: int, op: str
) -> Change:
    """Move the row's feed entry in `village_id` to a fresh sequence (insert it the first time).

    A row has one entry per village it has lived in. When it has just left another village
    (a supervisor linked it to a parent row elsewhere), that village's entry turns
    into a `delete` at a sequence of its own, taken before the one of the new village's entry:
    the old village's phones drop their copy, and a viewer of both villages (a township
    supervisor) reads the delete first and the row last. Only a move costs more than the one
    counter update and one look-up of every write.
    """
    seq = next_sequence(session)  # the counter lock first: the entries read below are current
    key = str(entity_id)
    change = None
    for entry in session.scalars(
        select(Change).where(Change.entity == entity, Change.entity_id == key)
    ):
        if entry.village_id == village_id:
            change = entry
        elif entry.op != "delete":  # the village the row just left (others had their delete)
            entry.seq, entry.version, entry.op = seq, version, "delete"
            seq = next_sequence(session)
    if change is None:
        change = Change(entity=entity, entity_id=key, village_id=village_id)
        session.add(change)
    change.seq = seq
    change.version = version
    change.op = op
    session.flush()
    return change


def save_version(
    session: Session, entity: str, entity_id: Any, version: int, data: dict[str, Any]
) -> None:
    """Keep the row's state at `version` (first writer wins; a version never changes)."""
    exists = session.scalar(
        select(EntityVersion.id).where(
            EntityVersion.entity == entity,
            EntityVersion.entity_id == str(entity_id),
            EntityVersion.version == version,
        )
    )
    if exists is None:
        session.add(
            EntityVersion(entity=entity, entity_id=str(entity_id), version=version, data=data)
        )


def version_state(
    session: Session, entity: str, entity_id: Any, version: int
) -> dict[str, Any] | None:
    """The row's state at `version`, or None when it was never recorded."""
    return session.scalar(
        select(EntityVersion.data).where(
            EntityVersion.entity == entity,
            EntityVersion.entity_id == str(entity_id),
            EntityVersion.version == version,
        )
    )


def server_write(
    session: Session,
    spec: EntitySpec,
    obj: Any,
    *,
    actor_id: int | None,
    action: str,
    before: dict[str, Any] | None = None,
    device_id: int | None = None,
    comment: str | None = None,
    client_time: Any = None,
) -> int:
    """Record a server-side write of a synced row: new version, feed entry, snapshot, audit.

    Call after changing `obj` (assign JSON columns, do not mutate them in place). `action`
    "create" keeps version 1; anything else bumps the version. Does not commit. Returns the
    new version. `spec` is the row's entity (`Registry.of(obj)`, or the domain's own spec).
    """
    entity = spec.name
    prior = None
    with session.no_autoflush:  # read the old state before our own flush overwrites it
        old_version = obj.version
        if action != "create" and old_version is not None:
            prior = version_state(session, entity, obj.id, old_version)
        if action != "create" and old_version is not None and prior is None:
            prior = stored_snapshot(session, spec, obj)
    session.flush()
    if prior is None:
        obj.version = obj.version or 1
    else:
        # Base for merges against the version being replaced, if nobody recorded it yet.
        save_version(session, entity, obj.id, old_version, prior)
        obj.version = old_version + 1
    after = snapshot(spec, obj)
    save_version(session, entity, obj.id, obj.version, after)
    record_change(
        session,
        entity=entity,
        entity_id=obj.id,
        village_id=scope_unit_of(obj),
        version=obj.version,
        op="delete" if after.get("deleted") else "upsert",
    )
    record_audit(
        session,
        actor_id=actor_id,
        device_id=device_id,
        entity=entity,
        entity_id=obj.id,
        action=action,
        before=audit_view(spec, before if before is not None else prior),
        after=audit_view(spec, after),
        comment=comment,
        client_time=client_time,
        unit_id=scope_unit_of(obj),
    )
    session.flush()
    return obj.version


def publish_created(
    session: Session,
    rows: list[tuple[EntitySpec, Any, int | None]],
    *,
    comment: str | None = None,
) -> None:
    """Put many rows created on the server (inserted and flushed) into the feed at once.

    What `server_write(action="create")` adds per row (the feed entry, the version-1 snapshot,
    the audit row), with one counter update for the block and one insert per table: a county's
    imported registers or the demo take seconds instead of minutes. `rows` holds (spec, row,
    actor id), parents before children.
    """
    if not rows:
        return
    first = allocate_sequences(session, len(rows))
    changes, versions, audits = [], [], []
    for seq, (spec, obj, actor_id) in enumerate(rows, start=first):
        state = snapshot(spec, obj)
        key = {"entity": spec.name, "entity_id": str(obj.id)}
        changes.append(
            {**key, "seq": seq, "village_id": scope_unit_of(obj), "version": 1, "op": "upsert"}
        )
        versions.append({**key, "version": 1, "data": state})
        audits.append(
            audit_row(
                actor_id=actor_id,
                device_id=None,
                entity=spec.name,
                entity_id=obj.id,
                action="create",
                before=None,
                after=audit_view(spec, state),
                comment=comment,
                unit_id=scope_unit_of(obj),
            )
        )
    session.execute(insert(Change), changes)
    session.execute(insert(EntityVersion), versions)
    insert_audit_rows(session, audits)
