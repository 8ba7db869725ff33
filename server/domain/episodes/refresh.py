"""Keeping a resident's stored episodes and form tag spans equal to the fold of their records.

Called in the same transaction as every write that can change the fold: a pushed record (the
sync hook `after_record_write`, bulk and single path), a review, a resolved conflict, a merge.
Rows the fold no longer makes become tombstones; rows it still makes keep their id, and a span
keeps its source and confirmer (only its dates and record follow the fold). Each change is a
server write, so phones pull it and the audit trail keeps it.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from server.domain.episodes.effects import effects_of
from server.domain.episodes.fold import fold
from server.domain.episodes.listends import wanted_end
from server.domain.episodes.model import Episode
from server.domain.episodes.synced import EPISODE
from server.domain.records.form_labels import DefinitionCache
from server.domain.records.model import ServiceRecord
from server.domain.registry.model import Resident, ResidentTag
from server.domain.registry.synced_tags import RESIDENT_TAG
from sync.changes import server_write, version_state
from sync.entities import as_uuid, to_json
from sync.spec import EntitySpec


def _record_state(record: ServiceRecord) -> dict[str, Any]:
    return {
        "id": str(record.id),
        "form_code": record.form_code,
        "form_version": record.form_version,
        "visit_date": record.visit_date.isoformat(),
        "created_at": to_json(record.created_at),
        "data": record.data or {},
        "deleted": record.deleted,
        "review_status": record.review_status,
    }


def _day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _episode_values(found: dict[str, Any], village_id: int) -> dict[str, Any]:
    reason = found["close_reason"]
    return {
        "village_id": village_id,
        "kind": found["kind"],
        "condition": found["condition"],
        "status": found["status"],
        "opened_on": _day(found["opened_on"]),
        "closed_on": _day(found["closed_on"]),
        "close_reason": None if reason is None else str(reason)[:32],
        "facts": found["facts"],
        "opened_by_record_id": as_uuid(found["opened_by_record_id"]),
        "updated_by_record_id": as_uuid(found["updated_by_record_id"]),
    }


def _span_values(found: dict[str, Any], village_id: int) -> dict[str, Any]:
    return {
        "village_id": village_id,
        "tag": found["tag"],
        "start_on": _day(found["start_on"]),
        "end_on": _day(found["end_on"]),
        "record_id": as_uuid(found["record_id"]),
    }


def _keeping_staff_ends(
    stored: list[ResidentTag], wanted: dict[uuid.UUID, dict[str, Any]]
) -> dict[uuid.UUID, dict[str, Any]]:
    """A span staff removed stays ended from that day, whatever later records fold to: the
    centre's "not so" outranks a form's effect (docs/tags.md)."""
    for span in stored:
        values = wanted.get(span.id)
        if values is None or span.ended_by_id is None or span.end_on is None:
            continue
        if values["end_on"] is None or values["end_on"] > span.end_on:
            values["end_on"] = span.end_on
    return wanted


class Writer:
    """Server writes of derived rows, counted by (entity, action) for the recompute's report."""

    def __init__(self, session: Session, actor_id: int | None, device_id: int | None) -> None:
        self.session, self.actor_id, self.device_id = session, actor_id, device_id
        self.counts: Counter[tuple[str, str]] = Counter()

    def write(self, spec: EntitySpec, obj: Any, action: str) -> None:
        server_write(
            self.session, spec, obj, actor_id=self.actor_id, action=action, device_id=self.device_id
        )
        self.counts[spec.name, action] += 1

    def sync(
        self,
        spec: EntitySpec,
        stored: Iterable[Any],
        wanted: dict[uuid.UUID, dict[str, Any]],
        **new: Any,
    ) -> None:
        """Insert, update or tombstone `stored` rows so the live ones are exactly `wanted`."""
        by_id = {row.id: row for row in stored}
        for ident, values in wanted.items():
            row = by_id.get(ident)
            if row is None:
                row = spec.model(id=ident, **new, **values)
                self.session.add(row)
                self.write(spec, row, "create")
            elif row.deleted or any(getattr(row, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(row, key, value)
                row.deleted = False
                self.write(spec, row, "update")
        for ident, row in by_id.items():
            if ident not in wanted and not row.deleted:
                row.deleted = True
                self.write(spec, row, "delete")


def _end_list_spans(writer: Writer, spans: list[ResidentTag], ends: list[dict[str, Any]]) -> None:
    for span in spans:
        wanted = wanted_end(span, ends)
        if wanted is None:
            continue
        end_on, note, record = wanted
        record = as_uuid(record) if record is not None else None
        if (end_on, note, record) != (span.end_on, span.note, span.record_id):
            span.end_on, span.note, span.record_id = end_on, note, record
            writer.write(RESIDENT_TAG, span, "update")


def refresh_loaded(
    writer: Writer,
    resident: Resident,
    records: Iterable[ServiceRecord],
    episodes: Iterable[Episode],
    spans: Iterable[ResidentTag],
    definitions: DefinitionCache,
) -> None:
    """Make one resident's stored episodes and form spans equal the fold of `records`, and
    end their register spans where a record's tag end says so (listends.py).

    `records` may leave out records of forms without effects (they fold to nothing); `spans`
    are the resident's spans (any origin).
    """
    folded = fold(str(resident.id), [_record_state(r) for r in records], definitions.get)
    village = resident.village_id
    writer.sync(
        EPISODE,
        episodes,
        {as_uuid(e["id"]): _episode_values(e, village) for e in folded["episodes"]},
        resident_id=resident.id,
    )
    spans = list(spans)
    told = [s for s in spans if s.origin != "form" and not s.deleted]
    _end_list_spans(writer, told, folded["ends"])
    spans = [s for s in spans if s.origin == "form"]
    writer.sync(
        RESIDENT_TAG,
        spans,
        _keeping_staff_ends(
            spans, {as_uuid(s["id"]): _span_values(s, village) for s in folded["spans"]}
        ),
        resident_id=resident.id,
        origin="form",
        source="reported",
    )


def refresh_resident(
    session: Session,
    resident_id: Any,
    *,
    actor_id: int | None,
    device_id: int | None = None,
    definitions: DefinitionCache | None = None,
) -> None:
    """Recompute one resident's episodes and form spans from their records; does not commit."""
    resident = session.get(Resident, as_uuid(resident_id))
    if resident is None:
        return
    refresh_loaded(
        Writer(session, actor_id, device_id),
        resident,
        session.scalars(select(ServiceRecord).where(ServiceRecord.resident_id == resident.id)),
        session.scalars(select(Episode).where(Episode.resident_id == resident.id)),
        session.scalars(select(ResidentTag).where(ResidentTag.resident_id == resident.id)),
        definitions or DefinitionCache(session),
    )


def residents_citing(session: Session, record_id: uuid.UUID) -> set[uuid.UUID]:
    """Residents with an episode or form span that names this record (it may have moved)."""
    episodes = select(Episode.resident_id).where(
        or_(Episode.opened_by_record_id == record_id, Episode.updated_by_record_id == record_id)
    )
    spans = select(ResidentTag.resident_id).where(ResidentTag.record_id == record_id)
    return set(session.scalars(episodes)) | set(session.scalars(spans))


def _has_effects(definitions: DefinitionCache, state: dict[str, Any] | None) -> bool:
    if not state or not state.get("resident_id"):
        return False
    definition = definitions.get(state["form_code"], state["form_version"])
    return definition is not None and bool(effects_of(definition))


def residents_of_record(
    session: Session, record: ServiceRecord, definitions: DefinitionCache
) -> set[uuid.UUID]:
    """Whose fold a write of `record` may change: every resident whose rows name it, and the
    resident it has now and had before this write when that version's form has effects.

    A record moved to another resident (an edit, a resolved conflict, a merge) can leave
    effects behind that no row names (a tag's end, an update of an episode another record
    opened), so its former resident is refreshed too.
    """
    residents = residents_citing(session, record.id)
    now = {"resident_id": record.resident_id, "form_code": record.form_code}
    states = [{**now, "form_version": record.form_version}]
    if record.version and record.version > 1:
        states.append(version_state(session, "service_record", record.id, record.version - 1))
    for state in states:
        if _has_effects(definitions, state):
            residents.add(as_uuid(state["resident_id"]))
    return residents


def refresh_record(
    session: Session,
    record: ServiceRecord,
    *,
    actor_id: int | None,
    device_id: int | None = None,
    definitions: DefinitionCache | None = None,
) -> None:
    """Refresh every resident a write of `record` may have changed (residents_of_record)."""
    cache = definitions or DefinitionCache(session)
    for resident_id in sorted(residents_of_record(session, record, cache)):
        refresh_resident(
            session, resident_id, actor_id=actor_id, device_id=device_id, definitions=cache
        )


def after_record_write(ctx: Any, spec: Any, row_id: Any, op: str, state: dict[str, Any]) -> None:
    """The sync hook of service records: refresh the residents whose fold it may change.

    A new record of a form with no effects changes nothing, so a batch of ordinary visits
    costs one cached definition look-up each.
    """
    cache = ctx.batch_value("effect_definitions", lambda: DefinitionCache(ctx.session))
    if op == "create":
        if not _has_effects(cache, state):
            return
        refresh_resident(
            ctx.session,
            state["resident_id"],
            actor_id=ctx.user.id,
            device_id=ctx.device_id,
            definitions=cache,
        )
        return
    record = ctx.session.get(ServiceRecord, as_uuid(row_id))
    if record is not None:
        refresh_record(
            ctx.session, record, actor_id=ctx.user.id, device_id=ctx.device_id, definitions=cache
        )
