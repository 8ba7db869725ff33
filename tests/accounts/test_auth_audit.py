"""Signing in and out leaves `auth.*` audit rows: who, from which address and device, what
happened; never a password or a token. A refused sign-in's row is committed although the
request fails."""

from __future__ import annotations

import json

import pytest
from flask_jwt_extended import decode_token
from sqlalchemy import select

from server.core.audit import AuditEntry
from server.domain.accounts import auth_audit
from server.domain.accounts.model import Device
from server.extensions import db
from tests.conftest import bearer
from tests.factories import PASSWORD

OFFICE = "198.51.100.7"
WRONG = "guess-number-1"


def committed(action: str) -> list[AuditEntry]:
    """Rows of `action` as another connection sees them: only what was committed."""
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(AuditEntry.__table__).where(AuditEntry.action == action).order_by("id")
        )
        return list(rows)


def test_a_sign_in_is_audited_with_address_and_device(sign_in, world):
    sign_in("asst1", address=OFFICE, device_id="phone-0001")
    [row] = committed(auth_audit.SIGN_IN)
    device = db.session.scalars(select(Device).where(Device.client_id == "phone-0001")).one()
    assert (row.actor_id, row.device_id) == (world.users["asst1"].id, device.id)
    assert (row.entity, row.entity_id) == ("user", str(world.users["asst1"].id))
    assert row.after["address"] == OFFICE
    assert row.after["username"] == "asst1"


def test_a_wrong_password_is_audited_although_refused(sign_in, world):
    assert sign_in("sup1", WRONG, OFFICE).status_code == 401
    [row] = committed(auth_audit.SIGN_IN_FAILED)
    assert (row.entity, row.entity_id) == ("user", str(world.users["sup1"].id))
    assert row.actor_id is None
    assert row.after == {"username": "sup1", "reason": "invalid_credentials", "address": OFFICE}


def test_an_unknown_username_is_audited_as_tried(sign_in, world):
    sign_in("  nobody-here ", WRONG, OFFICE)
    [row] = committed(auth_audit.SIGN_IN_FAILED)
    assert (row.entity, row.entity_id) == ("username", "nobody-here")
    assert row.after["username"] == "nobody-here"


@pytest.mark.parametrize("reason", ["account_deactivated", "device_revoked"])
def test_a_right_password_refused_for_the_account_or_device_is_audited(
    sign_in, auth, client, world, reason
):
    from server.domain.accounts.auth import revoke_device
    from server.domain.accounts.model import User

    sign_in("asst1", device_id="phone-0001")
    if reason == "account_deactivated":
        db.session.get(User, world.users["asst1"].id).active = False
    else:
        device = db.session.scalars(select(Device).where(Device.client_id == "phone-0001")).one()
        revoke_device(db.session, device)
    db.session.commit()
    assert sign_in("asst1", device_id="phone-0001").get_json()["code"] == reason
    assert [row.after["reason"] for row in committed(auth_audit.SIGN_IN_FAILED)] == [reason]


def test_a_delayed_attempt_writes_no_row(sign_in, world):
    """Only checked passwords are audited: the throttle bounds them, so a flood of refused
    attempts cannot flood the trail."""
    for _ in range(5):
        sign_in("sup1", WRONG, OFFICE)
    for _ in range(3):
        assert sign_in("sup1", WRONG, OFFICE).status_code == 429
    assert len(committed(auth_audit.SIGN_IN_FAILED)) == 5


def test_a_sign_out_is_audited(client, auth, world):
    tokens = auth.tokens("asst1", device_id="phone-0001")
    client.post("/api/auth/logout", headers=bearer(tokens["access_token"]))
    [row] = committed(auth_audit.SIGN_OUT)
    assert row.actor_id == world.users["asst1"].id
    assert row.device_id is not None


def test_signing_out_twice_is_audited_once(client, auth, world):
    tokens = auth.tokens("asst1")
    client.post("/api/auth/logout", headers=bearer(tokens["refresh_token"]))
    client.post("/api/auth/logout", headers=bearer(tokens["refresh_token"]))
    assert len(committed(auth_audit.SIGN_OUT)) == 1


