"""Fixtures shared by the workspace tests."""

from __future__ import annotations

from datetime import date

import pytest

from server.extensions import db
from tests.factories import make_record, make_resident


@pytest.fixture
def records(world):
    """Two records in T1 (V1a by asst1, V1b by asst2) and one in T2 (V2a by asst3)."""
    units, users = world.units, world.users
    r1 = make_resident(db.session, units["V1a"], id_number="350524196005011234")
    r2 = make_resident(db.session, units["V1b"], name="李四")
    r3 = make_resident(db.session, units["V2a"], name="王五")
    out = {
        "v1a": make_record(db.session, r1, users["asst1"], visit_date=date(2026, 11, 3)),
        "v1b": make_record(
            db.session,
            r2,
            users["asst2"],
            form_code="diabetes_followup",
            visit_date=date(2026, 11, 20),
        ),
        "v2a": make_record(db.session, r3, users["asst3"]),
    }
    db.session.commit()
    return out
