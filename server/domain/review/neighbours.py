"""The records before and after one in the filtered queue, and its place in it.

Found by the queue's own order (newest received first) from the record's place in it, so
"approve and open the next one" still finds the next record once the approved one has left a
待审核 filter.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from server.domain.accounts.model import User
from server.domain.records.model import ServiceRecord
from server.domain.review.queue import RecordFilters, apply_filters


def _newer(record: ServiceRecord):
    return or_(
        ServiceRecord.created_at > record.created_at,
        and_(ServiceRecord.created_at == record.created_at, ServiceRecord.id > record.id),
    )


def _older(record: ServiceRecord):
    return or_(
        ServiceRecord.created_at < record.created_at,
        and_(ServiceRecord.created_at == record.created_at, ServiceRecord.id < record.id),
    )


def neighbours(
    session: Session, user: User, filters: RecordFilters, record: ServiceRecord
) -> dict[str, Any]:
    """The records before and after this one in the filtered queue, and its place in it."""
    base = apply_filters(select(ServiceRecord.id), user, filters)
    previous_id = session.scalar(
        base.where(_newer(record))
        .order_by(ServiceRecord.created_at.asc(), ServiceRecord.id.asc())
        .limit(1)
    )
    next_id = session.scalar(
        base.where(_older(record))
        .order_by(ServiceRecord.created_at.desc(), ServiceRecord.id.desc())
        .limit(1)
    )
    counted = apply_filters(select(func.count()).select_from(ServiceRecord), user, filters)
    newer = session.scalar(counted.where(_newer(record))) or 0
    total = session.scalar(counted) or 0
    return {
        "previous_id": previous_id,
        "next_id": next_id,
        "position": newer + 1,
        "total": total,
    }
