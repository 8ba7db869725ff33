"""Command-line tools: `flask --app wsgi <command>`."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from server.core.org import OrgUnit
from server.core.problems import Problem
from server.domain.accounts.model import ROLES
from server.domain.records.model import FormDefinition
from server.extensions import db


def register(app: Flask) -> None:
    from server.commands.accounts import create_admin, staff
    from server.commands.episodes import episodes
    from server.commands.orgs import org_units
    from server.commands.registry import residents

    app.cli.add_command(create_admin)
    app.cli.add_command(episodes)
    app.cli.add_command(org_units)
    app.cli.add_command(residents)
    app.cli.add_command(staff)
    app.cli.add_command(create_user)
    app.cli.add_command(demo)
    app.cli.add_command(load_forms)
    from server.backup import backup

    app.cli.add_command(backup)
    app.cli.add_command(duplicates)


@click.group("duplicates", cls=AppGroup)
def duplicates() -> None:
    """Suspected duplicate residents (the supervisors' work-list)."""


@duplicates.command("scan")
def scan_duplicates() -> None:
    """Pair residents that may be one person (safe to run any number of times, e.g. nightly)."""
    from server.domain.registry.suspects import scan

    found = scan(db.session)
    db.session.commit()
    click.echo(f"{found} new suspected duplicate pairs.")


@click.command("load-forms")
def load_forms() -> None:
    """Store the versions in server/forms/<code>/v<N>.json not yet stored (after db upgrade)."""
    stored = _load_forms()
    db.session.commit()
    click.echo(f"{len(stored)} new form definitions stored.")


def _load_forms() -> list[FormDefinition]:
    """The loader's refusal (an edited published version, a misnamed file) as a failed command."""
    from server.domain.records.catalogue import CatalogueError, load_definitions

    try:
        return load_definitions(db.session)
    except CatalogueError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None


DEMO_LOGINS = (
    "admin (county), supervisor1-supervisor3 (townships), assistant1-assistant12 (villages: "
    "assistant1-4 in supervisor1's township, 5-8 in supervisor2's, 9-12 in supervisor3's)"
)


@click.command("demo")
@click.option("--residents", default=2000, show_default=True, help="How many residents to make.")
@click.option("--seed", default=2026, show_default=True, help="Random seed (same seed, same data).")
@click.option("--serve", is_flag=True, help="Start the server once the demo data is in place.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option("--reset", is_flag=True, help="Drop the demo database's tables and build it anew.")
@click.option("--yes", is_flag=True, help="Do not ask before --reset drops the data.")
@click.pass_context
def demo(
    ctx: click.Context,
    residents: int,
    seed: int,
    serve: bool,
    host: str,
    port: int,
    reset: bool,
    yes: bool,
) -> None:
    """Bring the database up to date and fill it with the demo county (idempotent)."""
    from flask import current_app
    from flask_migrate import upgrade

    from server.commands.episodes import recompute_all
    from server.demo import DEMO_PASSWORD, build_demo
    from server.domain.records.catalogue import current_definitions
    from server.domain.records.formdata import validate_form_data

    if reset:
        _reset_demo(yes)
    upgrade(directory=current_app.extensions["migrate"].directory)
    _load_forms()
    summary = build_demo(
        db.session,
        current_definitions(db.session),
        validate_form_data,
        residents=residents,
        seed=seed,
    )
    db.session.commit()
    if summary.created:
        click.echo(
            f"Demo county built: {summary.villages} villages, {summary.users} accounts, "
            f"{summary.residents} residents, {summary.records} service records."
        )
    else:
        click.echo("Demo county already present; nothing changed.")
        if ctx.get_parameter_source("residents") != click.core.ParameterSource.DEFAULT:
            click.echo(
                f"--residents {residents} only shapes a new demo; the existing one was kept. "
                "Run `flask --app wsgi demo --reset` to rebuild it (this drops its data)."
            )
    # The records' effects, as the push would have made them (an older demo gets them now).
    click.echo(recompute_all())
    click.echo(f"Logins: {DEMO_LOGINS}; password {DEMO_PASSWORD}")
    url = f"http://{host}:{port}/"
    if serve:
        click.echo(f"Serving at {url} (Ctrl+C stops)")
        from werkzeug.serving import run_simple

        from server.headers import QuietRequestHandler

        run_simple(
            host,
            port,
            current_app._get_current_object(),
            threaded=True,
            request_handler=QuietRequestHandler,
        )
    else:
        click.echo(f"Start the server with: flask --app wsgi run  (then open {url})")


def _reset_demo(yes: bool) -> None:
    """Drop every table (and Alembic's version) of a database that holds only the demo county.

    A database with any other org unit is a real county's: refused, whatever `--yes` says.
    """
    from sqlalchemy import inspect, text

    from server.core.db import Base
    from server.demo.county import COUNTY_CODE

    if "org_unit" in inspect(db.engine).get_table_names():
        county = db.session.scalars(select(OrgUnit).where(OrgUnit.code == COUNTY_CODE)).first()
        others = select(OrgUnit.id)
        if county is not None:
            others = others.where(~OrgUnit.path.startswith(county.path))
        if db.session.scalars(others.limit(1)).first() is not None:
            db.session.rollback()
            raise click.ClickException(
                "This database holds org units that are not the demo county's; --reset only "
                "drops a demo database. Point DATABASE_URL at the demo's database."
            )
    db.session.rollback()
    if not yes:
        click.confirm("Drop every table of this database and build the demo again?", abort=True)
    db.session.remove()
    Base.metadata.drop_all(db.engine)
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    click.echo("Demo database dropped.")


@click.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--org-unit", "org_code", required=True, help="Code of the user's org unit.")
@click.option("--full-name", default="")
@click.password_option()
def create_user(username: str, role: str, org_code: str, full_name: str, password: str) -> None:
    """Create an account; the org unit must match the role (village, township or county)."""
    from server.commands.common import fail_on_problem
    from server.domain.accounts.bootstrap import create_by_command

    try:
        user = create_by_command(
            db.session,
            username=username,
            role=role,
            org_code=org_code,
            password=password,
            full_name=full_name,
        )
    except Problem as problem:
        db.session.rollback()
        raise fail_on_problem(problem) from None
    db.session.commit()
    click.echo(f"Created {role} {username} in {user.org_unit.name}.")
