"""A record's history as the supervisor reads it: every write, oldest first, with who made it and
the old and new value of each form field it changed (from the audit trail)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.core.audit import audit_entries
from server.domain.accounts.model import User
from server.domain.records.form_labels import display_value, field_label
from server.domain.records.model import ServiceRecord


def people_by_id(session: Session, ids: set[int]) -> dict[int, User]:
    if not ids:
        return {}
    return {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))}


def _actor_names(session: Session, entries: list[Any]) -> dict[int, User]:
    return people_by_id(session, {e.actor_id for e in entries if e.actor_id is not None})


def history(
    session: Session, record: ServiceRecord, definition: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Every write to the record, oldest first: uploads, corrections and reviews, with comments,
    and for each changed form field its old and new value as a reader sees them."""
    specs = {f["name"]: f for f in (definition or {}).get("fields", [])}
    entries = audit_entries(session, "service_record", str(record.id), writes_only=True)
    actors = _actor_names(session, entries)
    out = []
    for index, entry in enumerate(entries):
        after = entry.after or {}
        # Every write of a synced row bumps its version once and is audited once, so counting
        # back from the current version names the version each entry made.
        version = after.get("version") or record.version - (len(entries) - 1 - index)
        out.append(
            {
                "at": entry.at,
                "action": entry.action,
                "actor": actors.get(entry.actor_id),
                "device_id": entry.device_id,
                "version": version,
                "review_status": after.get("review_status"),
                "comment": entry.comment,
                "client_time": entry.client_time,
                "changed": sorted(_changed_fields(entry.before, after)),
                "changes": _field_changes(entry.before, after, specs),
            }
        )
    return out


def _field_changes(
    before: dict[str, Any] | None, after: dict[str, Any], specs: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """Old -> new of each form field a write changed (not listed for the first upload)."""
    if not before:
        return []
    old, new = before.get("data") or {}, after.get("data") or {}
    order = {name: index for index, name in enumerate(specs)}
    names = sorted(
        (k for k in set(old) | set(new) if old.get(k) != new.get(k)),
        key=lambda k: (order.get(k, len(order)), k),
    )
    return [
        {
            "name": name,
            "label": field_label(specs[name]) if name in specs else name,
            "old": display_value(specs.get(name), old.get(name)),
            "new": display_value(specs.get(name), new.get(name)),
        }
        for name in names
    ]


def _changed_fields(before: dict[str, Any] | None, after: dict[str, Any]) -> set[str]:
    """Names of what a write changed, form fields as `data.<name>`."""
    before = before or {}
    names = {k for k in after if k != "data" and before.get(k) != after.get(k)}
    old, new = before.get("data") or {}, after.get("data") or {}
    names |= {f"data.{k}" for k in set(old) | set(new) if old.get(k) != new.get(k)}
    return names
