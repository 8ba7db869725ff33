"""The supervisor's month at a glance: services delivered, the review backlog, silent phones.

Plain functions over a session, scoped to the caller like every other query, so they can be
tested without HTTP. Counts are of live (not deleted) records whose visit date falls in the month.
"""

from __future__ import annotations

import statistics
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from server.core.db import utcnow
from server.core.org import OrgUnit
from server.core.scope import scoped
from server.domain.accounts.model import Device, User
from server.domain.indicators.population import population
from server.domain.records.catalogue import listed_definitions
from server.domain.records.form_labels import form_title
from server.domain.records.model import ServiceRecord
from server.domain.registry.privacy import (
    MASKED_FORM_CODE,
    SENSITIVE_FORMS,
    care_condition,
    masked_form_title,
)

SILENT_AFTER = timedelta(days=3)


def month_bounds(month: date) -> tuple[date, date]:
    """First day of the month and first day of the next one."""
    start = month.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return start, following


def parse_month(text: str) -> date:
    """`YYYY-MM` to the first day of that month; ValueError when it is not one."""
    year, _, month = text.partition("-")
    if len(year) != 4 or len(month) != 2:
        raise ValueError(text)
    return date(int(year), int(month), 1)


def shown_form_code(user: User):
    """The form code as `user` may see it: a sensitive follow-up of a village they do not care
    for counts as the masked `followup`, as the record lists show it, so the counts cannot be
    laid beside those lists to tell who has TB."""
    hidden = and_(
        ServiceRecord.form_code.in_(SENSITIVE_FORMS),
        ~care_condition(ServiceRecord.village_id, user),
    )
    return case((hidden, MASKED_FORM_CODE), else_=ServiceRecord.form_code)


def _month_records(user: User, month: date):
    start, end = month_bounds(month)
    code = shown_form_code(user).label("form_code")
    stmt = select(code, ServiceRecord.village_id, func.count(ServiceRecord.id))
    return (
        scoped(stmt, ServiceRecord, user)
        .where(
            ServiceRecord.deleted.is_(False),
            ServiceRecord.visit_date >= start,
            ServiceRecord.visit_date < end,
        )
        .group_by(code, ServiceRecord.village_id)
    )


