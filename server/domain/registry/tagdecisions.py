"""Staff decisions on a resident's tags: confirm what the centre knows, remove what is not so.

A reported condition does not start a clinical series; it waits on the township supervisor's
"confirm with the centre" list (`to_confirm`). Confirming turns the resident's reported span of
the register into a confirmed one (who, when); when the register holds none (only a form's, or
nothing), the confirmation is a span of its own (origin `staff`, from today): the staff member
says so, with their name on it. Removing ends every span of the tag in effect today, with who
and why, and takes the tag off the register's list, so the phones stop showing it and the next
upload does not bring it back. Both are audited; callers check role and scope.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from server.core.audit import record_audit
from server.core.db import utcnow
from server.core.paging import MAX_PER_PAGE, Page
from server.core.problems import (
    RESIDENT_NOT_FOUND,
    TAG_DERIVED,
    TAG_NOT_CONFIRMABLE,
    TAG_NOT_HELD,
    TAG_UNKNOWN,
    Problem,
)
from server.core.scope import scoped
from server.domain.accounts.model import User
from server.domain.records.model import ServiceRecord
from server.domain.registry.model import (
    CONFIRMABLE_TAGS,
    SENSITIVE_TAGS,
    TAGS,
    Resident,
    ResidentTag,
)
from server.domain.registry.privacy import care_condition, sees_sensitive
from server.domain.registry.synced import RESIDENT
from server.domain.registry.tagfeed import note_written
from server.domain.registry.tagspans import DERIVED, LIST_ORIGINS, in_effect
from sync.changes import server_write
from sync.entities import to_json

SPAN_FIELDS = (
    "tag",
    "source",
    "origin",
    "start_on",
    "end_on",
    "record_id",
    "confirmed_by_id",
    "confirmed_at",
    "ended_by_id",
    "note",
)


def check_tag(user: User, resident: Resident, tag: str) -> None:
    """A stored tag of the catalogue (derived ones have no spans to decide on) that `user` may
    see: a sensitive tag of a resident they do not care for answers as a resident they cannot
    see, held or not, so a decision cannot be used to ask whether someone has TB."""
    if tag not in TAGS:
        raise Problem(TAG_UNKNOWN, errors={"tag": [f"Not a tag: {tag}."]}, tags=", ".join(TAGS))
    if tag in DERIVED:
        raise Problem(TAG_DERIVED, tag=tag)
    if tag in SENSITIVE_TAGS and not sees_sensitive(user, resident.village_id):
        raise Problem(RESIDENT_NOT_FOUND)


def span_state(span: ResidentTag) -> dict[str, Any]:
    return {name: to_json(getattr(span, name)) for name in SPAN_FIELDS}


def spans_in_effect(session: Session, resident: Resident, tag: str, on: date) -> list[ResidentTag]:
    stmt = select(ResidentTag).where(
        ResidentTag.resident_id == resident.id,
        ResidentTag.tag == tag,
        ResidentTag.deleted.is_(False),
    )
    found = [s for s in session.scalars(stmt.order_by(ResidentTag.created_at)) if in_effect(s, on)]
    return sorted(found, key=lambda s: (s.start_on is not None, s.start_on or on, s.created_at))


def _audit(
    session: Session, user: User, span: ResidentTag, action: str, before: dict | None, note=None
) -> None:
    record_audit(
        session,
        actor_id=user.id,
        device_id=None,
        entity="resident_tag",
        entity_id=span.id,
        action=action,
        before=before,
        after={"resident_id": str(span.resident_id), **span_state(span)},
        comment=note,
        unit_id=span.village_id,
    )


def confirm_tag(
    session: Session, user: User, resident: Resident, tag: str, today: date
) -> tuple[ResidentTag, bool]:
    """The confirmed span of `tag` in effect, and whether this call made it (else it was).
    Only the conditions the centre keeps (`CONFIRMABLE_TAGS`) are confirmed."""
    check_tag(user, resident, tag)
    if tag not in CONFIRMABLE_TAGS:
        raise Problem(TAG_NOT_CONFIRMABLE, tag=tag, tags=", ".join(CONFIRMABLE_TAGS))
    spans = spans_in_effect(session, resident, tag, today)
    confirmed = [s for s in spans if s.source == "confirmed"]
    if confirmed:
        return confirmed[0], False
    told = [s for s in spans if s.origin in LIST_ORIGINS]
    if told:
        span, before = told[0], span_state(told[0])
    else:
        span, before = (
            ResidentTag(
                id=uuid.uuid4(),
                resident_id=resident.id,
                village_id=resident.village_id,
                tag=tag,
                origin="staff",
                start_on=today,
            ),
            None,
        )
        session.add(span)
    span.source, span.confirmed_by_id, span.confirmed_at = "confirmed", user.id, utcnow()
    session.flush()
    note_written(session, span, created=before is None)
    _audit(session, user, span, "confirm_tag", before)
    return span, True


def remove_tag(
    session: Session, user: User, resident: Resident, tag: str, note: str, today: date
) -> list[ResidentTag]:
    """End every span of `tag` in effect today (who, why) and drop it from the register list."""
    check_tag(user, resident, tag)
    spans = spans_in_effect(session, resident, tag, today)
    if not spans:
        raise Problem(TAG_NOT_HELD, tag=tag)
    for span in spans:
        before = span_state(span)
        span.end_on, span.ended_by_id, span.note = today, user.id, note
        session.flush()
        note_written(session, span, created=False)
        _audit(session, user, span, "remove_tag", before, note)
    if tag in (resident.tags or []):
        resident.tags = [t for t in resident.tags if t != tag]
        resident.updated_by_id = user.id
        server_write(
            session, RESIDENT, resident, actor_id=user.id, action="remove_tag", comment=note
        )
    return spans


def to_confirm_query(user: User, today: date) -> Select:
    """The caller's active residents' reported confirmable spans in effect, one per resident
    and tag (the oldest), unless a confirmed span of that tag is in effect too; oldest first.
    Sensitive tags only of residents the caller cares for (privacy.py)."""
    in_effect_today = and_(
        ResidentTag.deleted.is_(False),
        or_(ResidentTag.start_on.is_(None), ResidentTag.start_on <= today),
        or_(ResidentTag.end_on.is_(None), ResidentTag.end_on > today),
    )
    order = (ResidentTag.start_on.asc().nulls_first(), ResidentTag.created_at, ResidentTag.id)
    rank = func.row_number().over(
        partition_by=(ResidentTag.resident_id, ResidentTag.tag), order_by=order
    )
    reported = scoped(select(ResidentTag.id, rank.label("rank")), ResidentTag, user).where(
        in_effect_today,
        ResidentTag.source == "reported",
        ResidentTag.tag.in_(CONFIRMABLE_TAGS),
        or_(
            ResidentTag.tag.not_in(SENSITIVE_TAGS),
            care_condition(ResidentTag.village_id, user),
        ),
    )
    ranked = reported.subquery()
    other = aliased(ResidentTag)
    confirmed = (
        select(other.id)
        .where(
            other.resident_id == ResidentTag.resident_id,
            other.tag == ResidentTag.tag,
            other.source == "confirmed",
            other.deleted.is_(False),
            or_(other.start_on.is_(None), other.start_on <= today),
            or_(other.end_on.is_(None), other.end_on > today),
        )
        .exists()
    )
    return (
        select(ResidentTag)
        .join(ranked, and_(ranked.c.id == ResidentTag.id, ranked.c.rank == 1))
        .join(Resident, Resident.id == ResidentTag.resident_id)
        .where(
            Resident.deleted.is_(False),
            or_(Resident.ended_on.is_(None), Resident.ended_on > today),
            ~confirmed,
        )
        .order_by(*order)
    )


def to_confirm(session: Session, user: User, today: date, page: int, per_page: int) -> Page:
    """One page of the "confirm with the centre" list, each item with its resident and record."""
    page, per_page = max(page, 1), max(1, min(per_page, MAX_PER_PAGE))
    stmt = to_confirm_query(user, today)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    spans = session.scalars(
        stmt.options(selectinload(ResidentTag.resident).selectinload(Resident.village))
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    ids = {s.record_id for s in spans if s.record_id}
    records = {}
    if ids:
        found = session.execute(
            select(ServiceRecord.id, ServiceRecord.form_code, ServiceRecord.visit_date).where(
                ServiceRecord.id.in_(ids)
            )
        )
        records = {rid: {"id": rid, "form_code": f, "visit_date": day} for rid, f, day in found}
    items = [{"span": s, "record": records.get(s.record_id)} for s in spans]
    return Page(items=items, total=total or 0, page=page, per_page=per_page)
