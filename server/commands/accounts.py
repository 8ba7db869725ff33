"""`create-admin` (the first administrator) and `staff import` (a county's accounts)."""

from __future__ import annotations

from pathlib import Path

import click

from server.commands.common import (
    acting_user,
    fail_on_problem,
    load_sheet,
    stops_before_writing,
)
from server.core.problems import Problem
from server.domain.accounts.bootstrap import create_admin as make_admin
from server.domain.accounts.staffimport import (
    ALIASES,
    apply_staff_import,
    password_sheet,
    plan_staff_import,
)
from server.extensions import db


@click.command("create-admin")
@click.argument("username")
@click.option("--org-unit", "org_code", required=True, help="Code of the county.")
@click.option("--full-name", default="")
@click.password_option(help="Asked twice when not given.")
def create_admin(username: str, org_code: str, full_name: str, password: str) -> None:
    """Create the first administrator of a county (after `org-units import`)."""
    try:
        user = make_admin(
            db.session,
            username=username,
            org_code=org_code,
            password=password,
            full_name=full_name,
        )
    except Problem as problem:
        db.session.rollback()
        raise fail_on_problem(problem) from None
    db.session.commit()
    click.echo(f"Created administrator {user.username} of {user.org_unit.name}.")


@click.group("staff")
def staff() -> None:
    """Staff accounts (assistants, supervisors)."""


@staff.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--by", "by", required=True, help="The administrator importing (scope, audit).")
@click.option("--dry-run", is_flag=True, help="Only check the file.")
@click.option(
    "--sheet",
    type=click.Path(dir_okay=False, writable=True),
    help="Also write the temporary passwords to this XLSX, to print and hand out.",
)
def import_staff(file: str, by: str, dry_run: bool, sheet: str | None) -> None:
    """Create accounts from FILE (username, name, role, org_unit_code, phone).

    Each gets a temporary password, printed once here, to change at first sign-in.
    """
    actor = acting_user(by)
    plan = plan_staff_import(db.session, actor, load_sheet(file, ALIASES))
    report = plan.report()
    click.echo(f"{len(plan.rows)} accounts to create, {len(plan.issues)} problems.")
    if stops_before_writing(report["errors"], file, dry_run):
        return
    try:
        created = apply_staff_import(db.session, actor, plan, source=Path(file).name)
    except Problem as problem:
        db.session.rollback()
        raise fail_on_problem(problem) from None
    db.session.commit()
    click.echo("username\tname\trole\tunit\ttemporary password (shown once)")
    for c in created:
        click.echo(
            f"{c['username']}\t{c['full_name']}\t{c['role']}\t{c['org_unit_name']}\t"
            f"{c['temporary_password']}"
        )
    if sheet:
        Path(sheet).write_bytes(password_sheet(created))
        click.echo(f"Passwords also written to {sheet}; hand it out, then delete it.")
