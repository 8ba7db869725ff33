"""Who owns the form catalogue: every county on the server receives it, so one county's admin
may not publish for the others."""

from __future__ import annotations

import pytest

from server.domain.orgs.tree import add_unit
from server.extensions import db
from tests.catalogue.test_forms_api import new_version
from tests.factories import make_user

pytestmark = pytest.mark.usefixtures("catalogue", "world")


@pytest.fixture
def second_county(world):
    county = add_unit(db.session, None, "county", "C2", "邻县", 1000)
    make_user(db.session, "admin2", "admin", county)
    db.session.commit()
    return county


def test_the_admin_of_a_single_county_server_publishes(client, auth):
    response = client.post("/api/forms", json=new_version(), headers=auth.headers("admin"))

    assert response.status_code == 201


@pytest.mark.parametrize("admin", ["admin", "admin2"])
def test_no_county_admin_publishes_on_a_server_of_several_counties(
    client, auth, second_county, admin
):
    response = client.post("/api/forms", json=new_version(), headers=auth.headers(admin))

    assert response.status_code == 403
    assert response.get_json()["code"] == "catalogue_not_owned"


def test_phones_of_every_county_still_read_the_catalogue(client, auth, second_county):
    make_user(db.session, "asst_c2", "assistant", add_unit_chain(second_county))
    db.session.commit()

    response = client.get("/api/forms", headers=auth.headers("asst_c2"))

    assert response.status_code == 200
    assert response.get_json()["forms"]


def add_unit_chain(county):
    township = add_unit(db.session, county, "township", "C2T", "邻镇", 100)
    return add_unit(db.session, township, "village", "C2V", "邻村", 10)
