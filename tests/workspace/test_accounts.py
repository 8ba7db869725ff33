"""Account management: who may create, reset, deactivate and revoke whom, all audited."""

from __future__ import annotations

from server.core.audit import audit_entries
from server.domain.accounts.model import Device, User
from server.extensions import db

NEW_PASSWORD = "temp-pass-99"


def last_account_change(user_id: int) -> str:
    """The latest change staff made to the account (sign-ins, `auth.*`, are on it too)."""
    actions = [e.action for e in audit_entries(db.session, "user", user_id)]
    return [a for a in actions if not a.startswith("auth.")][-1]


def new_user(client, auth, actor="sup1", **body):
    payload = {
        "username": "asst9",
        "full_name": "赵六",
        "role": "assistant",
        "password": NEW_PASSWORD,
        **body,
    }
    return client.post("/api/users", json=payload, headers=auth.headers(actor))


def test_supervisor_creates_an_assistant_in_a_township_village(client, auth, world):
    response = new_user(client, auth, org_unit_id=world.units["V1b"].id)
    assert response.status_code == 201
    body = response.get_json()
    assert (body["role"], body["org_unit"]["code"]) == ("assistant", "V1b")
    assert body["must_change_password"] is True


def test_new_account_signs_in_and_must_change_password(client, auth, world):
    new_user(client, auth, org_unit_id=world.units["V1b"].id)
    tokens = auth.tokens("asst9", password=NEW_PASSWORD)
    assert tokens["user"]["must_change_password"] is True


def test_account_creation_is_audited(client, auth, world):
    user_id = new_user(client, auth, org_unit_id=world.units["V1b"].id).get_json()["id"]
    entry = audit_entries(db.session, "user", user_id)[-1]
    assert (entry.action, entry.actor_id) == ("create", world.users["sup1"].id)
    assert "password_hash" not in entry.after


def test_supervisor_cannot_create_in_another_township(client, auth, world):
    response = new_user(client, auth, org_unit_id=world.units["V2a"].id)
    assert response.status_code == 422
    assert "org_unit_id" in response.get_json()["errors"]


def test_supervisor_cannot_create_a_supervisor(client, auth, world):
    response = new_user(client, auth, role="supervisor", org_unit_id=world.units["T1"].id)
    assert response.status_code == 403


def test_role_must_match_the_unit_level(client, auth, world):
    response = new_user(client, auth, org_unit_id=world.units["T1"].id)
    assert response.status_code == 422


def test_username_must_be_free(client, auth, world):
    response = new_user(client, auth, username="asst2", org_unit_id=world.units["V1a"].id)
    assert response.status_code == 409
    assert "username" in response.get_json()["errors"]


def test_short_password_is_refused(client, auth, world):
    response = new_user(client, auth, org_unit_id=world.units["V1a"].id, password="short")
    assert response.status_code == 422
    assert "password" in response.get_json()["errors"]


def test_admin_creates_a_supervisor_in_the_county(client, auth, world):
    response = new_user(
        client, auth, "admin", username="sup9", role="supervisor", org_unit_id=world.units["T2"].id
    )
    assert response.status_code == 201


def test_assistants_cannot_manage_accounts(client, auth, world):
    response = new_user(client, auth, "asst1", org_unit_id=world.units["V1a"].id)
    assert response.status_code == 403


def test_reset_password_ends_sessions_and_forces_a_change(client, auth, world):
    old = auth.headers("asst1")
    target = world.users["asst1"].id
    body = {"password": NEW_PASSWORD}
    response = client.post(f"/api/users/{target}/password", json=body, headers=auth.headers("sup1"))
    assert response.status_code == 200
    assert response.get_json()["must_change_password"] is True
    assert client.get("/api/me", headers=old).status_code == 401
    assert auth.login("asst1", password=NEW_PASSWORD).status_code == 200
    assert last_account_change(target) == "reset_password"


def test_deactivation_revokes_tokens_at_once(client, auth, world):
    old = auth.headers("asst1")
    target = world.users["asst1"].id
    response = client.post(f"/api/users/{target}/deactivate", headers=auth.headers("sup1"))
    assert response.get_json()["active"] is False
    assert client.get("/api/me", headers=old).get_json()["code"] == "account_deactivated"
    assert auth.login("asst1").get_json()["code"] == "account_deactivated"
    assert last_account_change(target) == "deactivate"


def test_reactivated_account_signs_in_again(client, auth, world):
    target = world.users["asst1"].id
    headers = auth.headers("sup1")
    client.post(f"/api/users/{target}/deactivate", headers=headers)
    client.post(f"/api/users/{target}/activate", headers=headers)
    assert auth.login("asst1").status_code == 200


def test_supervisor_cannot_deactivate_another_supervisor(client, auth, world):
    target = world.users["sup1"].id
    response = client.post(f"/api/users/{target}/deactivate", headers=auth.headers("sup1"))
    assert response.status_code == 403


def test_accounts_outside_the_area_are_not_found(client, auth, world):
    target = world.users["asst3"].id
    response = client.post(f"/api/users/{target}/deactivate", headers=auth.headers("sup1"))
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(User, target).active is True


def test_admin_deactivates_a_supervisor(client, auth, world):
    target = world.users["sup2"].id
    response = client.post(f"/api/users/{target}/deactivate", headers=auth.headers("admin"))
    assert response.status_code == 200


def test_devices_are_listed_and_one_can_be_revoked(client, auth, world):
    phone = auth.headers("asst1", device_id="phone-of-asst1")
    target = world.users["asst1"].id
    headers = auth.headers("sup1")
    devices = client.get(f"/api/users/{target}/devices", headers=headers).get_json()
    assert [d["client_id"] for d in devices] == ["phone-of-asst1"]
    response = client.post(
        f"/api/users/{target}/devices/{devices[0]['id']}/revoke", headers=headers
    )
    assert response.get_json()["revoked_at"] is not None
    assert client.get("/api/me", headers=phone).get_json()["code"] == "device_revoked"
    assert auth.login("asst1", device_id="phone-of-asst1").status_code == 403
    assert last_account_change(target) == "revoke"


def test_another_users_device_is_not_found(client, auth, world):
    auth.tokens("asst2", device_id="phone-of-asst2")
    device = db.session.query(Device).filter_by(client_id="phone-of-asst2").one()
    target = world.users["asst1"].id
    response = client.post(
        f"/api/users/{target}/devices/{device.id}/revoke", headers=auth.headers("sup1")
    )
    assert response.status_code == 404


def test_a_new_account_must_change_its_password_before_working(client, auth, world):
    new_user(client, auth, org_unit_id=world.units["V1b"].id)
    tokens = auth.tokens("asst9", password=NEW_PASSWORD)
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    refused = client.get("/api/sync/pull", headers=headers)
    assert refused.status_code == 403
    assert refused.get_json()["code"] == "password_change_required"

    body = {"current_password": NEW_PASSWORD, "new_password": "chosen-pass-42"}
    assert client.post("/api/me/password", json=body, headers=headers).status_code == 200
    assert client.get("/api/sync/pull", headers=headers).status_code == 200
    assert auth.tokens("asst9", password="chosen-pass-42")["user"]["must_change_password"] is False