def test_a_password_change_is_audited_with_the_sessions_it_ended(client, auth, world):
    auth.tokens("asst1")
    tokens = auth.tokens("asst1", device_id="phone-0001")
    body = {"current_password": PASSWORD, "new_password": "a-new-pass-2468"}
    assert (
        client.post(
            "/api/me/password", json=body, headers=bearer(tokens["access_token"])
        ).status_code
        == 200
    )
    [row] = committed(auth_audit.PASSWORD_CHANGED)
    assert row.actor_id == world.users["asst1"].id
    assert row.after["other_sessions_ended"] == 1
    assert row.device_id is not None


def test_a_reused_refresh_token_is_audited(client, auth, world):
    first = auth.tokens("asst1")
    client.post("/api/auth/refresh", headers=bearer(first["refresh_token"]))
    assert (
        client.post("/api/auth/refresh", headers=bearer(first["refresh_token"])).get_json()["code"]
        == "refresh_token_reused"
    )
    [row] = committed(auth_audit.REFRESH_REUSE)
    assert (row.entity, row.entity_id) == ("user", str(world.users["asst1"].id))
    assert row.after["session_ended"] is True


@pytest.mark.parametrize("choice", ["revoke", "revoke_and_reset"])
def test_revoking_a_device_is_audited_on_the_device(client, auth, world, choice):
    auth.tokens("asst1", device_id="phone-0001")
    target = world.users["asst1"].id
    device = db.session.scalars(select(Device).where(Device.client_id == "phone-0001")).one()
    body = {"choice": choice, "password": "temp-pass-7531"}
    client.post(
        f"/api/users/{target}/devices/{device.id}/revoke", json=body, headers=auth.headers("sup1")
    )
    [row] = committed(auth_audit.DEVICE_REVOKED)
    assert (row.entity, row.entity_id) == ("device", str(device.id))
    assert row.actor_id == world.users["sup1"].id
    assert row.after == {"user_id": target, "label": "test phone", "how": choice}


def test_a_completed_stop_after_upload_is_audited_as_a_revocation(client, auth, world):
    tokens = auth.tokens("asst1", device_id="phone-0001")
    target = world.users["asst1"].id
    device = db.session.scalars(select(Device).where(Device.client_id == "phone-0001")).one()
    client.post(
        f"/api/users/{target}/devices/{device.id}/revoke",
        json={"choice": "revoke_after_upload"},
        headers=auth.headers("sup1"),
    )
    assert committed(auth_audit.DEVICE_REVOKED) == []
    client.get("/api/sync/pull", query_string={"queued": 0}, headers=bearer(tokens["access_token"]))
    [row] = committed(auth_audit.DEVICE_REVOKED)
    assert row.actor_id is None
    assert row.after["how"] == "revoked_after_upload"


def test_no_audit_row_holds_a_password_or_a_token(app, client, auth, sign_in, world):
    sign_in("sup1", WRONG, OFFICE)
    tokens = auth.tokens("asst1")
    refreshed = client.post("/api/auth/refresh", headers=bearer(tokens["refresh_token"]))
    client.post("/api/auth/refresh", headers=bearer(tokens["refresh_token"]))
    new = "a-new-pass-1357"
    mine = auth.tokens("asst2")
    body = {"current_password": PASSWORD, "new_password": new}
    client.post("/api/me/password", json=body, headers=bearer(mine["access_token"]))
    client.post("/api/auth/logout", headers=bearer(mine["access_token"]))
    secrets = [WRONG, PASSWORD, new, tokens["access_token"], tokens["refresh_token"]]
    secrets += [refreshed.get_json()["refresh_token"], mine["access_token"]]
    with db.engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(select(AuditEntry.__table__))]
    assert {r["action"] for r in rows} >= set(auth_audit.ACTIONS) - {auth_audit.DEVICE_REVOKED}
    dumped = json.dumps(rows, default=str)
    for secret in secrets:
        assert secret not in dumped
    jtis = [decode_token(t, allow_expired=True)["jti"] for t in secrets[3:]]
    assert all(jti not in dumped for jti in jtis)


@pytest.mark.parametrize("action", auth_audit.ACTIONS)
def test_auth_actions_fit_the_audit_column_and_share_a_prefix(action):
    assert action.startswith("auth.")
    assert len(action) <= AuditEntry.__table__.c.action.type.length
