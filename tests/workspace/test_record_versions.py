"""A record shows under the version it was filled with, after a newer version is current."""

from __future__ import annotations

import pytest

from server.domain.records.catalogue import load_definitions
from server.extensions import db
from tests.catalogue.samples import VALID
from tests.catalogue.samples_maternal_child import LATER
from tests.factories import make_record, make_resident


@pytest.fixture
def forms(app):
    load_definitions(db.session)
    db.session.commit()


def _shown(client, auth, world, version: int, data: dict) -> dict[str, str]:
    resident = make_resident(db.session, world.units["V1a"], sex="F")
    record = make_record(
        db.session,
        resident,
        world.users["asst1"],
        form_code="postpartum_visit",
        form_version=version,
        data=data,
    )
    db.session.commit()
    body = client.get(f"/api/review/records/{record.id}", headers=auth.headers("sup1")).get_json()
    return {f["label"]: f["display"] for f in body["fields"]}


def test_a_version_one_postpartum_visit_shows_its_own_options(client, auth, world, forms):
    shown = _shown(client, auth, world, 1, VALID["postpartum_visit"])
    assert shown["访视次数"] == "第1次"
    assert "出院日期" not in shown


def test_a_version_two_postpartum_visit_shows_the_discharge_and_the_number(
    client, auth, world, forms
):
    shown = _shown(client, auth, world, 2, LATER[("postpartum_visit", 2)])
    assert shown["访视次数"] == "1"
    assert shown["出院日期"] == "2026-02-27"
