"""Staff restore a record ended by mistake; the phones pull it back as active."""

from __future__ import annotations

from datetime import date

import pytest

from server.domain.registry.model import Resident
from server.extensions import db
from tests.factories import make_resident


@pytest.fixture
def ended(world) -> Resident:
    resident = make_resident(
        db.session,
        world.units["V1a"],
        name="误报死亡",
        ended_on=date(2026, 10, 3),
        end_reason="died",
    )
    db.session.commit()
    return resident


def _restore(client, auth, resident_id, username: str = "sup1"):
    return client.post(f"/api/residents/{resident_id}/restore", headers=auth.headers(username))


def test_a_supervisor_restores_an_ended_record(client, auth, ended):
    response = _restore(client, auth, ended.id)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["ended_on"], body["end_reason"], body["version"]) == (None, None, 2)


def test_the_restored_record_reaches_the_phones(client, auth, phone, ended):
    _restore(client, auth, ended.id)
    data = phone("asst1").pull_all()["resident", str(ended.id)]["data"]
    assert (data["ended_on"], data["end_reason"]) == (None, None)


def test_an_active_record_has_nothing_to_restore(client, auth, world):
    active = make_resident(db.session, world.units["V1a"])
    db.session.commit()
    response = _restore(client, auth, active.id)
    assert (response.status_code, response.get_json()["code"]) == (409, "resident_not_ended")


def test_an_assistant_cannot_restore_through_the_api(client, auth, ended):
    assert _restore(client, auth, ended.id, "asst1").status_code == 403
