"""`flask --app wsgi org-units import FILE`: the county's tree from its spreadsheet."""

from __future__ import annotations

from pathlib import Path

import click

from server.commands.common import fail_on_problem, load_sheet, stops_before_writing
from server.core.problems import Problem
from server.domain.orgs.importing import apply_org_import, plan_org_import
from server.domain.orgs.rows import ALIASES
from server.extensions import db


@click.group("org-units")
def org_units() -> None:
    """The org-unit tree (county, townships, villages)."""


@org_units.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Only print what would change.")
@click.option("--allow-moves", is_flag=True, help="Confirm every move to another parent.")
def import_org_units(file: str, dry_run: bool, allow_moves: bool) -> None:
    """Add and update units from FILE (CSV or XLSX: code, name, parent_code, population).

    Units missing from the file are kept; nothing is written when any row has a problem.
    """
    sheet = load_sheet(file, ALIASES)
    plan = plan_org_import(db.session, sheet, allow_moves=allow_moves)
    report = plan.report()
    summary = report["summary"]
    click.echo(
        "{added} to add, {renamed} renamed, {population_changed} with new populations, "
        "{moved} moved, {unchanged} unchanged, {not_in_file} not in the file (kept), "
        "{errors} problems.".format(**summary)
    )
    for outcome in report["added"]:
        click.echo(f"  + {outcome['code']} {outcome['name']} ({outcome['level']})")
    for key in ("renamed", "population_changed", "moved"):
        for outcome in report[key]:
            click.echo(f"  ~ {outcome['code']} {outcome['name']}: {outcome['changes']}")
    if stops_before_writing(report["errors"], file, dry_run):
        return
    try:
        apply_org_import(db.session, plan, actor_id=None, source=Path(file).name)
    except Problem as problem:
        db.session.rollback()
        raise fail_on_problem(problem) from None
    db.session.commit()
    click.echo("Imported.")
