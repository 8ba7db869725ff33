"""The suspected-duplicates work-list: open pairs side by side, merge one, or set it aside.

A pair shows when either resident lies in the caller's area; what the caller learns about a
resident outside it is only the village (as for the phone's duplicate check). Merging goes
through `merge_residents` (audited, irreversible) and closes every open pair of the resident
merged away; "not the same person" is audited and remembered for good.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from server.core.audit import record_audit
from server.core.db import utcnow
from server.core.paging import paginate
from server.core.problems import (
    DUPLICATE_KEEP_NOT_IN_PAIR,
    DUPLICATE_PAIR_DECIDED,
    DUPLICATE_PAIR_NOT_FOUND,
    Problem,
)
from server.core.scope import unit_ids_in_scope
from server.domain.accounts.model import User
from server.domain.records.model import ServiceRecord
from server.domain.registry.duplicates import visible_village_ids
from server.domain.registry.idnumber import mask
from server.domain.registry.merge import MergeResult, merge_residents
from server.domain.registry.model import Resident, SuspectedDuplicate
from server.domain.registry.privacy import sees_sensitive, shown_tags
from server.domain.registry.register import live_resident


def _in_scope(stmt: Select, user: User, open_only: bool = False) -> Select:
    """Pairs with at least one resident in the caller's area; `open_only`: open pairs of two
    live residents."""
    first, second = aliased(Resident), aliased(Resident)
    area = unit_ids_in_scope(user)
    stmt = (
        stmt.join(first, first.id == SuspectedDuplicate.first_id)
        .join(second, second.id == SuspectedDuplicate.second_id)
        .where(or_(first.village_id.in_(area), second.village_id.in_(area)))
    )
    if open_only:
        stmt = stmt.where(
            SuspectedDuplicate.status == "open", first.deleted.is_(False), second.deleted.is_(False)
        )
    return stmt


def _open_in_scope(stmt: Select, user: User) -> Select:
    return _in_scope(stmt, user, open_only=True)


def open_count(session: Session, user: User) -> int:
    """How many open pairs the caller's menu shows."""
    stmt = _open_in_scope(select(func.count()).select_from(SuspectedDuplicate), user)
    return session.scalar(stmt) or 0


def open_pairs(
    session: Session, user: User, page: int = 1, per_page: int = 20
) -> tuple[list[SuspectedDuplicate], int]:
    """Open pairs touching the caller's area, newest found first."""
    stmt = (
        _open_in_scope(select(SuspectedDuplicate), user)
        .options(
            selectinload(SuspectedDuplicate.first).selectinload(Resident.household),
            selectinload(SuspectedDuplicate.second).selectinload(Resident.household),
            selectinload(SuspectedDuplicate.first).selectinload(Resident.village),
            selectinload(SuspectedDuplicate.second).selectinload(Resident.village),
        )
        .order_by(SuspectedDuplicate.found_at.desc(), SuspectedDuplicate.id.desc())
    )
    found = paginate(session, stmt, page, per_page)
    return found.items, found.total


def _service_counts(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, int]:
    if not ids:
        return {}
    stmt = (
        select(ServiceRecord.resident_id, func.count())
        .where(ServiceRecord.resident_id.in_(ids), ServiceRecord.deleted.is_(False))
        .group_by(ServiceRecord.resident_id)
    )
    return dict(session.execute(stmt).all())


def _side(resident: Resident, visible: bool, services: int, user: User) -> dict[str, Any]:
    side: dict[str, Any] = {
        "in_scope": visible,
        "village": {"id": resident.village_id, "name": resident.village.name},
    }
    if not visible:
        return side
    household = resident.household
    return side | {
        "id": resident.id,
        "name": resident.name,
        "sex": resident.sex,
        "birth_date": resident.birth_date,
        "id_number_masked": mask(resident.id_number),
        "phone": resident.phone,
        "tags": shown_tags(resident.tags, sees_sensitive(user, resident.village_id)),
        "household_id": resident.household_id,
        "address": household.address if household else None,
        "head_name": household.head_name if household else None,
        "services": services,
    }


def describe(session: Session, user: User, pairs: list[SuspectedDuplicate]) -> list[dict]:
    """Each pair with both residents side by side (address, household, phone, tags, services)."""
    people = [p.first for p in pairs] + [p.second for p in pairs]
    visible = visible_village_ids(session, user, {r.village_id for r in people})
    counts = _service_counts(session, {r.id for r in people})
    return [
        {
            "pair": pair,
            "first": _side(
                pair.first, pair.first.village_id in visible, counts.get(pair.first_id, 0), user
            ),
            "second": _side(
                pair.second, pair.second.village_id in visible, counts.get(pair.second_id, 0), user
            ),
        }
        for pair in pairs
    ]


def open_pair(session: Session, user: User, pair_id: int) -> SuspectedDuplicate:
    """An open pair the caller may see, or the catalogue's refusal."""
    pair = session.scalar(_open_in_scope(select(SuspectedDuplicate), user).where(
        SuspectedDuplicate.id == pair_id
    ))  # fmt: skip
    if pair is not None:
        return pair
    seen = _in_scope(select(SuspectedDuplicate), user).where(SuspectedDuplicate.id == pair_id)
    if session.scalar(seen) is not None:
        raise Problem(DUPLICATE_PAIR_DECIDED)
    raise Problem(DUPLICATE_PAIR_NOT_FOUND)


def _decide(session: Session, user: User, pair: SuspectedDuplicate, status: str, device_id,
            extra: dict[str, Any]) -> None:  # fmt: skip
    before = {"status": pair.status}
    pair.status = status
    pair.decided_by_id = user.id
    pair.decided_at = utcnow()
    record_audit(
        session,
        actor_id=user.id,
        device_id=device_id,
        entity="suspected_duplicate",
        entity_id=pair.id,
        action="merge" if status == "merged" else "dismiss",
        before=before,
        after={
            "status": status,
            "first_id": str(pair.first_id),
            "second_id": str(pair.second_id),
            **extra,
        },
    )


def dismiss(session: Session, user: User, pair_id: int, device_id: int | None = None) -> None:
    """ "Not the same person": the pair stays, set aside, and is never suggested again."""
    pair = open_pair(session, user, pair_id)
    _decide(session, user, pair, "dismissed", device_id, {})


def merge_pair(
    session: Session, user: User, pair_id: int, keep_id: uuid.UUID, device_id: int | None = None
) -> MergeResult:
    """Merge the other resident of the pair into `keep_id` (both must be in the caller's area)."""
    pair = open_pair(session, user, pair_id)
    if keep_id not in (pair.first_id, pair.second_id):
        raise Problem(DUPLICATE_KEEP_NOT_IN_PAIR, errors={"keep_id": ["Not one of the pair."]})
    other = pair.second_id if keep_id == pair.first_id else pair.first_id
    keep = live_resident(session, keep_id, user)
    duplicate = live_resident(session, other, user)
    _decide(session, user, pair, "merged", device_id, {"kept_id": str(keep.id)})
    return merge_residents(session, keep, duplicate, actor_id=user.id)
