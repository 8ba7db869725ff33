"""Merging a confirmed duplicate into the record a supervisor keeps; nothing is lost.

The duplicate's service records move to the kept resident (and to its village, so that village's
phones get them and the duplicate's village's phones a delete), fields the kept record lacks are
filled from the duplicate, stored tags are united (the duplicate's tag spans move over with
their sources and dates), and the duplicate stays as a tombstone
(`deleted`, pointing at the kept resident), so its id still resolves, its history stays
readable, and a record a phone made for it offline lands on the kept resident. Every changed
row goes through `server_write`: phones pull the new state and the audit trail shows who merged
what.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.core.problems import (
    MERGE_ID_NUMBERS_DIFFER,
    MERGE_RESIDENT_GONE,
    MERGE_SAME_RESIDENT,
    Problem,
)
from server.domain.episodes.refresh import refresh_resident
from server.domain.records.model import ServiceRecord
from server.domain.records.synced import SERVICE_RECORD
from server.domain.registry.model import Resident
from server.domain.registry.suspects import close_pairs_of
from server.domain.registry.synced import RESIDENT
from server.domain.registry.tagfollow import move_spans
from sync.changes import lock_feed, server_write

FILLABLE = ("household_id", "id_number", "phone")


@dataclass
class MergeResult:
    kept: Resident
    duplicate: Resident
    moved_record_ids: list[uuid.UUID] = field(default_factory=list)
    filled_fields: list[str] = field(default_factory=list)


def check_mergeable(keep: Resident, duplicate: Resident) -> None:
    """Refuse merges that would lose or mix up people."""
    if keep.id == duplicate.id:
        raise Problem(MERGE_SAME_RESIDENT, errors={"duplicate_id": ["The same resident."]})
    if keep.deleted or duplicate.deleted:
        raise Problem(MERGE_RESIDENT_GONE)
    if keep.id_number and duplicate.id_number and keep.id_number != duplicate.id_number:
        raise Problem(MERGE_ID_NUMBERS_DIFFER)


def merge_residents(
    session: Session, keep: Resident, duplicate: Resident, *, actor_id: int
) -> MergeResult:
    """Fold `duplicate` into `keep` (callers check scope and role). Does not commit."""
    check_mergeable(keep, duplicate)
    lock_feed(session)  # the feed counter before any registry row, as a push does
    records = list(
        session.scalars(
            select(ServiceRecord)
            .where(ServiceRecord.resident_id == duplicate.id, ServiceRecord.deleted.is_(False))
            .order_by(ServiceRecord.visit_date, ServiceRecord.id)
        ).all()
    )
    result = MergeResult(kept=keep, duplicate=duplicate)

    # One row at a time: server_write reads the row's prior state from unflushed history.
    for name in FILLABLE:
        if not getattr(keep, name) and getattr(duplicate, name):
            setattr(keep, name, getattr(duplicate, name))
            result.filled_fields.append(name)
    move_spans(session, duplicate, keep)
    united = list(dict.fromkeys([*(keep.tags or []), *(duplicate.tags or [])]))
    if united != list(keep.tags or []):
        keep.tags = united
        result.filled_fields.append("tags")
    server_write(
        session,
        RESIDENT,
        keep,
        actor_id=actor_id,
        action="merge",
        comment=f"Kept; merged {duplicate.id}.",
    )

    for record in records:
        record.resident_id = keep.id
        record.village_id = keep.village_id  # the old village's phones get a delete for it
        server_write(
            session,
            SERVICE_RECORD,
            record,
            actor_id=actor_id,
            action="merge",
            comment=f"Moved from resident {duplicate.id} to {keep.id}.",
        )
        result.moved_record_ids.append(record.id)

    duplicate.deleted = True
    duplicate.merged_into_id = keep.id
    server_write(
        session,
        RESIDENT,
        duplicate,
        actor_id=actor_id,
        action="merge",
        comment=f"Merged into resident {keep.id}.",
    )
    close_pairs_of(session, duplicate.id, actor_id)  # its suspected pairs are settled too
    for resident in (keep, duplicate):  # the moved records' effects follow them
        refresh_resident(session, resident.id, actor_id=actor_id)
    return result
