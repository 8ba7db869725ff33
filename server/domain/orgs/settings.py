"""A unit's settings: a county's choices, kept on the org unit so its admin can change them.

Each setting is a key with a check and a default (DOMAIN.md B.4: the immunisation schedule
version now; clinic days, campaign windows and interval settings join `SETTINGS` as keys with
their own check). A unit stores only what it sets itself; the value in effect for a unit is its
own, else its township's, else its county's, else the default, so a township may follow another
edition than its county. No Flask.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.core.org import OrgUnit
from server.core.problems import NIP_VERSION_UNKNOWN, ORG_SETTING_UNKNOWN, Problem
from server.domain.orgs.importing import audit_unit
from server.domain.schedules import nip


def _nip_version(value: Any) -> str:
    known = nip.versions()
    if value not in known:
        params = {"value": str(value), "known": ", ".join(known)}
        message = NIP_VERSION_UNKNOWN.message.format(**params)
        raise Problem(NIP_VERSION_UNKNOWN, errors={"nip_version": [message]}, **params)
    return value


@dataclass(frozen=True)
class Setting:
    key: str
    default: Any
    check: Callable[[Any], Any]  # the value as stored, or a Problem naming the key
    # The values it may take, each with its zh/en label, where the list is fixed.
    choices: Callable[[], list[dict[str, Any]]] | None = None


def _nip_choices() -> list[dict[str, Any]]:
    return [{"value": v, "label": nip.schedule(v).title} for v in nip.versions()]


SETTINGS: dict[str, Setting] = {
    s.key: s for s in (Setting("nip_version", "nip_2025", _nip_version, choices=_nip_choices),)
}


@dataclass(frozen=True)
class InEffect:
    """A setting's value for a unit and where it comes from: the unit itself, an ancestor
    (`source_id`), or the default (`source_id` None)."""

    value: Any
    source_id: int | None


def checked_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """The changes with each value as stored; None means "inherit again". Unknown keys and bad
    values are refused with their code."""
    unknown = sorted(set(changes) - set(SETTINGS))
    if unknown:
        params = {"key": ", ".join(unknown), "known": ", ".join(SETTINGS)}
        message = ORG_SETTING_UNKNOWN.message.format(**params)
        raise Problem(ORG_SETTING_UNKNOWN, errors={key: [message] for key in unknown}, **params)
    return {
        key: None if value is None else SETTINGS[key].check(value) for key, value in changes.items()
    }


def apply_changes(own: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A unit's own settings after checked changes: a None removes the key."""
    after = {k: v for k, v in own.items() if k not in changes}
    after |= {k: v for k, v in changes.items() if v is not None}
    return after


def change_settings(
    session: Session, actor_id: int | None, unit: OrgUnit, changes: dict[str, Any]
) -> dict[str, Any]:
    """Set (or, with None, clear) some of a unit's own settings, audited on the unit; a change
    that leaves them as they were writes nothing."""
    before = dict(unit.settings or {})
    after = apply_changes(before, checked_changes(changes))
    if after != before:
        unit.settings = after
        session.flush()
        audit_unit(
            session,
            actor_id,
            unit,
            "update",
            {"settings": before},
            {"settings": after},
            unit_id=unit.id,
        )
    return after


def resolve(chain: Sequence[tuple[int, dict[str, Any]]]) -> dict[str, InEffect]:
    """Each setting in effect for the first unit of `chain` (the unit, its parent, …, the
    county, as (id, own settings)): the nearest unit that sets it, else the default."""
    resolved = {}
    for key, setting in SETTINGS.items():
        found = next(((uid, own[key]) for uid, own in chain if key in (own or {})), None)
        resolved[key] = (
            InEffect(setting.default, None) if found is None else InEffect(found[1], found[0])
        )
    return resolved


def ancestry(session: Session, unit: OrgUnit) -> list[OrgUnit]:
    """The unit and its ancestors, nearest first (read from its path in one query)."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    by_id = {u.id: u for u in session.scalars(select(OrgUnit).where(OrgUnit.id.in_(ids)))}
    return [by_id[i] for i in reversed(ids) if i in by_id] or [unit]


def in_effect(session: Session, unit: OrgUnit) -> dict[str, InEffect]:
    """The unit's settings in effect, inherited where it sets none."""
    return resolve([(u.id, u.settings or {}) for u in ancestry(session, unit)])


def nip_version_of(session: Session, unit: OrgUnit) -> str:
    """The immunisation schedule edition a unit follows (a village's: the phone's tasks)."""
    return in_effect(session, unit)["nip_version"].value


def choices() -> dict[str, list[dict[str, Any]]]:
    """The values a setting may take and their labels, where the list is fixed (the
    workspace's menu)."""
    return {key: s.choices() for key, s in SETTINGS.items() if s.choices is not None}
