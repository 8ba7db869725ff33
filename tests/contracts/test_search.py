"""Resident search on the server against the contract table the phone also passes.

Each case stores one resident through the model (so the pinyin keys are the ones the server
computes and sends to phones, and must equal the table's) and runs the real search condition, as
a role that does not see full ID numbers (the phone's; supervisors' tail search is in
tests/registry/test_id_search.py).
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from server.domain.registry.model import Household, Resident
from server.domain.registry.register import search_condition
from server.extensions import db
from tests.contracts.tables import cases
from tests.factories import make_household, make_resident


@pytest.mark.parametrize("case", cases("search"))
def test_the_server_search_matches_as_the_table_says(case, world):
    village = world.units["V1a"]
    home = make_household(db.session, village, **case["household"]) if "household" in case else None
    resident = make_resident(
        db.session,
        village,
        name=case["resident"],
        phone=case.get("phone"),
        id_number=case.get("id_number"),
        household_id=home.id if home else None,
    )
    keys = {"full": resident.name_pinyin, "initials": resident.name_initials}
    found = db.session.scalar(
        select(Resident.id)
        .outerjoin(Household, Resident.household_id == Household.id)
        .where(Resident.id == resident.id, search_condition(case["query"]))
    )
    assert (keys, found is not None) == (case["keys"], case["matches"])
