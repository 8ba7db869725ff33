"""A supervisor takes back the end of a record: the resident is active again, on every phone.

An assistant withdraws an end only while it waits on her phone; once the server holds it, a
mistaken "died" or "moved away" is corrected here, by staff, through `server_write`, so the
phones pull the restored record and the audit trail shows who restored it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from server.core.problems import RESIDENT_NOT_ENDED, Problem
from server.domain.registry.model import Resident
from server.domain.registry.synced import RESIDENT
from sync.changes import lock_feed, server_write


def restore_resident(session: Session, resident: Resident, *, actor_id: int) -> Resident:
    """Clear the end of `resident` (callers check scope and role). Does not commit."""
    if resident.ended_on is None:
        raise Problem(RESIDENT_NOT_ENDED)
    lock_feed(session)  # the feed counter before the row, as a push does
    ended = f"{resident.end_reason} on {resident.ended_on.isoformat()}"
    resident.ended_on = None
    resident.end_reason = None
    resident.end_destination = None
    resident.updated_by_id = actor_id
    server_write(
        session,
        RESIDENT,
        resident,
        actor_id=actor_id,
        action="update",
        comment=f"Restored ({ended}).",
    )
    return resident
