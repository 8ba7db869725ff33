"""Register spans follow `Resident.tags`, whichever code path writes the list.

Every ORM flush is watched (`before_flush` on all sessions): a resident inserted or whose tag
list was assigned gets its spans brought in line with the list (`tagspans.register_changes`).
The push's bulk path inserts residents without the ORM; the resident entity's `after_write`
hook (`after_resident_created`) does the same for those rows. Both are idempotent, so a write
seen by both changes the spans once.

Tags listed when a resident is created open spans with no start: as told at registration,
since a day the register does not know (as a legacy span; denominators of past days keep
counting them, as before spans). A tag added later starts today; a tag removed ends today
(`end_on` today: in effect up to yesterday). A tag with a register duration (postpartum: 42
days, tagspans.REGISTER_DURATIONS) starts today and ends that many days on; opening postpartum
ends a told pregnancy that day (REGISTER_ENDS). Today is the villages' day (server.core.clock).
A writer names where its list came from with `tag_origin(session, "import")`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from server.core.clock import local_today
from server.domain.registry.model import Resident, ResidentTag
from server.domain.registry.tagfeed import note_written
from server.domain.registry.tagspans import REGISTER_DURATIONS, register_changes

_ORIGIN_KEY = "tag_origin"


@contextmanager
def tag_origin(session: Session, origin: str) -> Iterator[None]:
    """Spans the list opens inside this block name `origin` (an import, for instance)."""
    before = session.info.get(_ORIGIN_KEY)
    session.info[_ORIGIN_KEY] = origin
    try:
        yield
    finally:
        session.info[_ORIGIN_KEY] = before


def _stored_spans(session: Session, resident_id: uuid.UUID) -> list[ResidentTag]:
    """The resident's live spans as the database holds them (no flush: called inside one)."""
    stmt = select(ResidentTag).where(
        ResidentTag.resident_id == resident_id, ResidentTag.deleted.is_(False)
    )
    with session.no_autoflush:
        return list(session.scalars(stmt))


def _pending_spans(session: Session) -> dict[uuid.UUID, list[ResidentTag]]:
    found: dict[uuid.UUID, list[ResidentTag]] = {}
    for obj in session.new:
        if isinstance(obj, ResidentTag) and not obj.deleted:
            found.setdefault(obj.resident_id, []).append(obj)
    return found


def _opened(
    resident_id: uuid.UUID, village_id: int, tag: str, origin: str, start: date | None
) -> ResidentTag:
    """A reported span of the list; a tag with a register duration starts today even on a new
    resident, so its end (REGISTER_DURATIONS days later) is a real day."""
    days = REGISTER_DURATIONS.get(tag)
    if days is not None:
        start = start or local_today()
    return ResidentTag(
        id=uuid.uuid4(),
        resident_id=resident_id,
        village_id=village_id,
        tag=tag,
        source="reported",
        origin=origin,
        start_on=start,
        end_on=None if days is None or start is None else start + timedelta(days=days),
    )


def follow_list(
    session: Session,
    *,
    resident_id: uuid.UUID,
    village_id: int,
    tags: list[str],
    spans: list[ResidentTag],
    created: bool,
    actor_id: int | None,
) -> list[ResidentTag]:
    """Open and end the resident's register spans so `spans` match `tags`; the spans touched."""
    added, ended = register_changes(tags, spans)
    if not added and not ended:
        return []
    today = local_today()
    origin = session.info.get(_ORIGIN_KEY) or "register"
    for span in ended:
        span.end_on = today
        span.ended_by_id = actor_id
    opened = [_opened(resident_id, village_id, tag, origin, None if created else today)
              for tag in added]  # fmt: skip
    session.add_all(opened)
    for span in ended:
        note_written(session, span, created=False)
    for span in opened:
        note_written(session, span, created=True)
    return [*ended, *opened]


def move_spans(session: Session, duplicate: Resident, keep: Resident) -> None:
    """A merge: the duplicate's spans (but the forms' own, which follow the moved records)
    become the kept resident's, with their sources and dates, before the lists are united."""
    for span in _stored_spans(session, duplicate.id):
        if span.origin != "form":
            span.resident_id, span.village_id = keep.id, keep.village_id
            note_written(session, span, created=False)
    session.flush()


def _follow_village(session: Session, resident: Resident) -> None:
    """A resident moved to another village (their household did): the spans go along, so they
    stay in the new village's scope and feed."""
    for span in _stored_spans(session, resident.id):
        if span.village_id != resident.village_id:
            span.village_id = resident.village_id
            note_written(session, span, created=False)


def _tags_assigned(resident: Resident) -> bool:
    return inspect(resident).attrs.tags.history.has_changes()


@event.listens_for(Session, "before_flush")
def _follow_flushed_lists(session: Session, _context: Any, _instances: Any) -> None:
    """Spans of every resident inserted, or whose tag list or village changed, in this flush."""
    pending: dict[uuid.UUID, list[ResidentTag]] | None = None
    for obj in list(session.new) + list(session.dirty):
        if not isinstance(obj, Resident):
            continue
        created = obj in session.new
        if not created and inspect(obj).attrs.village_id.history.has_changes():
            _follow_village(session, obj)
        if not created and not _tags_assigned(obj):
            continue
        if created and not obj.tags:
            continue
        if pending is None:
            pending = _pending_spans(session)
        if obj.id is None:
            obj.id = uuid.uuid4()
        stored = [] if created else _stored_spans(session, obj.id)
        spans = stored + [s for s in pending.get(obj.id, []) if s not in stored]
        follow_list(
            session,
            resident_id=obj.id,
            village_id=obj.village_id,
            tags=obj.tags or [],
            spans=spans,
            created=created,
            actor_id=obj.updated_by_id,
        )


def after_resident_created(ctx: Any, row_id: Any, op: str, state: dict[str, Any]) -> None:
    """For the push's bulk path (rows inserted without the ORM): a new resident's spans.

    A resident the ORM wrote (the single-row path) is in the session, and its flush has opened
    them already; a row the bulk path inserted is not, and has none yet, so nothing is read.
    """
    if op != "create" or state.get("deleted") or not state.get("tags"):
        return
    session = ctx.session
    resident_id = uuid.UUID(str(row_id))
    if session.identity_map.get(session.identity_key(Resident, resident_id)) is not None:
        return
    follow_list(
        session,
        resident_id=resident_id,
        village_id=state["village_id"],
        tags=state["tags"],
        spans=[],
        created=True,
        actor_id=ctx.user.id,
    )
