"""Creates written in bulk answer and store exactly what the one-at-a-time path does.

sync/bulk.py checks creates with sync/apply.py `prepare_create` but writes them differently
(plain rows, one insert per table, for speed); each case here is pushed once through the bulk
path (`push_batch`) and once, with fresh ids, through the single-mutation path (`push_one`),
and the answers and everything written must match.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from server.core.audit import AuditEntry
from server.core.clock import local_today
from server.core.scope import villages_in_scope
from server.domain.accounts.model import Device, User
from server.domain.records.catalogue import load_definitions
from server.domain.records.model import ServiceRecord
from server.domain.registry.model import Household, Resident
from server.extensions import db
from server.synced import REGISTRY
from sync.context import PushContext
from sync.models import AppliedMutation, Change, EntityVersion
from sync.push import push_batch, push_one
from tests.factories import make_household, make_resident, valid_id_number
from tests.sync.conftest import BP_VISIT, mutation

MODELS = {"household": Household, "resident": Resident, "service_record": ServiceRecord}
NOT_COMPARED = {"id", "created_at", "updated_at"}


def household_data(place: dict[str, Any]) -> dict[str, Any]:
    return {"address": " 村口2号 ", "low_income": True}


def resident_data(place: dict[str, Any]) -> dict[str, Any]:
    born = date(1958, 3, 2)
    return {
        "household_id": place["household"],
        "name": "李秀英",
        "sex": "F",
        "birth_date": born.isoformat(),
        "id_number": valid_id_number(born).lower(),
        "tags": ["hypertension", "hypertension"],
    }


def record_data(place: dict[str, Any], **form: Any) -> dict[str, Any]:
    return {
        "resident_id": place["resident"],
        "form_code": "hypertension_followup",
        "form_version": 1,
        "visit_date": "2026-11-01",
        "data": {**BP_VISIT, **form},
    }


CASES: dict[str, tuple[str, str, Any]] = {  # user, entity, data
    "household": ("asst1", "household", household_data),
    "household named by staff": (
        "sup1",
        "household",
        lambda p: {**household_data(p), "village_id": p["V1b"]},
    ),
    "household by staff without a village": ("sup1", "household", household_data),
    "household in a village out of scope": (
        "asst1",
        "household",
        lambda p: {**household_data(p), "village_id": p["V2a"]},
    ),
    "resident": ("asst1", "resident", resident_data),
    "resident with another village than its household": (
        "sup1",
        "resident",
        lambda p: {**resident_data(p), "village_id": p["V1b"]},
    ),
    "resident of a deleted household": (
        "asst1",
        "resident",
        lambda p: {**resident_data(p), "household_id": p["deleted household"]},
    ),
    "resident of a household out of scope": (
        "asst1",
        "resident",
        lambda p: {**resident_data(p), "household_id": p["other household"]},
    ),
    "resident with a wrong birth date": (
        "asst1",
        "resident",
        lambda p: {**resident_data(p), "birth_date": "1958-03-03"},
    ),
    "resident with bad fields": (
        "asst1",
        "resident",
        lambda p: {"name": "", "sex": "X", "tags": ["nope"], "colour": "red"},
    ),
    "service record": ("asst1", "service_record", record_data),
    "service record with bad form data": (
        "asst1",
        "service_record",
        lambda p: record_data(p, heart_rate=500, medication=None, mood="fine"),
    ),
    "service record of an unknown form version": (
        "asst1",
        "service_record",
        lambda p: {**record_data(p), "form_version": 9},
    ),
    "service record of a missing resident": (
        "asst1",
        "service_record",
        lambda p: {**record_data(p), "resident_id": str(uuid.uuid4())},
    ),
}


EXPECTED = {  # status, or the rejection code
    "household": "applied",
    "household named by staff": "applied",
    "household by staff without a village": "validation_error",
    "household in a village out of scope": "not_found",
    "resident": "applied",
    "resident with another village than its household": "validation_error",
    "resident of a deleted household": "not_found",
    "resident of a household out of scope": "not_found",
    "resident with a wrong birth date": "validation_error",
    "resident with bad fields": "validation_error",
    "service record": "applied",
    "service record with bad form data": "validation_error",
    "service record of an unknown form version": "validation_error",
    "service record of a missing resident": "not_found",
}


@pytest.fixture
def place(app, world) -> dict[str, Any]:
    """The rows the cases link to, by name, and the village ids."""
    load_definitions(db.session)
    v1a, v2a = world.units["V1a"], world.units["V2a"]
    household = make_household(db.session, v1a)
    gone = make_household(db.session, v1a, deleted=True)
    other = make_household(db.session, v2a)
    resident = make_resident(db.session, v1a, household_id=household.id)
    for user in world.users.values():
        db.session.add(Device(user_id=user.id, client_id="bulk-test", label="test"))
    db.session.commit()
    return {
        "household": str(household.id),
        "deleted household": str(gone.id),
        "other household": str(other.id),
        "resident": str(resident.id),
        **{name: unit.id for name, unit in world.units.items()},
    }


def apply(via: str, user: User, item: dict[str, Any]) -> dict[str, Any]:
    device = db.session.scalars(select(Device).where(Device.user_id == user.id)).one()
    if via == "bulk":
        result = push_batch(db.session, REGISTRY, user, [item], device_id=device.id)[0]
    else:
        ctx = PushContext(
            session=db.session,
            registry=REGISTRY,
            user=user,
            device_id=device.id,
            villages=villages_in_scope(db.session, user),
            today=local_today(),
        )
        result = push_one(ctx, item)
    db.session.commit()
    return result


def written(entity: str, ident: str) -> dict[str, Any]:
    """Everything stored about one created row, without ids and instants."""
    db.session.expire_all()
    row = db.session.get(MODELS[entity], uuid.UUID(ident))
    if row is None:
        return {}
    change = db.session.scalars(select(Change).where(Change.entity_id == ident)).one()
    version = db.session.scalars(select(EntityVersion).where(EntityVersion.entity_id == ident))
    audit = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_id == ident)).one()
    ledger = db.session.scalars(
        select(AppliedMutation).where(AppliedMutation.entity_id == ident)
    ).one()
    return {
        "row": {
            column.key: getattr(row, column.key)
            for column in MODELS[entity].__table__.columns
            if column.key not in NOT_COMPARED
        },
        "feed": (change.entity, change.village_id, change.version, change.op),
        "versions": [(v.version, v.data) for v in version],
        "audit": (audit.actor_id, audit.device_id, audit.action, audit.before, audit.after),
        "ledger": (ledger.user_id, ledger.device_id, ledger.entity, ledger.result["status"]),
    }


def without_ids(result: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    assert (result["mutation_id"], result["id"]) == (item["mutation_id"], item["id"])
    return {k: v for k, v in result.items() if k not in ("mutation_id", "id")}


@pytest.mark.parametrize("case", list(CASES))
def test_a_create_pushed_in_bulk_matches_the_one_at_a_time_path(place, world, case):
    username, entity, data_of = CASES[case]
    user = world.users[username]
    outcomes = []
    for via in ("bulk", "one"):
        item = mutation(entity, "create", data_of(place))
        result = apply(via, user, item)
        outcomes.append((without_ids(result, item), written(entity, item["id"])))

    assert outcomes[0] == outcomes[1]
    assert outcomes[0][0].get("code", outcomes[0][0]["status"]) == EXPECTED[case]


def test_a_create_after_its_parent_was_deleted_in_the_same_batch_is_refused(place, world):
    user = world.users["asst1"]
    household = place["household"]
    delete = mutation("household", "delete", {}, id=household, base_version=1)
    resident = mutation("resident", "create", resident_data(place))
    results = push_batch(db.session, REGISTRY, user, [delete, resident])

    assert [r["status"] for r in results] == ["applied", "rejected"]
    assert results[1]["code"] == "not_found"
