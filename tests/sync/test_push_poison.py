"""No poison batch: whatever one mutation holds, it is answered on its own and the rest land.

Each input here used to answer 500 for the whole batch on every retry (some on PostgreSQL
only), leaving the phone's outbox stuck behind one record.
"""

from __future__ import annotations

import json

import pytest

from server.extensions import db
from tests.factories import make_resident
from tests.sync.conftest import new_household, new_record, new_resident, update

CONTROL_CHARACTERS = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f"]


def push_raw(phone, *mutations):
    """Pushes with the standard encoder's \\u escapes, which can carry a lone surrogate."""
    body = json.dumps({"device_id": phone.device_id, "mutations": list(mutations)})
    headers = {**phone.headers, "Content-Type": "application/json"}
    return phone.client.post("/api/sync/push", data=body, headers=headers)


def statuses(response) -> list[tuple[str, str | None]]:
    assert response.status_code == 200, response.get_json()
    return [(r["status"], r.get("code")) for r in response.get_json()["results"]]


def with_lone_surrogate(place: str):
    if place == "address":
        return new_household(address="村口\ud800号")
    if place == "data key":
        return new_household(**{"\udfff": "x"})
    if place == "mutation_id":
        return {**new_household(), "mutation_id": "\ud800"}
    return {**new_household(), "client_time": "\udc00"}


@pytest.mark.parametrize("place", ["address", "data key", "mutation_id", "client_time"])
def test_a_lone_surrogate_is_rejected_alone(phone, place):
    asst1 = phone("asst1")

    response = push_raw(asst1, new_household(), with_lone_surrogate(place), new_household())

    assert statuses(response) == [
        ("applied", None),
        ("rejected", "invalid_text"),
        ("applied", None),
    ]


@pytest.mark.parametrize("char", CONTROL_CHARACTERS, ids=repr)
def test_a_control_character_in_any_text_is_rejected_alone(phone, world, char):
    asst1 = phone("asst1")
    resident = make_resident_for(world)

    response = asst1.push_response(
        new_household(head_name=f"王{char}建国"),
        new_record(str(resident.id), remarks=f"血压{char}偏高"),
        new_household(),
    )

    assert statuses(response) == [
        ("rejected", "invalid_text"),
        ("rejected", "invalid_text"),
        ("applied", None),
    ]


def make_resident_for(world):
    resident = make_resident(db.session, world.units["V1a"])
    db.session.commit()
    return resident


@pytest.mark.parametrize("char", ["\t", "\n", "\r"], ids=repr)
def test_tab_newline_and_carriage_return_are_kept(phone, char):
    result = phone("asst1").push_one(new_household(address=f"村口{char}1号"))

    assert result["status"] == "applied"


@pytest.mark.parametrize("key", ["entity", "op"])
@pytest.mark.parametrize("value", [["household"], {"x": 1}, 7, None])
def test_an_entity_or_op_that_is_not_a_name_is_rejected_alone(phone, key, value):
    response = phone("asst1").push_response({**new_household(), key: value}, new_household())

    assert statuses(response) == [("rejected", "validation_error"), ("applied", None)]
    assert key in response.get_json()["results"][0]["errors"]


def test_a_value_nested_deeper_than_the_limit_is_rejected_alone(phone):
    deep: list = []
    for _ in range(100):
        deep = [deep]
    response = phone("asst1").push_response(new_household(extra=deep), new_household())

    assert statuses(response) == [("rejected", "invalid_text"), ("applied", None)]


def test_a_body_nested_5000_deep_is_a_400_not_a_crash(phone):
    asst1 = phone("asst1")
    deep = "[" * 5000 + "]" * 5000
    body = f'{{"device_id": "{asst1.device_id}", "mutations": [{deep}]}}'
    headers = {**asst1.headers, "Content-Type": "application/json"}

    response = asst1.client.post("/api/sync/push", data=body, headers=headers)

    assert response.status_code == 400
    assert response.get_json()["code"] == "bad_request"


@pytest.mark.parametrize(
    ("field", "value"),
    [("form_version", 2**63 - 1), ("form_version", 2**31), ("form_version", 2**70)],
)
def test_a_form_version_past_the_column_is_rejected_alone(phone, world, field, value):
    resident = make_resident_for(world)
    record = new_record(str(resident.id))
    record["data"][field] = value

    response = phone("asst1").push_response(record, new_household())

    assert statuses(response) == [("rejected", "validation_error"), ("applied", None)]
    assert field in response.get_json()["results"][0]["errors"]


@pytest.mark.parametrize("value", [2**31, 2**63 - 1, 2**64])
def test_a_village_id_past_the_column_is_rejected_alone(phone, value):
    response = phone("asst1").push_response(new_household(village_id=value), new_household())

    assert statuses(response) == [("rejected", "validation_error"), ("applied", None)]


@pytest.mark.parametrize("value", [2**31, 2**63 - 1, 2**64])
def test_a_base_version_past_the_column_is_rejected_alone(phone, value):
    asst1 = phone("asst1")
    created = asst1.push_one(new_household())

    response = asst1.push_response(update("household", created["id"], value, address="x"))

    assert statuses(response) == [("rejected", "validation_error")]


@pytest.mark.parametrize(
    ("field", "value", "status"),
    [
        ("birth_date", "0001-01-01", "rejected"),
        ("birth_date", "1899-12-31", "rejected"),
        ("birth_date", "1900-01-01", "applied"),
    ],
)
def test_a_birth_date_is_not_before_1900(phone, field, value, status):
    result = phone("asst1").push_one(new_resident(**{field: value}))

    assert result["status"] == status


@pytest.mark.parametrize(
    ("value", "status"), [("0001-01-01", "rejected"), ("1999-12-31", "rejected")]
)
def test_a_visit_date_is_not_before_2000(phone, world, value, status):
    resident = make_resident_for(world)
    record = new_record(str(resident.id))
    record["data"]["visit_date"] = value

    result = phone("asst1").push_one(record)

    assert result["status"] == status
    assert "visit_date" in result["errors"]
