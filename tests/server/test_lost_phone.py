"""A revoked device or a deactivated account is told so, by code, on every call it makes."""

from __future__ import annotations

import pytest

from server.domain.accounts.auth import revoke_device
from server.domain.accounts.model import Device, User
from server.extensions import db
from tests.conftest import bearer

PHONE = "lost-phone-0001"


def _revoke_device() -> None:
    revoke_device(db.session, db.session.query(Device).filter_by(client_id=PHONE).one())
    db.session.commit()


def _deactivate(world) -> None:
    db.session.get(User, world.users["asst1"].id).active = False
    db.session.commit()


ENDPOINTS = {
    "push": lambda c, t: c.post(
        "/api/sync/push",
        json={"device_id": PHONE, "mutations": [], "queued": 0},
        headers=bearer(t["access_token"]),
    ),
    "pull": lambda c, t: c.get("/api/sync/pull", headers=bearer(t["access_token"])),
    "refresh": lambda c, t: c.post("/api/auth/refresh", headers=bearer(t["refresh_token"])),
    "me": lambda c, t: c.get("/api/me", headers=bearer(t["access_token"])),
    "forms": lambda c, t: c.get("/api/forms", headers=bearer(t["access_token"])),
    "residents": lambda c, t: c.get("/api/residents", headers=bearer(t["access_token"])),
    "password": lambda c, t: c.post(
        "/api/me/password",
        json={"current_password": "x", "new_password": "y" * 10},
        headers=bearer(t["access_token"]),
    ),
}
CAUSES = {
    "device_revoked": lambda world: _revoke_device(),
    "account_deactivated": _deactivate,
}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("code", CAUSES)
def test_every_call_of_a_cut_off_phone_is_refused_with_the_code_that_says_why(
    client, auth, world, endpoint, code
):
    tokens = auth.tokens("asst1", device_id=PHONE)
    CAUSES[code](world)
    response = ENDPOINTS[endpoint](client, tokens)
    assert (response.status_code, response.get_json()["code"]) == (403, code)


def test_sign_in_from_the_revoked_device_is_refused_as_revoked(auth, world):
    auth.tokens("asst1", device_id=PHONE)
    _revoke_device()
    response = auth.login("asst1", device_id=PHONE)
    assert (response.status_code, response.get_json()["code"]) == (403, "device_revoked")


def test_sign_in_of_a_deactivated_account_with_its_password_says_deactivated(auth, world):
    _deactivate(world)
    response = auth.login("asst1")
    assert (response.status_code, response.get_json()["code"]) == (403, "account_deactivated")


def test_a_wrong_password_of_a_deactivated_account_reveals_nothing(auth, world):
    _deactivate(world)
    response = auth.login("asst1", "wrong-password")
    assert (response.status_code, response.get_json()["code"]) == (401, "invalid_credentials")


def test_an_ended_session_of_an_active_device_stays_a_plain_401(client, auth, world):
    tokens = auth.tokens("asst1", device_id=PHONE)
    client.post("/api/auth/logout", headers=bearer(tokens["access_token"]))
    response = client.get("/api/me", headers=bearer(tokens["access_token"]))
    assert (response.status_code, response.get_json()["code"]) == (401, "token_revoked")


def test_a_reactivated_account_gets_a_plain_401_on_its_old_session(client, auth, world):
    tokens = auth.tokens("asst1", device_id=PHONE)
    staff = auth.headers("sup1")
    for step in ("deactivate", "activate"):
        client.post(f"/api/users/{world.users['asst1'].id}/{step}", headers=staff)
    response = client.get("/api/me", headers=bearer(tokens["access_token"]))
    assert (response.status_code, response.get_json()["code"]) == (401, "token_revoked")


def test_a_user_whose_device_was_revoked_signs_straight_back_in_on_a_new_device(
    client, auth, world
):
    auth.tokens("asst1", device_id=PHONE)
    _revoke_device()
    fresh = auth.tokens("asst1", device_id="new-phone-0002")
    assert client.get("/api/me", headers=bearer(fresh["access_token"])).status_code == 200


def test_the_sign_in_answer_carries_the_phone_retention_setting(app, auth, world):
    app.config["PHONE_RETENTION_DAYS"] = 30
    try:
        assert auth.tokens("asst1")["settings"]["phone_retention_days"] == 30
    finally:
        app.config["PHONE_RETENTION_DAYS"] = 90


def test_the_refresh_answer_carries_the_phone_retention_setting(client, auth, world):
    tokens = auth.tokens("asst1")
    fresh = client.post("/api/auth/refresh", headers=bearer(tokens["refresh_token"])).get_json()
    assert fresh["settings"]["phone_retention_days"] == 90
