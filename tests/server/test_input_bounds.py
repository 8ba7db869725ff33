"""No input breaks a screen: numbers past the columns, odd bodies, control text, long chunks.

Found by fuzzing the OpenAPI schema; every one of these answered 500.
"""

from __future__ import annotations

import io
import json
import uuid

import pytest

from sync.pull import encode_cursor

BIG = [2**31, 2**63, 2**70]

PATHS = [
    ("GET", "/api/users/{n}"),
    ("POST", "/api/users/{n}/password"),
    ("POST", "/api/users/{n}/deactivate"),
    ("POST", "/api/users/{n}/activate"),
    ("GET", "/api/users/{n}/devices"),
    ("POST", "/api/users/1/devices/{n}/revoke"),
    ("GET", "/api/org-units/{n}"),
    ("POST", "/api/conflicts/{n}/resolve"),
]

QUERIES = [
    ("/api/residents", "page"),
    ("/api/residents", "village_id"),
    ("/api/households", "page"),
    ("/api/households", "village_id"),
    ("/api/review/records", "page"),
    ("/api/review/records", "village_id"),
    ("/api/review/records", "township_id"),
    ("/api/review/records", "author_id"),
    ("/api/conflicts", "page"),
    ("/api/exports/records.csv", "author_id"),
    ("/api/exports/records.xlsx", "village_id"),
]


@pytest.mark.parametrize("number", BIG)
@pytest.mark.parametrize(("method", "path"), PATHS)
def test_a_path_id_past_the_columns_is_not_found(client, auth, world, method, path, number):
    response = client.open(
        path.format(n=number), method=method, json={}, headers=auth.headers("admin")
    )

    assert response.status_code == 404
    assert response.get_json()["code"] == "not_found"


@pytest.mark.parametrize("number", BIG)
@pytest.mark.parametrize(("path", "name"), QUERIES)
def test_a_query_number_past_the_columns_is_a_422_naming_it(
    client, auth, world, path, name, number
):
    response = client.get(path, query_string={name: number}, headers=auth.headers("sup1"))

    assert response.status_code == 422
    assert name in response.get_json()["errors"]


@pytest.mark.parametrize("number", BIG)
def test_an_org_unit_id_past_the_column_is_a_422(client, auth, world, number):
    body = {"username": "newbie", "role": "assistant", "org_unit_id": number, "password": "x" * 12}

    response = client.post("/api/users", json=body, headers=auth.headers("admin"))

    assert response.status_code == 422
    assert "org_unit_id" in response.get_json()["errors"]


@pytest.mark.parametrize("number", BIG)
def test_a_review_version_past_the_column_is_a_422(client, auth, world, number):
    response = client.post(
        f"/api/review/records/{uuid.uuid4()}/approve",
        json={"version": number},
        headers=auth.headers("sup1"),
    )

    assert response.status_code == 422
    assert "version" in response.get_json()["errors"]


@pytest.mark.parametrize("seq", [2**63, 2**70])
def test_a_pull_cursor_past_the_feed_is_a_422(client, auth, world, seq):
    since = encode_cursor(seq, world.units["V1a"].id)

    response = client.get(
        "/api/sync/pull", query_string={"since": since}, headers=auth.headers("asst1")
    )

    assert response.status_code == 422
    assert "since" in response.get_json()["errors"]


@pytest.mark.parametrize("body", ["[1, 2]", '"asst1"', "7", "null", "true"])
def test_a_login_body_that_is_not_an_object_is_a_422(client, body):
    response = client.post(
        "/api/auth/login", data=body, headers={"Content-Type": "application/json"}
    )

    assert response.status_code in (400, 422)
    assert response.get_json()["code"] in ("bad_request", "validation_error")


@pytest.mark.parametrize("text", ["a\x00b", "a\x0bb", "a\ud800b"], ids=repr)
def test_text_no_database_can_store_is_a_422_naming_the_field(client, auth, world, text):
    body = {"username": "newbie", "full_name": text, "role": "assistant", "org_unit_id": 1}
    raw = json.dumps({**body, "password": "x" * 12})

    response = client.post(
        "/api/users",
        data=raw,
        headers={**auth.headers("admin"), "Content-Type": "application/json"},
    )

    assert response.status_code == 422
    assert "full_name" in response.get_json()["errors"]


@pytest.mark.parametrize("text", ["%00", "%0B"])
def test_a_control_character_in_a_query_is_a_422(client, auth, world, text):
    response = client.get(f"/api/residents?q=a{text}", headers=auth.headers("sup1"))

    assert response.status_code == 422
    assert "q" in response.get_json()["errors"]


def test_a_chunked_body_over_the_limit_is_a_413(app, client):
    limit = app.config["MAX_CONTENT_LENGTH"]
    body = b'{"username": "' + b"x" * limit + b'"}'

    response = client.post(
        "/api/auth/login",
        input_stream=io.BytesIO(body),
        headers={"Transfer-Encoding": "chunked", "Content-Type": "application/json"},
        environ_overrides={"wsgi.input_terminated": True},
    )

    assert response.status_code == 413
    assert response.get_json()["code"] == "payload_too_large"


def test_a_chunked_body_under_the_limit_is_read(client, world):
    body = b'{"username": "asst1", "password": "wrong-password"}'

    response = client.post(
        "/api/auth/login",
        input_stream=io.BytesIO(body),
        headers={"Transfer-Encoding": "chunked", "Content-Type": "application/json"},
        environ_overrides={"wsgi.input_terminated": True},
    )

    assert response.status_code == 422  # read and validated: device_id is missing
