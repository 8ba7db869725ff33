"""`demo --residents N` on an existing demo says it kept it; `demo --reset` rebuilds it."""

from __future__ import annotations

from sqlalchemy import func, select

from server.domain.orgs.tree import add_unit
from server.domain.registry.model import Resident
from server.extensions import db
from tests.server.test_demo import demo_app, run_demo  # noqa: F401  (the fixture)


def residents(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Resident))


def test_a_second_demo_with_another_size_says_the_size_was_not_applied(demo_app):  # noqa: F811
    run_demo(demo_app)
    with demo_app.app_context():
        output = demo_app.test_cli_runner().invoke(args=["demo", "--residents", "300"]).output
    assert "nothing changed" in output
    assert "--residents 300 only shapes a new demo" in output and "demo --reset" in output


def test_reset_with_yes_rebuilds_the_demo_at_the_new_size(demo_app):  # noqa: F811
    run_demo(demo_app)
    small = residents(demo_app)
    output = run_demo(demo_app, "--residents", "300", "--reset", "--yes")
    assert "Demo database dropped." in output and "Demo county built" in output
    assert residents(demo_app) > small


def test_reset_asks_first_and_a_no_keeps_everything(demo_app):  # noqa: F811
    run_demo(demo_app)
    before = residents(demo_app)
    with demo_app.app_context():
        result = demo_app.test_cli_runner().invoke(args=["demo", "--reset"], input="n\n")
    assert result.exit_code != 0 and "Aborted" in result.output
    assert residents(demo_app) == before


def test_reset_refuses_a_database_holding_a_real_county(demo_app):  # noqa: F811
    run_demo(demo_app)
    with demo_app.app_context():
        add_unit(db.session, None, "county", "350583000000", "南安市", 1)
        db.session.commit()
        result = demo_app.test_cli_runner().invoke(args=["demo", "--reset", "--yes"])
    assert result.exit_code != 0 and "not the demo county's" in result.output
    assert residents(demo_app) > 0
