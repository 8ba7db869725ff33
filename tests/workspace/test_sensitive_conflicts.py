"""Conflict cards follow the privacy rule too: an admin sees a tags conflict without the
resident's tuberculosis, and a value they type keeps it (registry/privacy.py)."""

from __future__ import annotations

import uuid

import pytest

from server.domain.registry.model import Resident
from server.domain.registry.synced import RESIDENT
from server.extensions import db
from sync.changes import server_write
from sync.models import Conflict
from tests.factories import make_resident


@pytest.fixture
def tags_conflict(world):
    village = world.units["V1a"]
    resident = make_resident(db.session, village, tags=["hypertension", "tuberculosis"])
    server_write(db.session, RESIDENT, resident, actor_id=None, action="create")
    conflict = Conflict(
        entity="resident",
        entity_id=str(resident.id),
        village_id=village.id,
        field="tags",
        server_value=["hypertension", "tuberculosis"],
        client_value=["tuberculosis", "diabetes"],
        base_version=1,
        server_version=1,
        mutation_id=str(uuid.uuid4()),
        author_id=world.users["asst1"].id,
    )
    db.session.add(conflict)
    db.session.commit()
    return conflict


def _card(client, auth, username):
    (item,) = client.get("/api/conflicts", headers=auth.headers(username)).get_json()["items"]
    return item["server_value"], item["client_value"], item["current_value"]


def test_an_admin_sees_a_tags_conflict_without_the_hidden_tag(client, auth, tags_conflict):
    assert _card(client, auth, "admin") == (["hypertension"], ["diabetes"], ["hypertension"])


def test_the_supervisor_sees_both_values_whole(client, auth, tags_conflict):
    server, phone, _ = _card(client, auth, "sup1")
    assert (server, phone) == (["hypertension", "tuberculosis"], ["tuberculosis", "diabetes"])


def test_a_value_typed_by_an_admin_keeps_the_hidden_tag(client, auth, tags_conflict):
    response = client.post(
        f"/api/conflicts/{tags_conflict.id}/resolve",
        json={"choice": "custom", "value": ["diabetes"]},
        headers=auth.headers("admin"),
    )
    assert response.status_code == 200, response.get_json()
    resident = db.session.get(Resident, uuid.UUID(tags_conflict.entity_id))
    assert resident.tags == ["diabetes", "tuberculosis"]
