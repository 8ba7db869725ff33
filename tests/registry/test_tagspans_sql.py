"""The SQL behind tag filters, denominators and search agrees with `effective_tags` and
`programme_tags` on the spans of every case of tests/contracts/tagspans.json."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from server.domain.registry.model import TAGS, Household, Resident, ResidentTag
from server.domain.registry.tags import effective_tags, programme_tags, tag_condition
from server.domain.registry.tagspans import LIST_ORIGINS
from server.extensions import db
from tests.contracts.tables import table
from tests.contracts.test_tagspans import ON, span_of
from tests.factories import make_resident

CASES = table("tagspans")["cases"]


def _matching(programme: bool) -> list[str]:
    found = []
    for tag in TAGS:
        stmt = (
            select(Resident.id)
            .outerjoin(Household, Resident.household_id == Household.id)
            .where(tag_condition(tag, ON, programme=programme))
        )
        if db.session.scalar(stmt) is not None:
            found.append(tag)
    return found


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_sql_selects_the_residents_whose_spans_hold(world, case):
    spans = [span_of(s) for s in case["spans"]]
    resident = make_resident(db.session, world.units["V1a"], birth_date=ON.replace(year=1980))
    for span in spans:
        db.session.add(
            ResidentTag(
                resident_id=resident.id,
                village_id=resident.village_id,
                tag=span.tag,
                source=span.source,
                origin=span.origin,
                start_on=span.start_on,
                end_on=span.end_on,
            )
        )
    db.session.flush()
    # The list as the server keeps it: the open spans it follows (assigning it opens nothing).
    resident.tags = [s.tag for s in spans if s.end_on is None and s.origin in LIST_ORIGINS]
    db.session.flush()
    db.session.expire_all()
    resident = db.session.get(Resident, resident.id)
    assert _matching(programme=False) == effective_tags(resident, ON)
    assert _matching(programme=True) == programme_tags(resident, ON)
