"""The review queue: which records a supervisor sees, and approve / return / reject.

A review is a server-side write of a synced row: it goes through `sync.changes.server_write`,
so the new status and comment reach the author's phone through the pull feed, and the audit
trail keeps who did what, when, and why. A review names the version the supervisor looked at;
if the assistant has uploaded a newer one since, the review is refused instead of approving
something nobody has read.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from server.core.db import utcnow
from server.core.org import OrgUnit
from server.core.paging import paginate
from server.core.problems import (
    RECORD_ALREADY_REVIEWED,
    RECORD_NOT_FOUND,
    REVIEW_COMMENT_REQUIRED,
    SELF_REVIEW,
    STALE_VERSION,
    Problem,
)
from server.core.scope import get_in_scope, scoped
from server.domain.accounts.model import Device, User
from server.domain.episodes.refresh import refresh_resident
from server.domain.records.form_labels import (
    DefinitionCache,
    form_definition,
    form_title,
    labelled_fields,
)
from server.domain.records.model import ServiceRecord
from server.domain.records.synced import SERVICE_RECORD
from server.domain.registry.privacy import (
    MASKED_FORM_CODE,
    SENSITIVE_FORMS,
    care_condition,
    masks_record,
)
from server.domain.review.flags import applying, record_marks
from server.domain.review.history import history, people_by_id
from server.domain.review.sensitive import for_viewer
from sync.changes import server_write

ACTIONS = {"approve": "approved", "return": "returned", "reject": "rejected"}
NEEDS_COMMENT = {"return": "comment", "reject": "reason"}


@dataclass(frozen=True)
class RecordFilters:
    """The queue's filters; also used by the exports, so both always show the same records."""

    village_id: int | None = None
    township_id: int | None = None
    author_id: int | None = None
    form_code: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    status: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in vars(self).items()}


def apply_filters(stmt: Select, user: User, filters: RecordFilters) -> Select:
    """Scope first, then the caller's filters; deleted records never show."""
    stmt = scoped(stmt, ServiceRecord, user).where(ServiceRecord.deleted.is_(False))
    if filters.village_id is not None:
        stmt = stmt.where(ServiceRecord.village_id == filters.village_id)
    if filters.township_id is not None:
        stmt = stmt.where(
            ServiceRecord.village_id.in_(
                select(OrgUnit.id).where(OrgUnit.parent_id == filters.township_id)
            )
        )
    if filters.author_id is not None:
        stmt = stmt.where(ServiceRecord.author_id == filters.author_id)
    cared = care_condition(ServiceRecord.village_id, user)
    if filters.form_code == MASKED_FORM_CODE:  # the sensitive records the caller sees masked
        stmt = stmt.where(ServiceRecord.form_code.in_(SENSITIVE_FORMS), ~cared)
    elif filters.form_code:
        stmt = stmt.where(ServiceRecord.form_code == filters.form_code)
        if filters.form_code in SENSITIVE_FORMS:  # finds only whom the caller cares for
            stmt = stmt.where(cared)
    if filters.date_from is not None:
        stmt = stmt.where(ServiceRecord.visit_date >= filters.date_from)
    if filters.date_to is not None:
        stmt = stmt.where(ServiceRecord.visit_date <= filters.date_to)
    if filters.status:
        stmt = stmt.where(ServiceRecord.review_status == filters.status)
    return stmt


NEWEST_FIRST = (ServiceRecord.created_at.desc(), ServiceRecord.id.desc())


def record_page(
    session: Session, user: User, filters: RecordFilters, page: int = 1, per_page: int = 50
) -> tuple[list[ServiceRecord], int]:
    """One page of the queue, newest received first, and the total number of matches."""
    stmt = (
        apply_filters(select(ServiceRecord), user, filters)
        .options(selectinload(ServiceRecord.resident), selectinload(ServiceRecord.village))
        .order_by(*NEWEST_FIRST)
    )
    found = paginate(session, stmt, page, per_page)
    return found.items, found.total


