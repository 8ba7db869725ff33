"""A temporary password (new account, or reset by a supervisor) must be changed first.

While `must_change_password` is set, every API endpoint but sign-in, refresh, sign-out, GET /api/me
and POST /api/me/password answers 403 `password_change_required`; the change lifts it at once.
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from server.domain.accounts.model import User
from server.domain.registry.model import Household
from server.extensions import db
from tests.conftest import bearer
from tests.server.test_access_matrix import ENDPOINTS, _call, build_scene

TEMP = "temp-pass-77"
CHOSEN = "my-own-pass-88"
OPEN_WHILE_PENDING = {"GET /api/me", "POST /api/me/password", "POST /api/auth/logout"}


def household_mutation() -> dict:
    return {
        "mutation_id": str(uuid.uuid4()),
        "entity": "household",
        "op": "create",
        "id": str(uuid.uuid4()),
        "base_version": None,
        "data": {"address": "村口9号", "head_name": "王建国"},
        "client_time": "2026-11-02T09:30:00+08:00",
    }


def reset(client, auth, username: str, by: str = "sup1") -> None:
    target = db.session.scalars(select(User.id).where(User.username == username)).one()
    response = client.post(
        f"/api/users/{target}/password", json={"password": TEMP}, headers=auth.headers(by)
    )
    assert response.status_code == 200, response.get_json()


def change(client, headers, current: str = TEMP, new: str = CHOSEN):
    body = {"current_password": current, "new_password": new}
    return client.post("/api/me/password", json=body, headers=headers)


def assert_change_required(response) -> None:
    assert response.status_code == 403, response.get_json()
    body = response.get_json()
    assert set(body) == {"code", "message", "errors"}
    assert body["code"] == "password_change_required"
    assert body["message"] and body["errors"] == {}


@pytest.fixture
def pending(client, auth, world):
    """asst1 after a reset, signed in with the temporary password on phone `dev-asst1`."""
    reset(client, auth, "asst1")
    tokens = auth.tokens("asst1", password=TEMP, device_id="dev-asst1")
    return tokens


def test_login_and_me_say_the_password_must_be_changed(client, pending):
    assert pending["user"]["must_change_password"] is True
    response = client.get("/api/me", headers=bearer(pending["access_token"]))
    assert response.status_code == 200
    assert response.get_json()["must_change_password"] is True


def test_an_unaffected_user_says_no_change_is_needed(client, auth, world):
    tokens = auth.tokens("asst2")
    assert tokens["user"]["must_change_password"] is False
    me = client.get("/api/me", headers=bearer(tokens["access_token"])).get_json()
    assert me["must_change_password"] is False


def test_sync_push_is_refused_and_nothing_is_applied(client, pending):
    body = {"device_id": "dev-asst1", "mutations": [household_mutation()]}
    response = client.post("/api/sync/push", json=body, headers=bearer(pending["access_token"]))
    assert_change_required(response)
    assert db.session.scalar(select(func.count()).select_from(Household)) == 0


def test_sync_pull_and_other_endpoints_are_refused(client, pending):
    headers = bearer(pending["access_token"])
    assert_change_required(client.get("/api/sync/pull", headers=headers))
    assert_change_required(client.get("/api/forms", headers=headers))
    assert_change_required(client.get("/api/org-units", headers=headers))


def test_a_reset_supervisor_is_refused_residents(client, auth, world):
    reset(client, auth, "sup1", by="admin")
    headers = auth.headers("sup1", password=TEMP)
    assert_change_required(client.get("/api/residents", headers=headers))
    assert_change_required(client.get("/api/users", headers=headers))


def test_refresh_and_logout_stay_open(client, pending):
    refreshed = client.post("/api/auth/refresh", headers=bearer(pending["refresh_token"]))
    assert refreshed.status_code == 200
    assert refreshed.get_json()["user"]["must_change_password"] is True
    headers = bearer(refreshed.get_json()["access_token"])
    assert client.post("/api/auth/logout", headers=headers).status_code == 200


def test_every_guarded_endpoint_refuses_until_the_change(client, auth, world):
    """The whole API (tests/server/test_access_matrix.py lists it), for the admin who may do all."""
    scene = build_scene(world)
    world.users["admin"].must_change_password = True
    db.session.commit()
    headers = auth.headers("admin", device_id="matrix-phone")
    for endpoint in ENDPOINTS:
        if endpoint.name in OPEN_WHILE_PENDING:
            continue
        response = _call(client, endpoint, scene, "in", headers)
        assert response.status_code == 403, endpoint.name
        assert response.get_json()["code"] == "password_change_required", endpoint.name


def test_changing_the_password_lets_the_same_session_through(client, auth, pending):
    headers = bearer(pending["access_token"])
    response = change(client, headers)
    assert response.status_code == 200, response.get_json()

    assert client.get("/api/me", headers=headers).get_json()["must_change_password"] is False
    body = {"device_id": "dev-asst1", "mutations": [household_mutation()]}
    pushed = client.post("/api/sync/push", json=body, headers=headers)
    assert pushed.status_code == 200
    assert pushed.get_json()["results"][0]["status"] == "applied"
    assert client.get("/api/sync/pull", headers=headers).status_code == 200

    assert auth.login("asst1", password=TEMP).status_code == 401
    fresh = auth.tokens("asst1", password=CHOSEN)
    assert fresh["user"]["must_change_password"] is False


def test_refreshed_tokens_get_through_after_the_change(client, pending):
    assert change(client, bearer(pending["access_token"])).status_code == 200
    refreshed = client.post("/api/auth/refresh", headers=bearer(pending["refresh_token"]))
    assert refreshed.status_code == 200
    headers = bearer(refreshed.get_json()["access_token"])
    assert client.get("/api/sync/pull", headers=headers).status_code == 200


@pytest.mark.parametrize(
    ("current", "new", "field", "code"),
    [
        ("wrong-current-1", CHOSEN, "current_password", "current_password_wrong"),
        (TEMP, "short", "new_password", "password_too_short"),
        (TEMP, TEMP, "new_password", "password_unchanged"),
        (TEMP, "x" * 257, "new_password", "validation_error"),
    ],
    ids=["wrong-current", "too-short", "unchanged", "too-long"],
)
def test_a_refused_change_names_the_field_and_keeps_the_block(
    client, pending, current, new, field, code
):
    headers = bearer(pending["access_token"])
    response = change(client, headers, current, new)
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == code
    assert list(body["errors"]) == [field]
    assert_change_required(client.get("/api/sync/pull", headers=headers))


def test_a_pending_user_does_not_block_anyone_else(client, auth, pending):
    headers = auth.headers("asst2", device_id="dev-asst2")
    body = {"device_id": "dev-asst2", "mutations": [household_mutation()]}
    assert client.post("/api/sync/push", json=body, headers=headers).status_code == 200
    assert client.get("/api/residents", headers=auth.headers("sup1")).status_code == 200
