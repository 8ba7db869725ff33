"""A form's tag end also ends what the family told: the register's spans of that tag.

A closing TB visit or a recorded delivery ends `tuberculosis` or `pregnant` on its day, but
most residents hold those tags by their register list (ticked, imported, or from before spans),
not by a form span. So each `end` effect of a live record (the fold's `ends`) ends, on its day
D, every reported span of the list's origins in effect on D. A confirmed span is the centre's
word and is left alone, as is a span staff removed (its note is theirs); an end is never moved
later.

The refresh derives this from the records each time, so it must be undoable: the span's note
(server-only) keeps the record and the end the span had before (`ended by record <id> (list end
<day|->)`), and when no live record ends it any more the span gets that end back and the note
is cleared. `record_id` names the ending record too: phones do not receive notes, and they must
see that the list's still-ticked tag is held by this ended span (tagspans.register_changes),
not open a new one; a record that moves is found by it (residents_citing).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from server.domain.registry.tagspans import LIST_ORIGINS

_NOTE = re.compile(r"^ended by record (\S+) \(list end (\S+)\)$")


def note_of(record_id: str, list_end: date | None) -> str:
    return f"ended by record {record_id} (list end {list_end.isoformat() if list_end else '-'})"


def list_end(span: Any) -> tuple[bool, date | None]:
    """(whether a record's end is on the span, the end the list gave it)."""
    found = _NOTE.match(span.note or "")
    if found is None:
        return False, span.end_on
    told = found.group(2)
    return True, None if told == "-" else date.fromisoformat(told)


def _held_on(start: date | None, end: date | None, on: date) -> bool:
    return (start is None or start <= on) and (end is None or on < end)


def wanted_end(span: Any, ends: list[dict[str, Any]]) -> tuple[Any, Any, Any] | None:
    """(end_on, note, record_id) the span should have under the records' `ends`; None when
    the rule leaves it alone."""
    if span.source != "reported" or span.origin not in LIST_ORIGINS:
        return None
    ours, own = list_end(span)
    if not ours and span.note:
        return None  # staff removed it: their end stands
    days = sorted(
        (date.fromisoformat(e["on"]), e["record_id"])
        for e in ends
        if e["tag"] == span.tag and _held_on(span.start_on, own, date.fromisoformat(e["on"]))
    )
    if days:
        day, record = days[0]
        return day, note_of(record, own), record
    return (own, None, None) if ours else (span.end_on, span.note, span.record_id)
