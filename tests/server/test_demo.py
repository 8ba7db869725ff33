"""`flask demo` builds a usable county on an empty database, once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import func, select

from server import create_app
from server.config import normalise_database_url
from server.core.db import Base
from server.core.org import OrgUnit
from server.demo import DEMO_PASSWORD
from server.domain.accounts.model import User
from server.domain.records.catalogue import form_files
from server.domain.records.model import ServiceRecord
from server.domain.registry.model import CONFIRMABLE_TAGS, Resident, ResidentTag
from server.extensions import db


def _demo_app(database_url: str) -> Iterator[Flask]:
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url), "TESTING": True}
    )
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def demo_app(empty_database_url):
    """An app on an empty database, for a test that runs the demo (or another command) itself."""
    yield from _demo_app(empty_database_url)


@pytest.fixture(scope="module")
def built_demo(module_empty_database_url) -> Iterator[tuple[Flask, str]]:
    """One demo, built once, and what it printed: for the tests that only read it."""
    for app in _demo_app(module_empty_database_url):
        yield app, run_demo(app)


def run_demo(app, *args: str) -> str:
    with app.app_context():  # the CLI reuses an active app context; make it this app's
        result = app.test_cli_runner().invoke(args=["demo", "--residents", "150", *args])
    assert result.exit_code == 0, result.output
    return result.output


def row_counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            name: db.session.scalar(select(func.count()).select_from(table))
            for name, table in Base.metadata.tables.items()
        }


def login(app, username: str):
    return app.test_client().post(
        "/api/auth/login",
        json={
            "username": username,
            "password": DEMO_PASSWORD,
            "device_id": "demo-phone",
            "device_label": "demo",
        },
    )


def test_demo_prints_the_address_and_the_logins(built_demo):
    _, output = built_demo
    assert "http://127.0.0.1:5000/" in output
    assert "assistant12" in output and DEMO_PASSWORD in output


def test_demo_builds_the_county_its_people_and_their_records(built_demo):
    demo_app, _ = built_demo
    with demo_app.app_context():
        levels = db.session.execute(
            select(OrgUnit.level, func.count()).group_by(OrgUnit.level)
        ).all()
        assert dict(levels) == {"county": 1, "township": 3, "village": 12}
        assert db.session.scalar(select(func.count()).select_from(User)) == 16
        assert db.session.scalar(select(func.count()).select_from(Resident)) >= 140
        forms = db.session.scalars(select(ServiceRecord.form_code).distinct()).all()
        assert len(forms) >= 5


def test_demo_keeps_some_records_of_the_earlier_version_of_forms_that_have_a_newer_one(
    built_demo,
):
    demo_app, _ = built_demo
    newer = {file.code for file in form_files() if file.version > 1}
    with demo_app.app_context():
        versions = db.session.execute(
            select(ServiceRecord.form_code, ServiceRecord.form_version).distinct()
        ).all()
    old = {code for code, version in versions if code in newer and version == 1}
    assert old, versions


def test_demo_logins_work_with_the_demo_password(built_demo):
    demo_app, _ = built_demo
    for username in ["admin", "supervisor1", "supervisor3", "assistant1", "assistant12"]:
        assert login(demo_app, username).status_code == 200, username


def test_assistant1_and_2_work_under_supervisor1_and_assistant12_elsewhere(built_demo):
    demo_app, _ = built_demo
    with demo_app.app_context():
        users = {u.username: u for u in db.session.scalars(select(User))}
        township = users["supervisor1"].org_unit_id
        assert users["assistant1"].org_unit.parent_id == township
        assert users["assistant2"].org_unit.parent_id == township
        assert users["assistant12"].org_unit.parent_id != township


def test_running_the_demo_twice_changes_nothing(demo_app):
    run_demo(demo_app)
    before = row_counts(demo_app)
    output = run_demo(demo_app)
    assert "nothing changed" in output
    assert row_counts(demo_app) == before


def test_an_assistant_pulls_the_demo_people_of_their_village_only(built_demo):
    demo_app, _ = built_demo
    token = login(demo_app, "assistant1").get_json()["access_token"]
    client, changes, cursor = demo_app.test_client(), [], ""
    while True:
        page = client.get(
            f"/api/sync/pull?since={cursor}", headers={"Authorization": f"Bearer {token}"}
        ).get_json()
        changes += page["changes"]
        cursor = page["cursor"]
        if not page["has_more"]:
            break
    residents = [c for c in changes if c["entity"] == "resident"]
    with demo_app.app_context():
        village = db.session.scalar(select(User.org_unit_id).where(User.username == "assistant1"))
    assert residents
    assert {c["data"]["village_id"] for c in residents} == {village}


def test_load_forms_stores_new_definitions_once(demo_app):
    with demo_app.app_context():
        runner = demo_app.test_cli_runner()
        assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
        first = runner.invoke(args=["load-forms"])
        second = runner.invoke(args=["load-forms"])
    assert first.output.strip() == f"{len(form_files())} new form definitions stored."
    assert second.output.strip() == "0 new form definitions stored."


def test_demo_serve_starts_the_server_on_the_printed_address(demo_app, monkeypatch):
    import werkzeug.serving

    started, started_kw = {}, {}

    def run_simple(host, port, app, **kw):
        started.update(host=host, port=port, app=app)
        started_kw.update(kw)

    monkeypatch.setattr(werkzeug.serving, "run_simple", run_simple)
    output = run_demo(demo_app, "--serve", "--port", "5099")
    assert "http://127.0.0.1:5099/" in output
    assert started == {"host": "127.0.0.1", "port": 5099, "app": demo_app}
    assert started_kw["request_handler"].__name__ == "QuietRequestHandler"


def test_demo_women_with_an_early_pregnancy_record_have_the_pregnant_span_from_it(built_demo):
    """The demo's records never went through a push: the demo recomputes their effects, so
    the server holds what the phone's fold shows."""
    demo_app, output = built_demo
    assert "form tag spans:" in output
    with demo_app.app_context():
        booked = set(
            db.session.scalars(
                select(ServiceRecord.resident_id).where(
                    ServiceRecord.form_code == "early_pregnancy"
                )
            )
        )
        pregnant = set(
            db.session.scalars(
                select(ResidentTag.resident_id).where(
                    ResidentTag.tag == "pregnant", ResidentTag.origin == "form"
                )
            )
        )
    assert booked and pregnant == booked


def test_most_demo_conditions_are_confirmed_and_some_wait_on_the_supervisors(built_demo):
    demo_app, _ = built_demo
    with demo_app.app_context():
        sources = dict(
            db.session.execute(
                select(ResidentTag.source, func.count())
                .where(ResidentTag.tag.in_(CONFIRMABLE_TAGS))
                .group_by(ResidentTag.source)
            ).all()
        )
        assert sources["confirmed"] > sources["reported"] > 0
