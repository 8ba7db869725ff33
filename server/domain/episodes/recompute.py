"""Recomputing stored episodes and form spans for many residents: the demo, imports, upgrades.

Records written without the push hook (the demo's bulk insert, imported records, data from
before effects existed) have no episodes or form spans; `recompute_batches` folds every
resident in scope batch by batch, each batch in its own transaction, so memory stays bounded
and pushes wait at most one batch for the feed counter. The fold is deterministic and a row
is written only when it differs, so running it again writes nothing.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from server.core.org import OrgUnit
from server.domain.episodes.effects import effects_of
from server.domain.episodes.model import Episode
from server.domain.episodes.refresh import Writer, refresh_loaded
from server.domain.records.form_labels import DefinitionCache
from server.domain.records.model import FormDefinition, ServiceRecord
from server.domain.registry.model import Resident, ResidentTag
from sync.changes import lock_feed

DEFAULT_BATCH = 200


def forms_with_effects(session: Session) -> set[str]:
    """Codes of the forms of which some stored version has effects (legacy ones included)."""
    return {
        row.code
        for row in session.scalars(select(FormDefinition))
        if effects_of(row.definition or {})
    }


def _residents(unit: OrgUnit | None, codes: set[str], after: uuid.UUID | None) -> Select[Any]:
    """Residents in `unit` with a record of a form with effects or a derived row, by id."""
    has_rows = or_(
        Resident.id.in_(
            select(ServiceRecord.resident_id).where(ServiceRecord.form_code.in_(sorted(codes)))
        ),
        Resident.id.in_(select(Episode.resident_id)),
        Resident.id.in_(select(ResidentTag.resident_id).where(ResidentTag.origin == "form")),
    )
    query = select(Resident).where(has_rows).order_by(Resident.id)
    if after is not None:
        query = query.where(Resident.id > after)
    if unit is not None:
        villages = select(OrgUnit.id).where(OrgUnit.path.startswith(unit.path, autoescape=True))
        query = query.where(Resident.village_id.in_(villages))
    return query


def _grouped(session: Session, query: Select[Any]) -> dict[uuid.UUID, list[Any]]:
    found: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for row in session.scalars(query):
        found[row.resident_id].append(row)
    return found


def recompute_batch(
    session: Session,
    residents: list[Resident],
    codes: set[str],
    definitions: DefinitionCache,
    actor_id: int | None = None,
) -> Counter[tuple[str, str]]:
    """Refresh these residents with one query per table; the writes, by (entity, action)."""
    ids = [r.id for r in residents]
    records = _grouped(
        session,
        select(ServiceRecord).where(
            ServiceRecord.resident_id.in_(ids), ServiceRecord.form_code.in_(sorted(codes))
        ),
    )
    episodes = _grouped(session, select(Episode).where(Episode.resident_id.in_(ids)))
    spans = _grouped(
        session,
        select(ResidentTag).where(ResidentTag.resident_id.in_(ids)),
    )
    writer = Writer(session, actor_id, None)
    for resident in residents:
        refresh_loaded(
            writer,
            resident,
            records[resident.id],
            episodes[resident.id],
            spans[resident.id],
            definitions,
        )
    return writer.counts


def recompute_batches(
    session: Session,
    unit: OrgUnit | None = None,
    *,
    batch_size: int = DEFAULT_BATCH,
    actor_id: int | None = None,
) -> Iterator[tuple[int, Counter[tuple[str, str]]]]:
    """Refresh every resident of `unit` (all when None), a batch at a time.

    Yields (residents in the batch, its writes) after each batch, uncommitted: the caller
    commits, and the next batch starts a new transaction. Each batch takes the feed counter
    first, as a push does (sync/changes.py `lock_feed`), so it neither deadlocks with a push
    nor reads a resident's records while a push of them is still uncommitted.
    """
    definitions = DefinitionCache(session)
    codes = forms_with_effects(session)
    unit_id = None if unit is None else unit.id
    after: uuid.UUID | None = None
    while True:
        lock_feed(session)
        scope = None if unit_id is None else session.get(OrgUnit, unit_id)
        batch = list(session.scalars(_residents(scope, codes, after).limit(batch_size)))
        if not batch:
            return
        after = batch[-1].id
        counts = recompute_batch(session, batch, codes, definitions, actor_id)
        yield len(batch), counts  # committed rows are held weakly: the batch is let go here
