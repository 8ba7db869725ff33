"""Conflicts: listed side by side in scope, resolved by a versioned write that reaches phones."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from server.core.audit import audit_entries
from server.domain.records.catalogue import load_definitions
from server.domain.records.model import ServiceRecord
from server.domain.registry.idnumber import mask
from server.domain.registry.model import Resident
from server.extensions import db
from server.synced import REGISTRY
from sync.changes import server_write
from sync.models import Change, Conflict
from tests.factories import make_record, make_resident, valid_id_number

DATA = {
    "visit_method": "home",
    "bp_source": "not_measured",
    "medication": "regular",
    "complaints": ["none"],
}


@pytest.fixture
def forms(app):
    load_definitions(db.session)
    db.session.commit()


def make_conflict(obj, author, field, server_value, client_value) -> Conflict:
    conflict = Conflict(
        entity=type(obj).__tablename__,
        entity_id=str(obj.id),
        village_id=obj.village_id,
        field=field,
        server_value=server_value,
        client_value=client_value,
        base_version=1,
        server_version=obj.version,
        mutation_id=str(uuid.uuid4()),
        author_id=author.id,
    )
    db.session.add(conflict)
    db.session.commit()
    return conflict


@pytest.fixture
def record_conflict(world, forms):
    resident = make_resident(db.session, world.units["V1a"])
    record = make_record(db.session, resident, world.users["asst1"], data=DATA)
    return make_conflict(record, world.users["asst1"], "data.visit_method", "home", "phone")


def resolve(client, auth, conflict, username="sup1", **body):
    return client.post(
        f"/api/conflicts/{conflict.id}/resolve", json=body, headers=auth.headers(username)
    )


def test_open_conflicts_show_both_values_with_the_field_label(client, auth, record_conflict):
    body = client.get("/api/conflicts", headers=auth.headers("sup1")).get_json()
    assert body["total"] == 1
    item = body["items"][0]
    assert (item["server_value"], item["client_value"]) == ("home", "phone")
    assert item["current_value"] == "home"
    assert item["label"] == "随访方式"
    assert item["author"]["username"] == "asst1"


def test_conflicts_of_another_township_are_not_listed(client, auth, record_conflict):
    body = client.get("/api/conflicts", headers=auth.headers("sup2")).get_json()
    assert body["items"] == []


def test_conflicts_are_refused_to_assistants(client, auth, record_conflict):
    assert client.get("/api/conflicts", headers=auth.headers("asst1")).status_code == 403


def test_choosing_the_phone_value_writes_a_new_version(client, auth, record_conflict):
    response = resolve(client, auth, record_conflict, choice="client")
    assert response.status_code == 200
    assert response.get_json()["status"] == "resolved"
    assert response.get_json()["resolved_value"] == "phone"
    db.session.expire_all()
    record = db.session.get(ServiceRecord, uuid.UUID(record_conflict.entity_id))
    assert record.data["visit_method"] == "phone"
    assert record.version == 2
    change = db.session.query(Change).filter_by(entity_id=record_conflict.entity_id).one()
    assert change.version == 2


def test_resolution_is_audited_with_who_and_when(client, auth, world, record_conflict):
    resolve(client, auth, record_conflict, choice="client")
    db.session.expire_all()
    conflict = db.session.get(Conflict, record_conflict.id)
    assert conflict.resolved_by_id == world.users["sup1"].id
    assert conflict.resolved_at is not None
    entries = audit_entries(db.session, "service_record", conflict.entity_id)
    assert entries[-1].action == "resolve_conflict"
    assert entries[-1].actor_id == world.users["sup1"].id


def test_keeping_the_server_value_writes_nothing_new(client, auth, record_conflict):
    resolve(client, auth, record_conflict, choice="server")
    db.session.expire_all()
    record = db.session.get(ServiceRecord, uuid.UUID(record_conflict.entity_id))
    assert record.version == 1
    assert db.session.get(Conflict, record_conflict.id).status == "resolved"


def test_a_typed_value_is_validated_like_a_push(client, auth, record_conflict):
    response = resolve(client, auth, record_conflict, choice="custom", value="by_pigeon")
    assert response.status_code == 422
    assert "value" in response.get_json()["errors"]


def test_a_typed_value_is_kept(client, auth, record_conflict):
    response = resolve(client, auth, record_conflict, choice="custom", value="accompanied")
    assert response.status_code == 200
    db.session.expire_all()
    record = db.session.get(ServiceRecord, uuid.UUID(record_conflict.entity_id))
    assert record.data["visit_method"] == "accompanied"


def test_custom_needs_a_value(client, auth, record_conflict):
    response = resolve(client, auth, record_conflict, choice="custom")
    assert response.status_code == 422


def test_a_resolved_conflict_cannot_be_resolved_again(client, auth, record_conflict):
    resolve(client, auth, record_conflict, choice="client")
    response = resolve(client, auth, record_conflict, choice="server")
    assert response.status_code == 409


def test_resolving_out_of_area_is_not_found(client, auth, record_conflict):
    assert resolve(client, auth, record_conflict, "sup2", choice="client").status_code == 404


def test_resident_column_conflict_resolves_into_the_column(client, auth, world):
    resident = make_resident(db.session, world.units["V1a"], phone="13800000000")
    conflict = make_conflict(resident, world.users["asst1"], "phone", "13800000000", "13900000000")
    assert resolve(client, auth, conflict, choice="client").status_code == 200
    db.session.expire_all()
    assert db.session.get(Resident, resident.id).phone == "13900000000"


@pytest.fixture
def id_number_conflict(world):
    resident = make_resident(db.session, world.units["V1a"], id_number=OLD_ID)
    return make_conflict(resident, world.users["asst1"], "id_number", OLD_ID, NEW_ID)


OLD_ID = valid_id_number(date(1960, 5, 1), serial="456")
NEW_ID = valid_id_number(date(1960, 5, 1), serial="457")


def test_a_supervisor_sees_both_id_numbers_of_a_conflict_in_full(client, auth, id_number_conflict):
    item = client.get("/api/conflicts", headers=auth.headers("sup1")).get_json()["items"][0]
    assert (item["server_value"], item["client_value"]) == (OLD_ID, NEW_ID)


def test_an_admin_sees_the_id_numbers_of_a_conflict_masked(client, auth, id_number_conflict):
    response = client.get("/api/conflicts", headers=auth.headers("admin"))
    item = response.get_json()["items"][0]
    assert (item["server_value"], item["client_value"], item["current_value"]) == (
        mask(OLD_ID),
        mask(NEW_ID),
        mask(OLD_ID),
    )
    assert OLD_ID not in response.get_data(as_text=True)
    assert NEW_ID not in response.get_data(as_text=True)


def record_with_resident_conflict(world, other) -> Conflict:
    resident = make_resident(db.session, world.units["V1a"], tags=["hypertension"])
    record = make_record(db.session, resident, world.users["asst1"], data=DATA)
    server_write(
        db.session, REGISTRY.of(record), record, actor_id=world.users["asst1"].id, action="create"
    )
    return make_conflict(record, world.users["asst1"], "resident_id", str(resident.id), other)


def test_a_typed_resident_outside_the_area_is_refused(client, auth, world, forms):
    stranger = make_resident(db.session, world.units["V2a"], name="外村人")
    conflict = record_with_resident_conflict(world, str(uuid.uuid4()))

    response = resolve(client, auth, conflict, choice="custom", value=str(stranger.id))

    assert response.status_code == 422
    assert response.get_json()["errors"]["value"] == ["No such resident in your area."]
    db.session.expire_all()
    assert db.session.get(Conflict, conflict.id).status == "open"


def test_relinking_a_record_to_another_village_moves_it_there(client, auth, world, forms):
    neighbour = make_resident(db.session, world.units["V1b"], tags=["hypertension"])
    conflict = record_with_resident_conflict(world, str(neighbour.id))

    assert resolve(client, auth, conflict, choice="client").status_code == 200

    db.session.expire_all()
    record = db.session.get(ServiceRecord, uuid.UUID(conflict.entity_id))
    assert (record.resident_id, record.village_id) == (neighbour.id, world.units["V1b"].id)
    entries = db.session.query(Change).filter_by(entity_id=str(record.id))
    feed = {entry.village_id: entry.op for entry in entries}
    assert feed == {world.units["V1a"].id: "delete", world.units["V1b"].id: "upsert"}


@pytest.fixture
def resident_conflict(world):
    resident = make_resident(db.session, world.units["V1a"], name="王芳")
    return make_conflict(resident, world.users["asst1"], "name", "王芳", "王芳芳")


INVALID = "conflict_value_invalid"


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("sex", "X", INVALID),
        ("birth_date", "2999-01-01", INVALID),
        ("birth_date", "0001-01-01", INVALID),
        ("name", "", INVALID),
        ("name", "   ", INVALID),
        ("phone", "1" * 5000, INVALID),
        ("tags", ["no_such_tag", {"x": 1}], INVALID),
        ("tags", "elderly", INVALID),
        ("low_income", "yes", "conflict_field_not_settable"),  # a household's, not a resident's
        ("name", "王\x0b芳", "validation_error"),  # refused with the request, before the view
    ],
)
def test_a_typed_column_value_passes_the_push_rules(
    client, auth, resident_conflict, field, value, code
):
    resident_conflict.field = field
    db.session.commit()

    response = resolve(client, auth, resident_conflict, choice="custom", value=value)

    assert response.status_code == 422, response.get_json()
    assert response.get_json()["code"] == code
    db.session.expire_all()
    assert db.session.get(Conflict, resident_conflict.id).status == "open"


def test_the_resident_list_still_answers_after_a_refused_typed_tag(client, auth, resident_conflict):
    resident_conflict.field = "tags"
    db.session.commit()
    resolve(client, auth, resident_conflict, choice="custom", value=["no_such_tag", {"x": 1}])

    response = client.get("/api/residents", headers=auth.headers("sup1"))

    assert response.status_code == 200
