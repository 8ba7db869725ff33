"""The pull feed: what changed in the caller's scope since their cursor, in sequence order.

The cursor is opaque to clients: base64 of the last sequence delivered and the org unit the
caller had when it was issued. A cursor from another org unit means the scope changed, so the
feed starts over with `reset: true` and the client drops its local copy.

A pull may name `entities`: only their rows, in the same order. A phone that has just gained a
store for an entity (an app update) reads that entity's whole feed from zero this way, once,
instead of re-downloading everything; its own cursor stays where it was. A filtered cursor
carries its filter and is refused by a pull with another one, so the two can never be mixed
up and skip rows.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Select, select, union_all
from sqlalchemy.orm import Session, aliased

from server.core.inputrules import MAX_INT64
from server.core.scope import Actor, unit_ids_in_scope
from sync.entities import scope_unit_of
from sync.models import Change
from sync.shapes import feed_item
from sync.spec import Registry

DEFAULT_LIMIT = 500
MAX_LIMIT = 1000
# Scopes of at most this many org units are read as a merge of one index range per unit.
MERGE_MAX_UNITS = 64
# A device's "last synced" is stamped by a pull at most this often.
STAMP_INTERVAL = timedelta(minutes=1)


class CursorError(ValueError):
    """The `since` value is not a cursor this server issued."""


def sync_stamp_due(
    last: datetime | None, now: datetime, interval: timedelta = STAMP_INTERVAL
) -> bool:
    """Whether a pull should write the device's "last synced" time again.

    A phone pulls every few minutes and on every screen refresh; stamping each pull would make
    every read a write. Within `interval` the old stamp is close enough for the supervisor's
    "not synced for three days" list. A stamp in the future (the clock was set back) is
    replaced. A naive time is UTC, as SQLite hands it back.
    """
    if last is None:
        return True
    if last.tzinfo is None:
        last = last.replace(tzinfo=UTC)
    return not timedelta(0) <= now - last < interval


def encode_cursor(seq: int, unit_id: int, entities: tuple[str, ...] | None = None) -> str:
    body: dict[str, Any] = {"s": seq, "u": unit_id}
    if entities:
        body["e"] = list(entities)
    raw = json.dumps(body, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, entities: tuple[str, ...] | None = None) -> tuple[int, int]:
    """(last sequence delivered, org unit of the user it was issued to), for a pull of
    `entities` (None: all); a cursor issued for another filter is refused."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        body = json.loads(base64.urlsafe_b64decode(padded.encode()))
        seq, unit, issued = body["s"], body["u"], body.get("e")
    except (binascii.Error, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CursorError("Not a cursor from this server; pull again without `since`.") from exc
    if not isinstance(seq, int) or not isinstance(unit, int) or not 0 <= seq <= MAX_INT64:
        raise CursorError("Not a cursor from this server; pull again without `since`.")
    if issued != (list(entities) if entities else None):
        raise CursorError("This cursor was issued for other entities; use the one you had.")
    return seq, unit


def pull(
    session: Session,
    registry: Registry,
    user: Actor,
    since: str | None = None,
    limit: int = DEFAULT_LIMIT,
    entities: tuple[str, ...] | None = None,
) -> dict[str, Any]:
    """One page of the feed: `{changes, cursor, has_more}`, plus `reset: true` after a move.

    Rows appear once per village, at the sequence of their latest write there, carrying their
    current state (a `delete` where they no longer live); a row written again after this page
    will come again with a higher sequence. `entities` (registry names, sorted) keeps only
    their rows.
    """
    after, reset = 0, False
    if since:
        after, unit = decode_cursor(since, entities)
        if unit != user.org_unit_id:
            after, reset = 0, True
    limit = max(1, min(limit, MAX_LIMIT))
    rows = list(session.scalars(page_query(session, user, after, limit + 1, entities)))
    has_more = len(rows) > limit
    rows = rows[:limit]
    objects = _load_rows(session, registry, rows)
    changes = [
        _item(registry, row, objects[row.entity, row.entity_id], user)
        for row in rows
        if (row.entity, row.entity_id) in objects
    ]
    page: dict[str, Any] = {
        "changes": changes,
        "cursor": encode_cursor(rows[-1].seq if rows else after, user.org_unit_id, entities),
        "has_more": has_more,
    }
    if reset:
        page["reset"] = True
    return page


def _item(registry: Registry, change: Change, obj: Any, user: Actor) -> dict[str, Any]:
    """The row as the feed sends it; a `delete` from a village the row no longer lives in.

    A row that moved keeps an entry in each village it left (see `sync.changes.record_change`).
    Whether the row is still there is decided by its state now, like the rest of what a pull
    sends: a row that moved back is sent whole, and a row that left after its entry was read
    is sent as a delete (the move gave its new village's entry a later sequence, where a viewer
    of that village finds it).
    """
    if scope_unit_of(obj) != change.village_id:
        return {
            "entity": change.entity,
            "id": change.entity_id,
            "op": "delete",
            "version": obj.version,
            "data": {},
        }
    return feed_item(registry[change.entity], obj, user)


def page_query(
    session: Session,
    user: Actor,
    after: int,
    count: int,
    entities: tuple[str, ...] | None = None,
) -> Select[tuple[Change]]:
    """The next `count` feed rows in the user's scope after sequence `after`, in order.

    The scope's unit ids are read first and written into the query as values: behind a
    subquery the planner cannot tell how much of the feed is in scope, and PostgreSQL then
    walks the whole feed after the cursor in sequence order, filtering (a new village's first
    pull in a county of a million records read every one of them). With the ids known, each
    unit's rows come from the `(village_id, seq)` index already in order: one range for one
    unit, a merge of one range per unit for a handful (UNION ALL of per-unit `ORDER BY seq
    LIMIT count`, which PostgreSQL runs as a Merge Append). A scope of many units (a county)
    covers most of the feed anyway, so there the planner gets the id list and picks its plan.
    An entity filter rides on the same ranges (a backfill walks its scope's feed once).
    """
    units = sorted(session.scalars(unit_ids_in_scope(user)))
    only = () if entities is None else (Change.entity.in_(entities),)
    if not units or len(units) > MERGE_MAX_UNITS:
        return (
            select(Change)
            .where(Change.seq > after, Change.village_id.in_(units), *only)
            .order_by(Change.seq)
            .limit(count)
        )
    if len(units) == 1:
        return (
            select(Change)
            .where(Change.village_id == units[0], Change.seq > after, *only)
            .order_by(Change.seq)
            .limit(count)
        )
    ranges = [
        select(Change.__table__)
        .where(Change.village_id == unit, Change.seq > after, *only)
        .order_by(Change.seq)
        .limit(count)
        .subquery()
        for unit in units
    ]
    merged = union_all(*(select(*r.c) for r in ranges)).subquery("feed_page")
    row = aliased(Change, merged)
    return select(row).order_by(merged.c.seq).limit(count)


def _load_rows(
    session: Session, registry: Registry, rows: list[Change]
) -> dict[tuple[str, str], Any]:
    """The current rows behind a page of changes, one query per entity type."""
    wanted: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        wanted[row.entity].append(row.entity_id)
    found: dict[tuple[str, str], Any] = {}
    for entity, ids in wanted.items():
        model = registry[entity].model
        key_type = model.__mapper__.primary_key[0].type.python_type
        for obj in session.scalars(select(model).where(model.id.in_([key_type(i) for i in ids]))):
            found[entity, str(obj.id)] = obj
    return found
