"""Reading the audit trail: whose rows a caller may see, the filters, and the order.

Scope (docs/security.md, "The audit trail"): a row is visible when its actor's account, its
object's unit (`unit_id`), or the account or device it is about lies in the caller's subtree,
so a supervisor reads what happened in and to their township, and an admin their county. Rows
tied to none of these (a failed sign-in with a username nobody holds) are shown to admins only.
Assistants read no audit rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, String, and_, cast, or_, select
from sqlalchemy.orm import Session

from server.core.audit import READ_PREFIX, AuditEntry
from server.core.clock import LOCAL_TZ
from server.core.paging import Page, paginate
from server.core.problems import AUDIT_NOT_ALLOWED, Problem
from server.core.scope import unit_ids_in_scope
from server.domain.accounts.model import Device, User
from server.domain.registry.privacy import masked_snapshot, sees_sensitive

READERS = ("supervisor", "admin")
# Actions written when staff read personal data (the writes keep their own names).
READ_RESIDENT = READ_PREFIX + "resident"
READ_RECORD = READ_PREFIX + "record"
READ_HOUSEHOLD = READ_PREFIX + "household"
READ_ID_NUMBER = READ_PREFIX + "id_number"  # a detail view that showed the full ID number
# A view that showed sensitive facts (registry/privacy.py): one row per request, with a count.
READ_SENSITIVE = READ_PREFIX + "sensitive"
SEARCH_ID_NUMBER = "search.id_number"
LOOKUP_DUPLICATES = "lookup.duplicates"
EXPORT_CSV = "export.csv"
EXPORT_XLSX = "export.xlsx"


@dataclass(frozen=True)
class AuditFilters:
    """Who (account id or username), what (action; a trailing `.` or `*` makes it a prefix),
    which object (entity, entity id), and when (`since` inclusive, `until` exclusive)."""

    actor_id: int | None = None
    username: str | None = None
    action: str | None = None
    entity: str | None = None
    entity_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            k: (v.isoformat() if isinstance(v, datetime) else v)
            for k, v in vars(self).items()
            if v is not None
        }


def day_start(day: date) -> datetime:
    """Midnight of a China date, as an aware instant: day filters mean the users' calendar."""
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ)


def time_bound(value: date | datetime, *, end: bool) -> datetime:
    """A filter bound in UTC: an instant as given, or a China date's start (`end`: the next
    day's start, so `until=2026-11-30` takes in all of that day)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return day_start(value + timedelta(days=1) if end else value).astimezone(UTC)


def check_reader(user: User) -> None:
    """Only staff read the trail (403 `audit_not_allowed` for assistants)."""
    if user.role not in READERS:
        raise Problem(AUDIT_NOT_ALLOWED)


def scope_condition(user: User) -> Any:
    """The rows `user` may read (see the module docstring).

    A row is tied to the caller's subtree by its actor's account, by its object's unit, or,
    for rows about an account or a device that name no actor or unit (a failed sign-in as a
    real username, a reused refresh token), by that account's unit. Rows tied to nothing at
    all (entity `username`: a sign-in as a name nobody holds) are for admins only.
    """
    units = unit_ids_in_scope(user)
    accounts = select(User.id).where(User.org_unit_id.in_(units))
    account_keys = select(cast(User.id, String)).where(User.org_unit_id.in_(units))
    device_keys = select(cast(Device.id, String)).where(Device.user_id.in_(accounts))
    visible = or_(
        AuditEntry.unit_id.in_(units),
        AuditEntry.actor_id.in_(accounts),
        and_(AuditEntry.entity == "user", AuditEntry.entity_id.in_(account_keys)),
        and_(AuditEntry.entity == "device", AuditEntry.entity_id.in_(device_keys)),
    )
    if user.role == "admin":
        unowned = and_(
            AuditEntry.actor_id.is_(None),
            AuditEntry.unit_id.is_(None),
            AuditEntry.entity.not_in(("user", "device")),
        )
        visible = or_(visible, unowned)
    return visible


def audit_query(user: User, filters: AuditFilters) -> Select:
    """The caller's visible rows matching every filter, newest first."""
    check_reader(user)
    stmt = select(AuditEntry).where(scope_condition(user))
    if filters.actor_id is not None:
        stmt = stmt.where(AuditEntry.actor_id == filters.actor_id)
    if filters.username:
        named = select(User.id).where(User.username == filters.username.strip())
        stmt = stmt.where(AuditEntry.actor_id.in_(named))
    if filters.action:
        action = filters.action.strip()
        if action.endswith(("*", ".")):
            prefix = action.rstrip("*")
            stmt = stmt.where(AuditEntry.action.startswith(prefix, autoescape=True))
        else:
            stmt = stmt.where(AuditEntry.action == action)
    if filters.entity:
        stmt = stmt.where(AuditEntry.entity == filters.entity)
    if filters.entity_id:
        stmt = stmt.where(AuditEntry.entity_id == str(filters.entity_id))
    if filters.since is not None:
        stmt = stmt.where(AuditEntry.at >= filters.since)
    if filters.until is not None:
        stmt = stmt.where(AuditEntry.at < filters.until)
    return stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def audit_page(
    session: Session, user: User, filters: AuditFilters, page: int, per_page: int
) -> Page:
    return paginate(session, audit_query(user, filters), page, per_page)


def actors_by_id(session: Session, entries: list[AuditEntry]) -> dict[int, User]:
    ids = {e.actor_id for e in entries if e.actor_id is not None}
    if not ids:
        return {}
    return {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))}


def shown_states(user: User, entry: AuditEntry) -> tuple[Any, Any]:
    """The row's before and after as `user` may read them: sensitive tags and follow-ups
    masked unless they care for the residents of the row's unit (registry/privacy.py)."""
    if sees_sensitive(user, entry.unit_id):
        return entry.before, entry.after
    return masked_snapshot(entry.entity, entry.before), masked_snapshot(entry.entity, entry.after)
