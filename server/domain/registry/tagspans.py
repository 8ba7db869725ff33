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
from datetime import date
from typing import Any, Protocol

from server.domain.registry.model import CONFIRMABLE_TAGS

DERIVED = ("child_0_6", "elderly_65", "low_income")
# Spans the register's tag list opens and ends (an import and the migration wrote the list too).
LIST_ORIGINS = ("register", "import", "legacy")
# An open span of these origins holds the tag for the list: no second span is opened for it.
HOLDING_ORIGINS = (*LIST_ORIGINS, "staff")


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


def register_changes(list_tags: Iterable[str], spans: Iterable[Span]) -> tuple[list[str], list]:
    """(tags the list adds, spans the list ends) for the stored `spans` of one resident.

    A listed tag (not derived) with no open span of a holding origin opens one; an open,
    reported span of a list origin whose tag is no longer listed ends.
    """
    spans = list(spans)
    listed = list(dict.fromkeys(t for t in list_tags if t not in DERIVED))
    held = {s.tag for s in _open(spans, HOLDING_ORIGINS)}
    added = [t for t in listed if t not in held]
    ended = [
        s for s in _open(spans, LIST_ORIGINS) if s.source == "reported" and s.tag not in listed
    ]
    return added, ended


def as_stored(list_tags: Iterable[str], spans: Iterable[Any]) -> list[Any]:
    """The spans once the list is written: what the server stores, seen from any day."""
    spans = [s for s in spans if not getattr(s, "deleted", False)]
    added, ended = register_changes(list_tags, spans)
    gone = {id(s) for s in ended}
    return [s for s in spans if id(s) not in gone] + [PendingSpan(tag) for tag in added]


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