def queue_items(
    session: Session, viewer: User, records: list[ServiceRecord]
) -> list[dict[str, Any]]:
    """Rows for the queue table: the record with its resident, village and author by name."""
    authors = people_by_id(session, {r.author_id for r in records})
    definitions = DefinitionCache(session)
    items = []
    for record in records:
        definition = definitions.get(record.form_code, record.form_version)
        masked = masks_record(viewer, record.form_code, record.village_id)
        item = {
            "record": record,
            "form_title": form_title(definition, record.form_code),
            "author": authors.get(record.author_id),
            "resident": record.resident,
            "village": record.village,
            "marks": [] if masked else _marks(session, definitions, record),
        }
        items.append(for_viewer(viewer, record, item))
    return items


def _marks(session: Session, definitions: DefinitionCache, record: ServiceRecord) -> list:
    return [m.as_dict() for m in record_marks(session, definitions, record)]


def load_record(session: Session, user: User, record_id: uuid.UUID) -> ServiceRecord:
    """A live record in the caller's scope, or 404."""
    record = get_in_scope(session, ServiceRecord, record_id, user, RECORD_NOT_FOUND)
    if record.deleted:
        raise Problem(RECORD_NOT_FOUND)
    return record


def record_detail(session: Session, user: User, record_id: uuid.UUID) -> dict[str, Any]:
    """Everything the supervisor needs to judge a record, with the full ID number."""
    record = load_record(session, user, record_id)
    definition = form_definition(session, record.form_code, record.form_version)
    people = people_by_id(session, {record.author_id} | {record.reviewed_by_id or record.author_id})
    device = session.get(Device, record.device_id) if record.device_id else None
    data = record.data or {}
    detail = {
        "record": record,
        "form_title": form_title(definition, record.form_code),
        "fields": applying(definition, data, labelled_fields(definition, data)),
        "marks": [m.as_dict() for m in record_marks(session, DefinitionCache(session), record)],
        "resident": record.resident,
        "village": record.village,
        "author": people.get(record.author_id),
        "reviewed_by": people.get(record.reviewed_by_id) if record.reviewed_by_id else None,
        "device": device,
        "history": history(session, record, definition),
    }
    return for_viewer(user, record, detail)


def review_record(
    session: Session,
    user: User,
    record: ServiceRecord,
    action: str,
    version: int,
    comment: str | None = None,
    device_id: int | None = None,
) -> ServiceRecord:
    """Approve, return or reject the version the reviewer saw; does not commit.

    Nobody reviews a record they wrote (403 `self_review`): a review is a second pair of eyes,
    and a supervisor who files a visit of their own has it reviewed by a colleague or the admin.
    """
    if record.author_id == user.id:
        raise Problem(SELF_REVIEW)
    comment = (comment or "").strip() or None
    if action in NEEDS_COMMENT and not comment:
        field = NEEDS_COMMENT[action]
        missing = REVIEW_COMMENT_REQUIRED.message.format(field=field, action=action)
        raise Problem(REVIEW_COMMENT_REQUIRED, missing, {field: [missing]})
    if version != record.version:
        raise Problem(
            STALE_VERSION,
            f"This record has changed since you opened it (you reviewed version {version}, "
            f"the current version is {record.version}). Open it again and review the new version.",
        )
    if record.review_status != "pending":
        raise Problem(RECORD_ALREADY_REVIEWED, review_status=record.review_status)
    record.review_status = ACTIONS[action]
    record.review_comment = comment
    record.reviewed_by_id = user.id
    record.reviewed_at = utcnow()
    server_write(
        session,
        SERVICE_RECORD,
        record,
        actor_id=user.id,
        action=action,
        device_id=device_id,
        comment=comment,
    )
    if record.review_status == "rejected" and record.resident_id is not None:
        # A rejected record no longer counts: its effects leave the resident's episodes.
        refresh_resident(session, record.resident_id, actor_id=user.id, device_id=device_id)
    return record


def approve_many(
    session: Session,
    user: User,
    items: list[dict[str, Any]],
    device_id: int | None = None,
) -> list[dict[str, Any]]:
    """Approve each (id, version) on its own: a stale or missing one does not stop the others."""
    results = []
    for item in items:
        # Every refusal happens before anything is written, so no savepoint is needed.
        try:
            record = load_record(session, user, item["id"])
            review_record(session, user, record, "approve", item["version"], None, device_id)
        except Problem as error:
            refusal = {"status": "refused", "code": error.code, "message": error.message}
            results.append({"id": item["id"], **refusal})
            continue
        results.append({"id": item["id"], "status": "approved", "version": record.version})
    return results
