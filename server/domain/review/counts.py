"""What waits for the supervisor, counted for the workspace menu: one request per page load."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.core.scope import scoped
from server.domain.accounts.model import User
from server.domain.records.model import ServiceRecord
from server.domain.registry.worklist import open_count
from server.domain.review.queue import RecordFilters, apply_filters
from sync.models import Conflict


def waiting(session: Session, user: User) -> dict[str, int]:
    """Pending records, open sync conflicts and open suspected duplicates in the caller's area."""
    pending = apply_filters(
        select(func.count()).select_from(ServiceRecord), user, RecordFilters(status="pending")
    )
    conflicts = scoped(select(func.count()).select_from(Conflict), Conflict, user).where(
        Conflict.status == "open"
    )
    return {
        "pending": session.scalar(pending) or 0,
        "conflicts": session.scalar(conflicts) or 0,
        "duplicates": open_count(session, user),
    }
