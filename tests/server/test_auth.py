"""Sign-in, refresh rotation, reuse detection, logout and revocation."""

from __future__ import annotations

from server.domain.accounts.model import Device, User
from server.extensions import db
from tests.conftest import bearer


def test_login_returns_tokens_and_user(auth, world):
    body = auth.tokens("asst1")
    assert body["access_token"] and body["refresh_token"]
    assert body["user"]["username"] == "asst1"
    assert body["user"]["role"] == "assistant"
    assert body["user"]["org_unit"]["name"] == "上村"


def test_me_answers_the_signed_in_user(client, auth, world):
    response = client.get("/api/me", headers=auth.headers("sup1"))
    assert response.status_code == 200
    assert response.get_json()["org_unit"]["level"] == "township"


def test_unknown_user_and_wrong_password_get_the_same_answer(auth, world):
    unknown = auth.login("nobody", "whatever-123")
    wrong = auth.login("asst1", "wrong-password")
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.get_json() == wrong.get_json()
    assert unknown.get_json()["code"] == "invalid_credentials"


def test_refresh_rotates_and_old_refresh_token_stops_working(client, auth, world):
    first = auth.tokens("asst1")
    second = client.post("/api/auth/refresh", headers=bearer(first["refresh_token"]))
    assert second.status_code == 200
    assert second.get_json()["refresh_token"] != first["refresh_token"]
    reused = client.post("/api/auth/refresh", headers=bearer(first["refresh_token"]))
    assert reused.status_code == 401
    assert reused.get_json()["code"] == "refresh_token_reused"


def test_reusing_a_rotated_refresh_token_ends_the_whole_family(client, auth, world):
    first = auth.tokens("asst1")
    second = client.post("/api/auth/refresh", headers=bearer(first["refresh_token"])).get_json()
    client.post("/api/auth/refresh", headers=bearer(first["refresh_token"]))
    assert client.get("/api/me", headers=bearer(second["access_token"])).status_code == 401
    again = client.post("/api/auth/refresh", headers=bearer(second["refresh_token"]))
    assert again.status_code == 401


def test_access_token_cannot_be_used_to_refresh(client, auth, world):
    tokens = auth.tokens("asst1")
    response = client.post("/api/auth/refresh", headers=bearer(tokens["access_token"]))
    assert response.status_code == 401


def test_logout_revokes_access_and_refresh_tokens(client, auth, world):
    tokens = auth.tokens("asst1")
    assert (
        client.post("/api/auth/logout", headers=bearer(tokens["access_token"])).status_code == 200
    )
    assert client.get("/api/me", headers=bearer(tokens["access_token"])).status_code == 401
    refresh = client.post("/api/auth/refresh", headers=bearer(tokens["refresh_token"]))
    assert refresh.status_code == 401
    assert refresh.get_json()["code"] == "token_revoked"


def test_logout_leaves_other_sessions_alive(client, auth, world):
    phone = auth.tokens("asst1")
    tablet = auth.tokens("asst1")
    client.post("/api/auth/logout", headers=bearer(phone["access_token"]))
    assert client.get("/api/me", headers=bearer(tablet["access_token"])).status_code == 200


def test_deactivating_a_user_invalidates_tokens_at_once(client, auth, world):
    tokens = auth.tokens("asst1")
    db.session.get(User, world.users["asst1"].id).active = False
    db.session.commit()
    assert client.get("/api/me", headers=bearer(tokens["access_token"])).status_code == 403
    assert (
        client.post("/api/auth/refresh", headers=bearer(tokens["refresh_token"])).status_code == 403
    )
    assert auth.login("asst1").get_json()["code"] == "account_deactivated"


def test_revoking_a_device_invalidates_its_tokens_and_blocks_sign_in(client, auth, world):
    from server.domain.accounts.auth import revoke_device

    tokens = auth.tokens("asst1", device_id="phone-0001")
    other = auth.tokens("asst1", device_id="phone-0002")
    device = db.session.query(Device).filter_by(client_id="phone-0001").one()
    revoke_device(db.session, device)
    db.session.commit()
    assert client.get("/api/me", headers=bearer(tokens["access_token"])).status_code == 403
    assert client.get("/api/me", headers=bearer(other["access_token"])).status_code == 200
    again = auth.login("asst1", device_id="phone-0001")
    assert again.status_code == 403
    assert again.get_json()["code"] == "device_revoked"


def test_repeated_failures_for_one_username_are_slowed_down(auth, world):
    for _ in range(5):
        assert auth.login("asst1", "wrong-password").status_code == 401
    blocked = auth.login("asst1", "wrong-password")
    assert blocked.status_code == 429
    assert blocked.get_json()["code"] == "sign_in_delayed"
    assert int(blocked.headers["Retry-After"]) > 0


def test_successful_logins_do_not_count_as_failures(auth, world):
    for _ in range(8):
        assert auth.login("asst1").status_code == 200


def test_repeated_failures_from_one_address_are_slowed_down_across_usernames(
    app, auth, world, monkeypatch
):
    monkeypatch.setitem(app.config, "LOGIN_FAILURE_LIMIT", "5 per minute")
    for name in ["asst1", "asst2", "asst3", "sup1", "sup2"]:
        assert auth.login(name, "wrong-password").status_code == 401
    blocked = auth.login("admin", "wrong-password")
    assert blocked.status_code == 429
    assert "wait" in blocked.get_json()["message"].lower()


def test_an_expired_access_token_asks_for_a_refresh(app, client, world):
    from datetime import timedelta

    from flask_jwt_extended import create_access_token

    with app.test_request_context():
        token = create_access_token(
            identity=str(world.users["asst1"].id), expires_delta=timedelta(seconds=-1)
        )
    response = client.get("/api/me", headers=bearer(token))
    assert response.status_code == 401
    assert response.get_json()["code"] == "token_expired"
