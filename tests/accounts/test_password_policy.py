"""The password policy: at least 8 characters, not the username, not a common password.

The same rules wherever a password is chosen: one's own change, a staff member creating an
account or resetting (or revoking and resetting) someone's password, and the command line.
"""

from __future__ import annotations

import pytest

from server.demo import DEMO_PASSWORD
from server.domain.accounts.passwords import (
    COMMON_PASSWORDS_FILE,
    MIN_LENGTH,
    common_passwords,
    password_problem,
)
from tests.conftest import bearer
from tests.factories import PASSWORD


@pytest.mark.parametrize(
    ("password", "username", "code"),
    [
        ("", "asst1", "password_too_short"),
        ("abc1234", "asst1", "password_too_short"),
        ("123456", "asst1", "password_too_short"),
        ("88888888", "asst1", "password_too_common"),
        ("woaini1314", "asst1", "password_too_common"),
        ("WoAiNi1314", "asst1", "password_too_common"),
        ("qwerty123", "asst1", "password_too_common"),
        ("a12345678", "asst1", "password_too_common"),
        ("password", "asst1", "password_too_common"),
        ("1qaz2wsx", "asst1", "password_too_common"),
        ("123456789", "asst1", "password_too_common"),
        (" 5201314520 ", "asst1", "password_too_common"),
        ("zhangwei88", "zhangwei88", "password_is_username"),
        ("ZhangWei88", "zhangwei88", "password_is_username"),
        ("zhangwei88", "", None),
        ("zhangwei88x", "zhangwei88", None),
        ("temp-pass-77", "asst1", None),
        ("山里的风很大很冷", "asst1", None),
        ("山里的风很大", "asst1", "password_too_short"),
        ("我的密码不告诉你", "asst1", None),
    ],
)
def test_the_policy(password, username, code):
    problem = password_problem(password, username)
    assert (problem.code if problem else None) == code


def test_a_short_password_is_told_the_minimum():
    problem = password_problem("short", "asst1")
    assert problem.status == 422
    assert str(MIN_LENGTH) in problem.message


def test_the_shipped_list_has_a_few_hundred_lower_case_entries():
    listed = common_passwords()
    assert 300 <= len(listed) <= 5000
    assert all(word == word.lower().strip() and word for word in listed)
    assert {"123456", "88888888", "woaini1314", "qwerty123", "a123456"} <= listed
    assert COMMON_PASSWORDS_FILE.name == "common_passwords.txt"


@pytest.mark.parametrize("password", [PASSWORD, DEMO_PASSWORD])
def test_the_passwords_the_project_hands_out_meet_the_policy(password):
    assert password_problem(password, "assistant1") is None


def change(client, headers, new: str, current: str = PASSWORD):
    body = {"current_password": current, "new_password": new}
    return client.post("/api/me/password", json=body, headers=headers)


@pytest.mark.parametrize(
    ("new", "code"),
    [
        ("88888888", "password_too_common"),
        ("woaini1314", "password_too_common"),
        ("ASST1", "password_too_short"),
        ("short", "password_too_short"),
    ],
)
def test_changing_ones_own_password_applies_the_policy(client, auth, world, new, code):
    response = change(client, auth.headers("asst1"), new)
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == code
    assert list(body["errors"]) == ["new_password"]


def test_ones_own_username_is_refused_as_the_new_password(client, auth, world, app):
    from server.domain.accounts.model import User
    from server.extensions import db

    user = db.session.get(User, world.users["asst1"].id)
    user.username = "lihua2024"
    db.session.commit()
    headers = auth.headers("lihua2024")
    assert change(client, headers, "LiHua2024").get_json()["code"] == "password_is_username"
    assert change(client, headers, "lihua-2024-spring").status_code == 200


def test_a_refused_password_leaves_the_old_one_working(client, auth, world):
    change(client, auth.headers("asst1"), "qwerty123")
    assert auth.login("asst1").status_code == 200


@pytest.fixture
def create(client, auth, world):
    village = world.units["V1a"].id

    def create(password: str, username: str = "asst9"):
        payload = {
            "username": username,
            "full_name": "赵六",
            "role": "assistant",
            "org_unit_id": village,
            "password": password,
        }
        return client.post("/api/users", json=payload, headers=auth.headers("sup1"))

    return create


@pytest.mark.parametrize(
    ("password", "username", "code"),
    [
        ("88888888", "asst9", "password_too_common"),
        ("wangfang01", "wangfang01", "password_is_username"),
        ("1234567", "asst9", "password_too_short"),
    ],
)
def test_creating_an_account_applies_the_policy(create, password, username, code):
    response = create(password, username)
    assert response.status_code == 422
    assert response.get_json()["code"] == code
    assert list(response.get_json()["errors"]) == ["password"]


def test_an_account_created_with_a_good_password_signs_in(create, auth):
    assert create("temp-pass-2468").status_code == 201
    assert auth.login("asst9", "temp-pass-2468").status_code == 200


@pytest.mark.parametrize(
    ("password", "code"), [("a123456789", "password_too_common"), ("asst2", "password_too_short")]
)
def test_resetting_a_password_applies_the_policy(client, auth, world, password, code):
    target = world.users["asst2"].id
    response = client.post(
        f"/api/users/{target}/password", json={"password": password}, headers=auth.headers("sup1")
    )
    assert response.status_code == 422
    assert response.get_json()["code"] == code
    assert auth.login("asst2").status_code == 200


def test_revoking_and_resetting_applies_the_policy(client, auth, world):
    phone = auth.tokens("asst1", device_id="phone-of-asst1")
    target = world.users["asst1"].id
    headers = auth.headers("sup1")
    device = client.get(f"/api/users/{target}/devices", headers=headers).get_json()[0]
    response = client.post(
        f"/api/users/{target}/devices/{device['id']}/revoke",
        json={"choice": "revoke_and_reset", "password": "11111111"},
        headers=headers,
    )
    assert response.status_code == 422
    assert response.get_json()["code"] == "password_too_common"
    assert client.get("/api/me", headers=bearer(phone["access_token"])).status_code == 200


def test_the_command_line_applies_the_policy(runner, world):
    from server.cli import create_user

    result = runner.invoke(
        create_user,
        ["asst77", "--role", "assistant", "--org-unit", "V1a", "--password", "woaini1314"],
    )
    assert result.exit_code != 0
    assert "common" in result.output
