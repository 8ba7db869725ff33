"""Command-line tools: `flask --app wsgi <command>`."""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import select

from server.extensions import db
from server.models import ROLE_LEVEL, ROLES, OrgUnit, User
from server.services.passwords import hash_password, password_problem


def register(app: Flask) -> None:
    app.cli.add_command(create_user)


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
