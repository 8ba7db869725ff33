"""A county with residents and records whose reads and exports the audit tests follow."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from server.core.audit import AuditEntry
from server.extensions import db
from tests.factories import make_record, make_resident, valid_id_number

FULL_NUMBER = valid_id_number(date(1960, 5, 1), "123")
OTHER_NUMBER = valid_id_number(date(1971, 2, 3), "456")
# Any run of 14 or more ID-number characters: longer than a phone, so part of a full number.
LONG_DIGITS = re.compile(r"\d{14,17}[\dX]?")


@pytest.fixture
def people(world):
    """r1 (V1a, T1) with an ID number and a record by asst1; r2 (V2a, T2) by asst3."""
    units, users = world.units, world.users
    r1 = make_resident(db.session, units["V1a"], id_number=FULL_NUMBER)
    r2 = make_resident(db.session, units["V2a"], name="王五", id_number=OTHER_NUMBER)
    rec1 = make_record(db.session, r1, users["asst1"], visit_date=date(2026, 11, 3))
    rec2 = make_record(db.session, r2, users["asst3"], visit_date=date(2026, 11, 4))
    db.session.commit()
    return {"r1": r1, "r2": r2, "rec1": rec1, "rec2": rec2}


def audit_rows(action: str | None = None) -> list[AuditEntry]:
    """The audit rows of one action, or all but the test's own sign-ins (auth.*)."""
    db.session.rollback()
    stmt = select(AuditEntry).order_by(AuditEntry.id)
    if action is not None:
        stmt = stmt.where(AuditEntry.action == action)
    else:
        stmt = stmt.where(AuditEntry.action.not_like("auth.%"))
    return list(db.session.scalars(stmt))
