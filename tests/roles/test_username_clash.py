"""Creating an account whose username is taken: the answer confirms accounts in the caller's
area only; anywhere else, or a reserved name, is the same neutral "not available"."""

from __future__ import annotations

import pytest

from server.domain.orgs.tree import add_unit
from server.extensions import db
from tests.factories import make_user


@pytest.fixture
def elsewhere(world):
    """`li.na` in another county, and `wang.fang` in township T2 of this one."""
    county = add_unit(db.session, None, "county", "C2", "邻县", 1000)
    township = add_unit(db.session, county, "township", "C2T", "邻镇", 100)
    village = add_unit(db.session, township, "village", "C2V", "邻村", 10)
    make_user(db.session, "li.na", "assistant", village)
    make_user(db.session, "wang.fang", "assistant", world.units["V2a"])
    db.session.commit()


def _create(client, auth, world, username: str):
    return client.post(
        "/api/users",
        json={
            "username": username,
            "role": "assistant",
            "org_unit_id": world.units["V1a"].id,
            "password": "another-pass-9",
        },
        headers=auth.headers("sup1"),
    )


def _answer(response) -> tuple[int, str, str, list]:
    body = response.get_json()
    return response.status_code, body["code"], body["message"], body["errors"]["username"]


@pytest.mark.parametrize("username", ["li.na", "wang.fang", "admin", "Root"])
def test_a_clash_outside_the_area_or_a_reserved_name_is_only_not_available(
    client, auth, world, elsewhere, username
):
    neutral = _answer(_create(client, auth, world, "system"))

    assert _answer(_create(client, auth, world, username)) == neutral
    assert neutral == (
        409,
        "username_taken",
        "This username is not available; choose another.",
        ["This username is not available; choose another."],
    )


def test_a_clash_inside_the_area_says_so(client, auth, world, elsewhere):
    status, code, message, errors = _answer(_create(client, auth, world, "asst2"))

    assert (status, code, message) == (
        409,
        "username_taken",
        "This username is not available; choose another.",
    )
    assert errors == ["An account in your area already uses this username."]


def test_a_free_name_is_created(client, auth, world, elsewhere):
    assert _create(client, auth, world, "zhao.lei").status_code == 201
