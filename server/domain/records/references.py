"""Form fields that name a resident (a child's guardian, a patient's carer): checked like any
other reference, not only for the shape of a UUID.

A pushed record may only point at a live resident the pushing user may see, in the villages
their push is scoped to; anything else (no such resident, deleted, merged away, another
village) answers the same "no such resident" under `data.<field>`, so ids elsewhere cannot be
probed. The engine stays entity-free: this is the service record spec's domain check, run on
the bulk and the single-row path alike, and a refusal rejects only that mutation.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from server.domain.records.catalogue import get_definition
from server.domain.registry.model import Resident
from sync.context import PushContext

NO_SUCH_RESIDENT = "No such resident in your villages; choose a registered resident."


def _resident_fields(ctx: PushContext, code: Any, version: Any) -> tuple[str, ...]:
    """Names of the form version's `resident` fields, looked up once per batch."""
    known: dict[tuple[Any, Any], tuple[str, ...]] = ctx.batch_value("resident_fields", dict)
    key = (code, version)
    if not isinstance(code, str) or not isinstance(version, int) or isinstance(version, bool):
        return ()  # a malformed push: its parse errors answer it
    if key not in known:
        fields = (get_definition(ctx.session, code, version) or {}).get("fields", [])
        known[key] = tuple(f["name"] for f in fields if f.get("type") == "resident")
    return known[key]


def _named_ids(ctx: PushContext, state: dict[str, Any], skip: Any = ()) -> dict[str, uuid.UUID]:
    data = state.get("data") if isinstance(state, dict) else None
    if not isinstance(data, dict):
        return {}
    named: dict[str, uuid.UUID] = {}
    for name in _resident_fields(ctx, state.get("form_code"), state.get("form_version")):
        value = data.get(name)
        if value in (None, "") or name in skip:
            continue
        try:
            named[name] = uuid.UUID(str(value))
        except ValueError:
            continue
    return named


def referenced_residents(ctx: PushContext, pushed: Any) -> set[uuid.UUID]:
    """The residents a pushed create names in its form (the spec's `refers_to`): a guardian
    registered earlier in the same batch is written before this record is checked."""
    return set(_named_ids(ctx, pushed).values()) if isinstance(pushed, dict) else set()


def resident_reference_problems(
    ctx: PushContext, state: dict[str, Any], already: dict[str, Any]
) -> dict[str, list[str]]:
    """`data.<field>` problems for resident fields naming a resident the user may not link.

    `already` holds the form's own problems: a field that failed its shape check is not
    looked up again.
    """
    named = _named_ids(ctx, state, already)
    if not named:
        return {}
    stmt = select(Resident.id).where(
        Resident.id.in_(set(named.values())),
        Resident.deleted.is_(False),
        Resident.village_id.in_(ctx.villages),
    )
    found = set(ctx.session.scalars(stmt))
    return {name: [NO_SUCH_RESIDENT] for name, ident in named.items() if ident not in found}
