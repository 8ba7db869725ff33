"""Account changes by staff are audited: create, rename, role and unit moves, deactivation,
password resets; each row names the account's unit so the right supervisor reads it."""

from __future__ import annotations

from server.core.audit import audit_entries
from server.extensions import db


def _last(user_id: int):
    db.session.rollback()
    return audit_entries(db.session, "user", user_id)[-1]


def test_renaming_an_account_is_audited_with_before_and_after(client, auth, world):
    target = world.users["asst1"].id
    response = client.patch(
        f"/api/users/{target}", json={"full_name": "张丽"}, headers=auth.headers("sup1")
    )

    assert response.status_code == 200
    entry = _last(target)
    assert entry.action == "update"
    assert (entry.before["full_name"], entry.after["full_name"]) == ("", "张丽")


def test_moving_an_assistant_to_another_village_is_audited_and_ends_its_sessions(
    client, auth, world
):
    target = world.users["asst1"]
    old_session = auth.headers("asst1")
    response = client.patch(
        f"/api/users/{target.id}",
        json={"org_unit_id": world.units["V1b"].id},
        headers=auth.headers("sup1"),
    )

    assert response.get_json()["org_unit"]["id"] == world.units["V1b"].id
    entry = _last(target.id)
    assert (entry.before["org_unit_id"], entry.after["org_unit_id"]) == (
        world.units["V1a"].id,
        world.units["V1b"].id,
    )
    assert entry.unit_id == world.units["V1b"].id
    assert client.get("/api/me", headers=old_session).status_code == 401


def test_an_admin_makes_an_assistant_a_supervisor(client, auth, world):
    target = world.users["asst3"].id
    response = client.patch(
        f"/api/users/{target}",
        json={"role": "supervisor", "org_unit_id": world.units["T2"].id},
        headers=auth.headers("admin"),
    )

    assert response.status_code == 200
    entry = _last(target)
    assert (entry.before["role"], entry.after["role"]) == ("assistant", "supervisor")


def test_a_supervisor_cannot_promote_or_move_out_of_the_area(client, auth, world):
    target = world.users["asst1"].id
    headers = auth.headers("sup1")
    promote = client.patch(
        f"/api/users/{target}",
        json={"role": "supervisor", "org_unit_id": world.units["T1"].id},
        headers=headers,
    )
    away = client.patch(
        f"/api/users/{target}", json={"org_unit_id": world.units["V2a"].id}, headers=headers
    )

    assert promote.get_json()["code"] == "role_not_manageable"
    assert away.get_json()["code"] == "org_unit_not_in_area"
    db.session.rollback()
    assert audit_entries(db.session, "user", target) == []


def test_account_rows_are_read_by_the_supervisor_of_the_accounts_township(client, auth, world):
    target = world.users["asst1"].id
    client.post(f"/api/users/{target}/deactivate", headers=auth.headers("admin"))

    sup1 = client.get("/api/audit", query_string={"entity": "user"}, headers=auth.headers("sup1"))
    sup2 = client.get("/api/audit", query_string={"entity": "user"}, headers=auth.headers("sup2"))

    assert "deactivate" in [i["action"] for i in sup1.get_json()["items"]]
    assert "deactivate" not in [i["action"] for i in sup2.get_json()["items"]]
