"""The monthly overview, computed by plain functions over the caller's scope."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from server.core.db import utcnow
from server.domain.accounts.model import Device
from server.domain.indicators import overview
from server.extensions import db
from tests.factories import make_record, make_resident

NOVEMBER = date(2026, 11, 1)


@pytest.fixture
def month_records(world):
    units, users = world.units, world.users
    r1 = make_resident(db.session, units["V1a"])
    r2 = make_resident(db.session, units["V1b"])
    r3 = make_resident(db.session, units["V2a"])
    make_record(db.session, r1, users["asst1"], visit_date=date(2026, 11, 1))
    make_record(db.session, r1, users["asst1"], visit_date=date(2026, 11, 30))
    make_record(db.session, r1, users["asst1"], form_code="diabetes_followup")
    make_record(db.session, r1, users["asst1"], visit_date=date(2026, 10, 31))
    make_record(db.session, r1, users["asst1"], deleted=True)
    make_record(db.session, r2, users["asst2"], visit_date=date(2026, 12, 1))
    make_record(db.session, r3, users["asst3"])
    db.session.commit()


def test_services_count_the_month_by_form_and_village(world, month_records):
    services = overview.services_by_form_and_village(db.session, world.users["sup1"], NOVEMBER)
    assert {f["form_code"]: f["count"] for f in services["by_form"]} == {
        "hypertension_followup": 2,
        "diabetes_followup": 1,
    }
    by_village = {v["name"]: v["count"] for v in services["by_village"]}
    assert by_village == {"上村": 3, "下村": 0}
    assert services["total"] == 3


def test_admin_sees_every_village_of_the_county(world, month_records):
    services = overview.services_by_form_and_village(db.session, world.users["admin"], NOVEMBER)
    assert services["total"] == 4
    assert len(services["by_village"]) == 3


def test_records_per_assistant_include_those_with_none(world, month_records):
    rows = overview.records_per_assistant(db.session, world.users["sup1"], NOVEMBER)
    assert [(r["username"], r["count"]) for r in rows] == [("asst1", 3), ("asst2", 0)]


def test_records_per_assistant_say_when_each_last_synced_from_a_live_device(world):
    now = utcnow()
    users = world.users
    db.session.add_all(
        [
            Device(user_id=users["asst1"].id, client_id="a1", last_sync_at=now - timedelta(days=2)),
            Device(
                user_id=users["asst1"].id, client_id="a2", last_sync_at=now - timedelta(hours=1)
            ),
            Device(
                user_id=users["asst2"].id,
                client_id="b1",
                last_sync_at=now,
                revoked_at=now,
            ),
        ]
    )
    db.session.commit()
    rows = overview.records_per_assistant(db.session, users["sup1"], NOVEMBER)
    last = {r["username"]: r["last_sync_at"] for r in rows}
    assert last["asst1"] == now - timedelta(hours=1)
    assert last["asst2"] is None


def test_a_phone_that_only_pulls_is_not_silent(client, auth, world):
    headers = auth.headers("asst1", device_id="quiet-phone")
    assert client.get("/api/sync/pull", headers=headers).status_code == 200
    silent = overview.silent_assistants(db.session, world.users["sup1"])
    assert "asst1" not in [s["username"] for s in silent]


def test_backlog_counts_pending_records_and_their_age(world):
    resident = make_resident(db.session, world.units["V1a"])
    now = utcnow()
    for days, status in [(1, "pending"), (3, "pending"), (10, "pending"), (20, "approved")]:
        make_record(
            db.session,
            resident,
            world.users["asst1"],
            review_status=status,
            updated_at=now - timedelta(days=days),
        )
    db.session.commit()
    backlog = overview.review_backlog(db.session, world.users["sup1"], now=now)
    assert backlog == {"count": 3, "oldest_days": 10.0, "median_days": 3.0}


def test_backlog_median_of_an_even_count_is_the_mean_of_the_middle_two(world):
    resident = make_resident(db.session, world.units["V1a"])
    now = utcnow()
    for days in (1, 2, 4, 10):
        make_record(
            db.session, resident, world.users["asst1"], updated_at=now - timedelta(days=days)
        )
    db.session.commit()
    backlog = overview.review_backlog(db.session, world.users["sup1"], now=now)
    assert backlog == {"count": 4, "oldest_days": 10.0, "median_days": 3.0}


def test_empty_backlog_has_no_age(world):
    backlog = overview.review_backlog(db.session, world.users["sup1"])
    assert backlog == {"count": 0, "oldest_days": None, "median_days": None}


def test_silent_assistants_have_not_synced_for_three_days(world):
    now = utcnow()
    users = world.users
    db.session.add_all(
        [
            Device(user_id=users["asst1"].id, client_id="a", last_sync_at=now - timedelta(days=1)),
            Device(user_id=users["asst2"].id, client_id="b", last_sync_at=now - timedelta(days=4)),
        ]
    )
    db.session.commit()
    silent = overview.silent_assistants(db.session, users["sup1"], now=now)
    assert [(s["username"], s["days_silent"]) for s in silent] == [("asst2", 4.0)]


def test_an_assistant_who_never_synced_is_silent(world):
    silent = overview.silent_assistants(db.session, world.users["sup2"])
    assert [(s["username"], s["last_sync_at"]) for s in silent] == [("asst3", None)]


def test_overview_endpoint_answers_for_a_month(client, auth, world, month_records):
    response = client.get("/api/overview?month=2026-11", headers=auth.headers("sup1"))
    assert response.status_code == 200
    body = response.get_json()
    assert body["month"] == "2026-11"
    assert body["services"]["total"] == 3
    assert body["backlog"]["count"] == 5  # the backlog is of today, not of the month


@pytest.mark.parametrize("month", ["2026-13", "11-2026", "2026/11", "x"])
def test_overview_refuses_a_malformed_month(client, auth, world, month):
    response = client.get(f"/api/overview?month={month}", headers=auth.headers("sup1"))
    assert response.status_code == 422
    assert "month" in response.get_json()["errors"]


def test_overview_is_refused_to_assistants(client, auth, world):
    assert client.get("/api/overview", headers=auth.headers("asst1")).status_code == 403


@pytest.mark.parametrize(
    ("viewer", "code"),
    [("sup1", "tuberculosis_followup"), ("admin", "followup")],
    ids=["the township's supervisor", "the county's admin"],
)
def test_tb_follow_ups_count_as_the_viewer_sees_the_records(world, month_records, viewer, code):
    tb = make_resident(db.session, world.units["V1a"], tags=["tuberculosis"])
    make_record(db.session, tb, world.users["asst1"], form_code="tuberculosis_followup")
    db.session.commit()
    services = overview.services_by_form_and_village(db.session, world.users[viewer], NOVEMBER)
    forms = {f["form_code"]: f["title"] for f in services["by_form"]}
    cells = {(c["form_code"], c["village_id"]) for c in services["cells"]}
    assert code in forms and (code, world.units["V1a"].id) in cells
    (other,) = {"tuberculosis_followup", "followup"} - {code}
    assert other not in forms
    assert (forms[code] == "随访") == (code == "followup")
