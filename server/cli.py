"""Command-line tools: `flask --app wsgi <command>`."""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import select

from server.core.org import OrgUnit
from server.domain.accounts.model import ROLE_LEVEL, ROLES, User
from server.domain.accounts.passwords import hash_password, password_problem
from server.domain.records.model import FormDefinition
from server.extensions import db


def register(app: Flask) -> None:
    app.cli.add_command(create_user)
    app.cli.add_command(demo)
    app.cli.add_command(load_forms)
    from server.backup import backup

    app.cli.add_command(backup)


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
def demo(residents: int, seed: int, serve: bool, host: str, port: int) -> None:
    """Bring the database up to date and fill it with the demo county (idempotent)."""
    from flask import current_app
    from flask_migrate import upgrade

    from server.demo import DEMO_PASSWORD, build_demo
    from server.domain.records.catalogue import current_definitions
    from server.domain.records.formdata import validate_form_data

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
    click.echo(f"Logins: {DEMO_LOGINS}; password {DEMO_PASSWORD}")
    url = f"http://{host}:{port}/"
    if serve:
        click.echo(f"Serving at {url} (Ctrl+C stops)")
        from werkzeug.serving import run_simple

        run_simple(host, port, current_app._get_current_object(), threaded=True)
    else:
        click.echo(f"Start the server with: flask --app wsgi run  (then open {url})")


@click.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--org-unit", "org_code", required=True, help="Code of the user's org unit.")
@click.option("--full-name", default="")
@click.password_option()
def create_user(username: str, role: str, org_code: str, full_name: str, password: str) -> None:
    """Create an account; the org unit must match the role (village, township or county)."""
    unit = db.session.scalars(select(OrgUnit).where(OrgUnit.code == org_code)).first()
    if unit is None:
        raise click.ClickException(f"No org unit with code {org_code!r}.")
    if unit.level != ROLE_LEVEL[role]:
        raise click.ClickException(f"A {role} belongs to a {ROLE_LEVEL[role]}, not a {unit.level}.")
    if db.session.scalars(select(User).where(User.username == username)).first():
        raise click.ClickException(f"User {username!r} already exists.")
    problem = password_problem(password)
    if problem:
        raise click.ClickException(problem)
    db.session.add(
        User(
            username=username,
            full_name=full_name,
            role=role,
            org_unit=unit,
            password_hash=hash_password(password),
        )
    )
    db.session.commit()
    click.echo(f"Created {role} {username} in {unit.name}.")
