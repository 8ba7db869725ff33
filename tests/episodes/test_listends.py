"""Which register spans a record's tag end ends, and what they get back when it stops counting."""

from __future__ import annotations

from datetime import date

import pytest

from server.domain.episodes.listends import note_of, wanted_end
from server.domain.registry.model import ResidentTag

END = [{"tag": "tuberculosis", "on": "2026-05-10", "record_id": "rec-close"}]
D = date(2026, 5, 10)


def span(**values) -> ResidentTag:
    told = {"tag": "tuberculosis", "source": "reported", "origin": "register"}
    return ResidentTag(**{**told, **values})


ENDED = (D, note_of("rec-close", None), "rec-close")
AS_IS = (None, None, None)
JUNE = date(2026, 6, 1)
CASES = [
    ("an open register span ends on the record's day", span(), END, ENDED),
    ("an imported span too", span(origin="import"), END, ENDED),
    ("a later list end moves to the record's day", span(end_on=JUNE), END,
     (D, note_of("rec-close", JUNE), "rec-close")),
    ("an earlier end is never moved later", span(end_on=date(2026, 5, 1)), END,
     (date(2026, 5, 1), None, None)),
    ("a span starting after the day is not in effect then", span(start_on=date(2026, 5, 11)),
     END, AS_IS),
    ("another tag's end ends nothing", span(tag="pregnant"), END, AS_IS),
    ("a confirmed span is the centre's word", span(source="confirmed"), END, None),
    ("a form span is the fold's", span(origin="form"), END, None),
    ("a span staff removed keeps their end", span(end_on=JUNE, note="误报"), END, None),
    ("no record ends it any more: the list's end comes back",
     span(end_on=D, note=note_of("rec-close", JUNE), record_id="rec-close"), [],
     (JUNE, None, None)),
]  # fmt: skip


@pytest.mark.parametrize(("name", "found", "ends", "wanted"), CASES, ids=[c[0] for c in CASES])
def test_a_record_end_reaches_the_register_spans_it_should(name, found, ends, wanted):
    assert wanted_end(found, ends) == wanted
