"""Which stored tags hold on a day: spans, and the register's tag list as the next write stores it.

A span is in effect on `on` when it starts on or before that day (no start: since before spans
existed, or as told at registration) and has not ended (`end_on` is the first day without it).
The register's tag list (`Resident.tags`, "as told") opens and ends spans of the origins that
follow it; `register_changes` is that rule, shared by the server's writes (tagfollow.py) and the
phone (pwa/js/tagspans.js), which applies it to edits it has not pushed yet.

A span the centre confirmed is not ended by the list: unticking a tag on a phone does not undo
the centre's word; staff remove it (tagdecisions.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

from server.domain.registry.model import CONFIRMABLE_TAGS

DERIVED = ("child_0_6", "elderly_65", "low_income")
# Spans the register's tag list opens and ends (an import and the migration wrote the list too).
LIST_ORIGINS = ("register", "import", "legacy")
# An open span of these origins holds the tag for the list: no second span is opened for it.
HOLDING_ORIGINS = (*LIST_ORIGINS, "staff")
# Days a span the list opens lasts, by tag (docs/tags.md): a postpartum woman is one for 42
# days after the delivery the family told (the 已分娩 action, or ticking it). Phone: tagspans.js.
REGISTER_DURATIONS = {"postpartum": 42}
# A tag the list opens ends the open reported list span of another that day: a delivery ends
# the pregnancy the family told.
REGISTER_ENDS = {"postpartum": "pregnant"}


class Span(Protocol):
    tag: str
    source: str
    origin: str
    start_on: date | None
    end_on: date | None


@dataclass
class PendingSpan:
    """A span the list would open: reported, in effect from today until the list drops it."""

    tag: str
    origin: str = "register"
    source: str = "reported"
    start_on: date | None = None
    end_on: date | None = None


def in_effect(span: Span, on: date) -> bool:
    """Whether the span holds on `on`: started (or no start) and not yet ended."""
    started = span.start_on is None or span.start_on <= on
    return started and (span.end_on is None or on < span.end_on)


def _open(spans: Iterable[Span], origins: tuple[str, ...]) -> list[Span]:
    return [s for s in spans if s.end_on is None and s.origin in origins]


def ended_by_rule(span: Span, spans: list[Span]) -> bool:
    """A list span whose end no list wrote, which still holds its listed tag: a record's tag
    end (it names the record, episodes/listends.py), the tag's register duration, or a list
    span that ends it opening that day (REGISTER_ENDS)."""
    if span.origin not in LIST_ORIGINS or span.end_on is None:
        return False
    if getattr(span, "record_id", None) is not None:
        return True
    days = REGISTER_DURATIONS.get(span.tag)
    if days is not None and span.start_on is not None:
        return (span.end_on - span.start_on).days == days
    return any(
        REGISTER_ENDS.get(s.tag) == span.tag and s.origin in LIST_ORIGINS
        and s.start_on == span.end_on
        for s in spans
    )  # fmt: skip


def _ends_on_open(added: list[str], spans: list[Span], listed: list[str]) -> list[Span]:
    """Open reported list spans a tag the list opens ends (REGISTER_ENDS), still listed."""
    gone = {REGISTER_ENDS[t] for t in added if t in REGISTER_ENDS}
    return [
        s for s in _open(spans, LIST_ORIGINS)
        if s.source == "reported" and s.tag in gone and s.tag in listed
    ]  # fmt: skip


def register_changes(list_tags: Iterable[str], spans: Iterable[Span]) -> tuple[list[str], list]:
    """(tags the list adds, spans the list ends) for the stored `spans` of one resident.

    A listed tag (not derived) with no open span of a holding origin (nor one a rule ended,
    `ended_by_rule`) opens one; an open, reported span of a list origin whose tag is no longer
    listed ends, and so does one a tag the list opens ends (REGISTER_ENDS).
    """
    spans = list(spans)
    listed = list(dict.fromkeys(t for t in list_tags if t not in DERIVED))
    held = {s.tag for s in _open(spans, HOLDING_ORIGINS)} | {
        s.tag for s in spans if ended_by_rule(s, spans)
    }
    added = [t for t in listed if t not in held]
    ended = [
        s for s in _open(spans, LIST_ORIGINS) if s.source == "reported" and s.tag not in listed
    ]
    return added, ended + _ends_on_open(added, spans, listed)


def pending(tag: str, today: date | None) -> PendingSpan:
    """The span the list would open; with `today`, a tag with a register duration runs from
    today for its days (tagfollow.py opens it so)."""
    days = REGISTER_DURATIONS.get(tag)
    if days is None or today is None:
        return PendingSpan(tag)
    return PendingSpan(tag, start_on=today, end_on=today + timedelta(days=days))


def as_stored(
    list_tags: Iterable[str], spans: Iterable[Any], today: date | None = None
) -> list[Any]:
    """The spans once the list is written: what the server stores, seen from any day."""
    spans = [s for s in spans if not getattr(s, "deleted", False)]
    added, ended = register_changes(list_tags, spans)
    gone = {id(s) for s in ended}
    return [s for s in spans if id(s) not in gone] + [pending(tag, today) for tag in added]


def held_tags(spans: Iterable[Span], on: date, confirmed_only: bool = False) -> set[str]:
    """Tags of the spans in effect on `on`; `confirmed_only`: a confirmable tag needs a
    confirmed span (the others count as told)."""
    found = set()
    for span in spans:
        if not in_effect(span, on) or span.tag in DERIVED:
            continue
        if confirmed_only and span.tag in CONFIRMABLE_TAGS and span.source != "confirmed":
            continue
        found.add(span.tag)
    return found
