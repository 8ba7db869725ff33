"""Batch caps: over the count or byte limit is a 413 that names the limits."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from server.domain.accounts.model import Device
from server.domain.registry.model import Household
from server.extensions import db
from tests.sync.conftest import new_household


@pytest.fixture
def small_caps(app, monkeypatch):
    monkeypatch.setitem(app.config, "SYNC_MAX_MUTATIONS", 2)
    monkeypatch.setitem(app.config, "SYNC_MAX_BYTES", 2000)


def test_too_many_mutations_is_a_413_naming_the_limits(phone, small_caps):
    response = phone("asst1").push_response(new_household(), new_household(), new_household())

    assert response.status_code == 413
    body = response.get_json()
    assert body["code"] == "payload_too_large"
    assert "at most 2 mutations and 2000 bytes" in body["message"]
    assert body["errors"] == {"max_mutations": 2, "max_bytes": 2000}
    assert db.session.scalar(select(func.count()).select_from(Household)) == 0


def test_too_many_bytes_is_a_413_naming_the_limits(phone, small_caps):
    response = phone("asst1").push_response(new_household(address="长" * 700))

    assert response.status_code == 413
    assert response.get_json()["errors"] == {"max_mutations": 2, "max_bytes": 2000}


def test_a_batch_at_the_caps_goes_through(phone, small_caps):
    assert [r["status"] for r in phone("asst1").push(new_household(), new_household())] == [
        "applied",
        "applied",
    ]


def test_a_push_records_when_the_device_last_synced(phone):
    asst1 = phone("asst1")

    asst1.push(new_household())

    db.session.expire_all()
    device = db.session.scalars(select(Device).where(Device.client_id == asst1.device_id)).one()
    assert device.last_sync_at is not None


def test_a_device_of_someone_else_cannot_push(phone):
    asst1, asst2 = phone("asst1"), phone("asst2")
    asst1.device_id = asst2.device_id

    response = asst1.push_response(new_household())

    assert response.status_code == 403