def services_by_form_and_village(session: Session, user: User, month: date) -> dict[str, Any]:
    """A villages x forms table for the month, with totals each way."""
    cells = [
        {"form_code": code, "village_id": village, "count": count}
        for code, village, count in session.execute(_month_records(user, month))
    ]
    villages = {
        unit.id: unit
        for unit in session.scalars(
            scoped(select(OrgUnit), OrgUnit, user)
            .where(OrgUnit.level == "village")
            .order_by(OrgUnit.path)
        )
    }
    by_form: dict[str, int] = {}
    by_village: dict[int, int] = dict.fromkeys(villages, 0)
    for cell in cells:
        by_form[cell["form_code"]] = by_form.get(cell["form_code"], 0) + cell["count"]
        by_village[cell["village_id"]] = by_village.get(cell["village_id"], 0) + cell["count"]
    titles = current_titles(session)
    forms = [
        {"form_code": code, "title": titles.get(code, code), "count": count}
        for code, count in sorted(by_form.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return {
        "cells": cells,
        "by_form": forms,
        "by_village": [
            {"village_id": vid, "name": villages[vid].name if vid in villages else "", "count": n}
            for vid, n in by_village.items()
        ],
        "total": sum(by_form.values()),
    }


def current_titles(session: Session) -> dict[str, str]:
    """Chinese title of each form's current version, by code (and the masked follow-up's)."""
    titles = {
        row.code: form_title(row.definition, row.code)
        for row in listed_definitions(session)
        if row.status == "current"
    }
    return {**titles, MASKED_FORM_CODE: masked_form_title()}


def records_per_assistant(session: Session, user: User, month: date) -> list[dict[str, Any]]:
    """Every active assistant in scope with their record count for the month (zero included)."""
    start, end = month_bounds(month)
    joined = and_(
        ServiceRecord.author_id == User.id,
        ServiceRecord.deleted.is_(False),
        ServiceRecord.visit_date >= start,
        ServiceRecord.visit_date < end,
    )
    stmt = (
        scoped(select(User, func.count(ServiceRecord.id)), User, user)
        .outerjoin(ServiceRecord, joined)
        .where(User.role == "assistant", User.active.is_(True))
        .group_by(User.id)
        .order_by(func.count(ServiceRecord.id).desc(), User.username)
    )
    rows = session.execute(stmt).all()
    last_syncs = _last_syncs(session, [assistant.id for assistant, _ in rows])
    return [
        {
            "user_id": assistant.id,
            "username": assistant.username,
            "full_name": assistant.full_name,
            "org_unit_id": assistant.org_unit_id,
            "count": count,
            "last_sync_at": last_syncs.get(assistant.id),
        }
        for assistant, count in rows
    ]


def _last_syncs(session: Session, user_ids: list[int]) -> dict[int, datetime]:
    """The latest sync of each user from any device not revoked."""
    if not user_ids:
        return {}
    stmt = (
        select(Device.user_id, func.max(Device.last_sync_at))
        .where(Device.user_id.in_(user_ids), Device.revoked_at.is_(None))
        .group_by(Device.user_id)
    )
    return {uid: last for uid, last in session.execute(stmt) if last is not None}


def review_backlog(session: Session, user: User, now: datetime | None = None) -> dict[str, Any]:
    """Pending records and how long they have waited since they arrived (or came back corrected).

    Counted and ranked in the database (a township can hold 100,000 pending records): the count,
    the oldest, and the middle one or two of the pending records ordered by arrival.
    """
    now = now or utcnow()
    pending = scoped(select(ServiceRecord.updated_at), ServiceRecord, user).where(
        ServiceRecord.deleted.is_(False), ServiceRecord.review_status == "pending"
    )
    count = session.scalar(select(func.count()).select_from(pending.subquery())) or 0
    if not count:
        return {"count": 0, "oldest_days": None, "median_days": None}
    ordered = pending.order_by(ServiceRecord.updated_at)
    oldest = session.scalar(ordered.limit(1))
    middle = list(session.scalars(ordered.offset((count - 1) // 2).limit(2 - count % 2)))
    days = [(now - moment).total_seconds() / 86400 for moment in middle]
    return {
        "count": count,
        "oldest_days": round((now - oldest).total_seconds() / 86400, 1),
        "median_days": round(statistics.fmean(days), 1),
    }


def silent_assistants(
    session: Session, user: User, now: datetime | None = None
) -> list[dict[str, Any]]:
    """Active assistants whose last sync from any live device is over three days old, or never."""
    now = now or utcnow()
    stmt = (
        scoped(select(User), User, user)
        .where(User.role == "assistant", User.active.is_(True))
        .order_by(User.username)
    )
    assistants = session.scalars(stmt).all()
    last_syncs = _last_syncs(session, [assistant.id for assistant in assistants])
    out = []
    for assistant in assistants:
        last = last_syncs.get(assistant.id)
        if last is None or now - last > SILENT_AFTER:
            out.append(
                {
                    "user_id": assistant.id,
                    "username": assistant.username,
                    "full_name": assistant.full_name,
                    "org_unit_id": assistant.org_unit_id,
                    "last_sync_at": last,
                    "days_silent": round((now - last).total_seconds() / 86400, 1) if last else None,
                }
            )
    return out


def month_overview(
    session: Session, user: User, month: date, today: date | None = None
) -> dict[str, Any]:
    """Everything the overview screen shows, in one answer.

    The register counts people active on the month's last day (today, for this month).
    """
    last_day = month_bounds(month)[1] - timedelta(days=1)
    day = min(last_day, today) if today is not None else last_day
    return {
        "register": population(session, user, day),
        "month": month.strftime("%Y-%m"),
        "services": services_by_form_and_village(session, user, month),
        "per_assistant": records_per_assistant(session, user, month),
        "backlog": review_backlog(session, user),
        "silent_assistants": silent_assistants(session, user),
    }
