"""Resident search on the server against the contract table the phone also passes.

Each case stores one resident through the model (so the pinyin keys are the ones the server
computes and sends to phones, and must equal the table's) and runs the real search condition.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from server.domain.registry.model import Resident
from server.domain.registry.register import search_condition
from server.extensions import db
from tests.contracts.tables import cases
from tests.factories import make_resident


@pytest.mark.parametrize("case", cases("search"))
def test_the_server_search_matches_as_the_table_says(case, world):
    resident = make_resident(db.session, world.units["V1a"], name=case["resident"])
    keys = {"full": resident.name_pinyin, "initials": resident.name_initials}
    found = db.session.scalar(
        select(Resident.id).where(Resident.id == resident.id, search_condition(case["query"]))
    )
    assert (keys, found is not None) == (case["keys"], case["matches"])
