"""Fixtures for the sync engine's tests: signed-in phones and mutation builders."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient

from server.domain.records.catalogue import load_definitions, publish_definition
from server.extensions import db
from tests.episodes.forms import BOOKING, DELIVERY, TB_CLOSING
from tests.sync.clientkit import FakeServer

BP_VISIT = {
    "visit_method": "home",
    "bp_source": "measured",
    "blood_pressure": {"systolic": 150, "diastolic": 95},
    "medication": "regular",
    "complaints": ["none"],
}


def mutation(
    entity: str,
    op: str,
    data: dict[str, Any],
    *,
    id: str | None = None,
    base_version: int | None = None,
) -> dict[str, Any]:
    """One push mutation with a fresh mutation_id."""
    return {
        "mutation_id": str(uuid.uuid4()),
        "entity": entity,
        "op": op,
        "id": id or str(uuid.uuid4()),
        "base_version": base_version,
        "data": data,
        "client_time": "2026-11-02T09:30:00+08:00",
    }


def new_household(**data: Any) -> dict[str, Any]:
    return mutation("household", "create", {"address": "村口1号", "head_name": "王建国", **data})


def new_resident(household_id: str | None = None, **data: Any) -> dict[str, Any]:
    values = {"household_id": household_id, "name": "李秀英", "sex": "F"}
    return mutation("resident", "create", {**values, "birth_date": "1958-03-02", **data})


def new_record(resident_id: str, **form: Any) -> dict[str, Any]:
    values = {
        "resident_id": resident_id,
        "form_code": "hypertension_followup",
        "form_version": 1,
        "visit_date": "2026-11-01",
        "data": {**BP_VISIT, **form},
    }
    return mutation("service_record", "create", values)


def update(entity: str, ident: str, base_version: int, **data: Any) -> dict[str, Any]:
    return mutation(entity, "update", data, id=ident, base_version=base_version)


@dataclass
class Phone:
    """A signed-in device talking to the real endpoints."""

    client: FlaskClient
    headers: dict[str, str]
    device_id: str

    def push_response(self, *mutations: dict[str, Any]):
        body = {"device_id": self.device_id, "mutations": list(mutations)}
        return self.client.post("/api/sync/push", json=body, headers=self.headers)

    def push(self, *mutations: dict[str, Any]) -> list[dict[str, Any]]:
        response = self.push_response(*mutations)
        assert response.status_code == 200, response.get_json()
        return response.get_json()["results"]

    def push_one(self, mutation: dict[str, Any]) -> dict[str, Any]:
        return self.push(mutation)[0]

    def pull_response(self, since: str | None = None, limit: int | None = None):
        query = {k: v for k, v in {"since": since, "limit": limit}.items() if v is not None}
        return self.client.get("/api/sync/pull", query_string=query, headers=self.headers)

    def pull(self, since: str | None = None, limit: int | None = None) -> dict[str, Any]:
        response = self.pull_response(since, limit)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def pull_all(self) -> dict[tuple[str, str], dict[str, Any]]:
        """Follow the cursor to the end; the latest state of every row, by (entity, id)."""
        seen: dict[tuple[str, str], dict[str, Any]] = {}
        cursor = None
        while True:
            page = self.pull(cursor)
            for change in page["changes"]:
                seen[change["entity"], change["id"]] = change
            cursor = page["cursor"]
            if not page["has_more"]:
                return seen


@pytest.fixture
def forms(app) -> None:
    """The form catalogue, so service records validate against real definitions."""
    load_definitions(db.session)
    db.session.commit()


@pytest.fixture
def phone(client: FlaskClient, auth, world, forms):
    """`phone("asst1")`: a device signed in as that user."""

    def make(username: str) -> Phone:
        device_id = f"phone-{username}-{uuid.uuid4().hex[:8]}"
        return Phone(client, auth.headers(username, device_id=device_id), device_id)

    return make


@pytest.fixture
def server() -> FakeServer:
    """The scripted in-memory server of the reference client's tests (see clientkit.py)."""
    return FakeServer()


@pytest.fixture
def sleeps() -> list[float]:
    """The waits the client asked for, instead of sleeping them."""
    return []


@pytest.fixture
def effect_forms(forms) -> None:
    for definition in (BOOKING, DELIVERY, TB_CLOSING):
        publish_definition(db.session, definition, None)
    db.session.commit()


@pytest.fixture
def mother(phone, effect_forms):
    """asst1's phone and a registered woman of V1a: (phone, resident id)."""
    asst1 = phone("asst1")
    home = new_household()
    woman = new_resident(home["id"], name="王芳", birth_date="1996-04-02")
    asst1.push(home, woman)
    return asst1, woman["id"]
