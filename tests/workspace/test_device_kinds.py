"""Devices named as people know them: the sign-in label, and the model and browser of the
User-Agent the device signed in with, on the account's device list and on a record."""

from __future__ import annotations

from server.domain.accounts.model import Device
from server.extensions import db
from tests.factories import make_record, make_resident

REDMI_UC = (
    "Mozilla/5.0 (Linux; Android 12; Redmi Note 11 Pro Build/SKQ1.211006.001; wv) "
    "AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/98.0.4758.101 Mobile "
    "Safari/537.36 UCBrowser/15.3.6.1226"
)


def sign_in_from(client, user_agent: str) -> None:
    response = client.post(
        "/api/auth/login",
        json={
            "username": "asst1",
            "password": "secret-pass-1",
            "device_id": "redmi-phone-1",
            "device_label": "张医生的手机",
        },
        headers={"User-Agent": user_agent},
    )
    assert response.status_code == 200


def test_the_device_list_names_model_and_browser(client, auth, world):
    sign_in_from(client, REDMI_UC)
    devices = client.get(
        f"/api/users/{world.users['asst1'].id}/devices", headers=auth.headers("sup1")
    ).get_json()
    redmi = next(d for d in devices if d["client_id"] == "redmi-phone-1")
    assert (redmi["label"], redmi["brand"], redmi["model"], redmi["browser"], redmi["os"]) == (
        "张医生的手机",
        "redmi",
        "Redmi Note 11 Pro",
        "uc",
        "Android 12",
    )
    assert redmi["created_at"] and redmi["last_seen_at"]


def test_a_later_sign_in_from_another_browser_updates_what_is_shown(client, auth, world):
    sign_in_from(client, REDMI_UC)
    sign_in_from(client, REDMI_UC.replace("UCBrowser/15.3.6.1226", "Quark/6.2.2.246"))
    device = db.session.query(Device).filter_by(client_id="redmi-phone-1").one()
    assert "Quark" in device.user_agent


def test_the_record_names_the_device_it_came_from(client, auth, world):
    sign_in_from(client, REDMI_UC)
    device = db.session.query(Device).filter_by(client_id="redmi-phone-1").one()
    resident = make_resident(db.session, world.units["V1a"])
    record = make_record(db.session, resident, world.users["asst1"], device_id=device.id)
    db.session.commit()
    detail = client.get(f"/api/review/records/{record.id}", headers=auth.headers("sup1"))
    shown = detail.get_json()["device"]
    assert (shown["label"], shown["brand"], shown["browser"]) == ("张医生的手机", "redmi", "uc")
