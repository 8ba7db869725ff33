"""A resident's episodes and form-origin tag spans, folded from their live records.

Pure and deterministic: the same records and definitions always give the same rows with the
same ids (uuid5 of resident, kind or tag, and the record that opened it), so the server can
recompute a resident after any write or review and the phone (pwa/js/effects.js, the same
fold; cases in tests/contracts/effects.json) can show a form's effect before it syncs.
Records are JSON-like dicts (ISO dates); a record counts when it is neither deleted nor
rejected, in (visit_date, created_at, id) order.
"""

from __future__ import annotations

import calendar
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from server.domain.episodes.effects import VISIT_DATE, effects_of
from server.domain.records.conditions import condition_met
from server.domain.records.formfields import DATE_PATTERN
from server.domain.records.formrules import is_blank, visible_fields

NAMESPACE = uuid.UUID("d2c92a69-d9be-438c-a964-1e87032eba3d")
Definitions = Callable[[str, int], dict[str, Any] | None]


def episode_id(resident_id: str, kind: str, condition: str | None, record_id: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{resident_id}/episode/{kind}/{condition or ''}/{record_id}"))


def span_id(resident_id: str, tag: str, record_id: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{resident_id}/tag/{tag}/{record_id}"))


def live(record: dict[str, Any]) -> bool:
    return not record.get("deleted") and record.get("review_status") != "rejected"


def _instant(text: Any) -> datetime:
    value = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def in_order(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The live records in the order their effects apply."""
    return sorted(
        (r for r in records if live(r)),
        key=lambda r: (r["visit_date"], _instant(r["created_at"]), str(r["id"])),
    )


def applies(
    effect: dict[str, Any], specs: dict[str, dict[str, Any]], shown: set[str], data: dict[str, Any]
) -> bool:
    """Whether an effect's `when` holds (records/conditions.py, the dangers' own evaluator)."""
    when = effect.get("when")
    return when is None or any(condition_met(c, specs, shown, data) for c in when["any"])


def _answer(record: dict[str, Any], shown: set[str], source: str) -> Any:
    """A fact's value: the visit date, or the shown field's answer (None when blank)."""
    if source == VISIT_DATE:
        return record["visit_date"]
    value = (record.get("data") or {}).get(source) if source in shown else None
    return None if is_blank(value) else value


def _date_answer(record: dict[str, Any], shown: set[str], source: str) -> str | None:
    value = _answer(record, shown, source)
    return value if isinstance(value, str) and DATE_PATTERN.match(value) else None


def add_period(day: str, value: int, unit: str) -> str:
    """`day` plus whole days, weeks, months or years (a month end clamps: 31 Jan + 1 = 28 Feb)."""
    start = date.fromisoformat(day)
    if unit in ("days", "weeks"):
        return (start + timedelta(days=value * (7 if unit == "weeks" else 1))).isoformat()
    months = start.month - 1 + value * (12 if unit == "years" else 1)
    year, month = start.year + months // 12, months % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last)).isoformat()


class _Fold:
    def __init__(self, resident_id: str) -> None:
        self.resident_id = resident_id
        self.episodes: list[dict[str, Any]] = []
        self.spans: list[dict[str, Any]] = []
        self.ends: list[dict[str, Any]] = []  # every tag end that applied, span or not
        self.names: set[str] = set()  # the fields of the record being folded

    def open_episode(self, kind: str, condition: str | None) -> dict[str, Any] | None:
        for episode in reversed(self.episodes):
            if episode["kind"] == kind and episode["condition"] == condition:
                return episode if episode["status"] == "open" else None
        return None

    def episode(self, effect: dict[str, Any], record: dict[str, Any], shown: set[str]) -> None:
        kind, condition = effect["episode"], effect.get("condition")
        episode = self.open_episode(kind, condition)
        if episode is None:
            episode = {
                "id": episode_id(self.resident_id, kind, condition, str(record["id"])),
                "kind": kind,
                "condition": condition,
                "status": "open",
                "opened_on": record["visit_date"],
                "closed_on": None,
                "close_reason": None,
                "facts": {},
                "opened_by_record_id": str(record["id"]),
            }
            self.episodes.append(episode)
        episode["updated_by_record_id"] = str(record["id"])
        for fact, source in (effect.get("facts") or {}).items():
            value = _answer(record, shown, source)
            if value is not None:
                episode["facts"] = {**episode["facts"], fact: value}
        if effect["action"] == "close":
            episode["status"] = "closed"
            episode["closed_on"] = (
                _date_answer(record, shown, effect.get("closed_on", VISIT_DATE))
                or record["visit_date"]
            )
            reason = effect.get("close_reason")
            # A field's answer, or the literal reason when it names no field of the form.
            episode["close_reason"] = (
                _answer(record, shown, reason) if reason in self.names else reason
            )

    def tag(self, effect: dict[str, Any], record: dict[str, Any], shown: set[str]) -> None:
        on = _date_answer(record, shown, effect["on"])
        if on is None:
            return
        tag = effect["tag"]
        current = next(
            (
                s
                for s in reversed(self.spans)
                if s["tag"] == tag and (s["end_on"] is None or s["end_on"] > on)
            ),
            None,
        )
        if effect["action"] == "end":
            self.ends.append({"tag": tag, "on": on, "record_id": str(record["id"])})
            if current is not None and current["start_on"] <= on:
                current["end_on"] = on
            return
        if current is not None:
            current["start_on"] = min(current["start_on"], on)
            return
        after = effect.get("end_after")
        self.spans.append(
            {
                "id": span_id(self.resident_id, tag, str(record["id"])),
                "tag": tag,
                "start_on": on,
                "end_on": add_period(on, after["value"], after["unit"]) if after else None,
                "record_id": str(record["id"]),
            }
        )


def fold(
    resident_id: str, records: Iterable[dict[str, Any]], definitions: Definitions
) -> dict[str, list[dict[str, Any]]]:
    """`{episodes, spans, ends}` the resident's live records make, in the order they were opened.

    `ends` lists every tag end that applied (tag, day, record), whether or not a form span was
    there to end: the register's spans of that tag end on that day too (listends.py)."""
    state = _Fold(str(resident_id))
    for record in in_order(records):
        definition = definitions(record["form_code"], record["form_version"])
        effects = effects_of(definition) if definition else []
        if not effects:
            continue
        data = record.get("data") or {}
        shown = visible_fields(definition, data)
        specs = {spec["name"]: spec for spec in definition["fields"]}
        state.names = set(specs)
        for effect in effects:
            if not applies(effect, specs, shown, data):
                continue
            if "episode" in effect:
                state.episode(effect, record, shown)
            else:
                state.tag(effect, record, shown)
    return {"episodes": state.episodes, "spans": state.spans, "ends": state.ends}
