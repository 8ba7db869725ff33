"""Revoking a device three ways, and "stop after upload" from request to wipe."""

from __future__ import annotations

import pytest

from server.core.audit import audit_entries
from server.domain.accounts.model import Device, User
from server.domain.accounts.revocation import revokes_now
from server.extensions import db
from tests.conftest import bearer

PHONE = "field-phone-0001"
NEW_PASSWORD = "temporary-2468"


@pytest.fixture
def phone(auth, world):
    return auth.tokens("asst1", device_id=PHONE)


def _device() -> Device:
    db.session.expire_all()
    return db.session.query(Device).filter_by(client_id=PHONE).one()


def _revoke(client, auth, world, **body):
    target = world.users["asst1"].id
    return client.post(
        f"/api/users/{target}/devices/{_device().id}/revoke",
        json=body,
        headers=auth.headers("sup1"),
    )


def _push(client, tokens, queued, mutations=()):
    body = {"device_id": PHONE, "mutations": list(mutations), "queued": queued}
    return client.post("/api/sync/push", json=body, headers=bearer(tokens["access_token"]))


def _pull(client, tokens, queued):
    query = {} if queued is None else {"queued": queued}
    return client.get("/api/sync/pull", query_string=query, headers=bearer(tokens["access_token"]))


def _actions(world) -> list[str]:
    return [e.action for e in audit_entries(db.session, "user", world.users["asst1"].id)]


@pytest.mark.parametrize(
    ("pending", "queued", "carrying", "revoked"),
    [
        (False, 0, 0, False),
        (False, None, 0, False),
        (True, 0, 0, True),
        (True, 3, 0, False),
        (True, 3, 3, False),
        (True, 0, 2, False),
        (True, None, 0, False),
    ],
)
def test_a_pending_revocation_completes_only_on_an_empty_outbox_and_an_empty_request(
    pending, queued, carrying, revoked
):
    assert revokes_now(pending, queued, carrying) is revoked


# (the request, what the phone reports queued) -> answer status, device revoked afterwards
STOP_AFTER_UPLOAD = [
    ("push", 2, 200, False),
    ("pull", 2, 200, False),
    ("pull", None, 200, False),
    ("pull", 0, 403, True),
    ("push", 0, 403, True),
]


@pytest.mark.parametrize(("request_kind", "queued", "status", "revoked"), STOP_AFTER_UPLOAD)
def test_stop_after_upload_state_machine_over_http(
    client, auth, world, phone, request_kind, queued, status, revoked
):
    assert _revoke(client, auth, world, choice="revoke_after_upload").status_code == 200
    send = _push if request_kind == "push" else _pull
    response = send(client, phone, queued)
    assert response.status_code == status
    assert (_device().revoked_at is not None) is revoked
    if revoked:
        assert response.get_json()["code"] == "device_revoked"


def test_stop_after_upload_accepts_the_queue_then_revokes_when_the_phone_reports_empty(
    client, auth, world, phone
):
    from tests.sync.conftest import new_household

    _revoke(client, auth, world, choice="revoke_after_upload")
    assert _device().revoke_after_upload_at is not None
    pushed = _push(client, phone, 1, [new_household()])
    assert pushed.get_json()["results"][0]["status"] == "applied"
    assert _device().revoked_at is None
    assert _pull(client, phone, 0).get_json()["code"] == "device_revoked"
    assert _device().revoked_at is not None
    assert _actions(world)[-2:] == ["revoke_after_upload", "revoked_after_upload"]
    assert auth.login("asst1", device_id=PHONE).get_json()["code"] == "device_revoked"


def test_the_device_list_shows_what_the_phone_last_reported_queued_and_its_last_push(
    client, auth, world, phone
):
    _push(client, phone, 4)
    devices = client.get(
        f"/api/users/{world.users['asst1'].id}/devices", headers=auth.headers("sup1")
    ).get_json()
    assert devices[0]["queued"] == 4
    assert devices[0]["last_push_at"] is not None
    assert devices[0]["revoke_after_upload_at"] is None


def test_a_pull_reporting_its_outbox_updates_queued_but_not_last_push(client, phone, world):
    _pull(client, phone, 7)
    device = _device()
    assert (device.queued, device.last_push_at) == (7, None)


def test_revoke_now_is_audited_as_revoke(client, auth, world, phone):
    _revoke(client, auth, world)
    assert _device().revoked_at is not None
    assert _actions(world)[-1] == "revoke"


def test_revoke_and_reset_sets_a_temporary_password_that_must_be_changed(
    client, auth, world, phone
):
    response = _revoke(client, auth, world, choice="revoke_and_reset", password=NEW_PASSWORD)
    assert response.status_code == 200
    assert _device().revoked_at is not None
    assert _actions(world)[-1] == "revoke_and_reset"
    assert auth.login("asst1", device_id="other-phone-01").status_code == 401
    again = auth.tokens("asst1", password=NEW_PASSWORD, device_id="other-phone-01")
    assert again["user"]["must_change_password"] is True


def test_revoke_and_reset_ends_the_sessions_of_the_users_other_devices(client, auth, world, phone):
    tablet = auth.tokens("asst1", device_id="tablet-000001")
    _revoke(client, auth, world, choice="revoke_and_reset", password=NEW_PASSWORD)
    response = client.get("/api/me", headers=bearer(tablet["access_token"]))
    assert (response.status_code, response.get_json()["code"]) == (401, "token_revoked")


def test_revoke_and_reset_needs_an_acceptable_password(client, auth, world, phone):
    assert _revoke(client, auth, world, choice="revoke_and_reset").status_code == 422
    assert (
        _revoke(client, auth, world, choice="revoke_and_reset", password="short").status_code == 422
    )
    assert _device().revoked_at is None
    db.session.expire_all()
    assert db.session.get(User, world.users["asst1"].id).must_change_password is False


def test_an_unknown_choice_is_refused(client, auth, world, phone):
    assert _revoke(client, auth, world, choice="wipe_remotely").status_code == 422
