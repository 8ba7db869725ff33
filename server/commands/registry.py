"""`flask --app wsgi residents import FILE`: a county's existing registers."""

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
from server.domain.registry.importing import (
    ALIASES,
    apply_register_import,
    plan_register_import,
)
from server.extensions import db


@click.group("residents")
def residents() -> None:
    """Residents and households."""


@residents.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--by", "by", required=True, help="The account importing (scope, audit).")
@click.option("--dry-run", is_flag=True, help="Only report what would be created.")
@click.option(
    "--keep-duplicates", is_flag=True, help="Create suspected duplicates too (default: skip)."
)
def import_residents(file: str, by: str, dry_run: bool, keep_duplicates: bool) -> None:
    """Create households and residents from FILE, one resident per row (village_code,
    household_no, address, name, sex, birth_date; id_number, phone, tags, head optional)."""
    actor = acting_user(by)
    sheet = load_sheet(file, ALIASES)
    plan = plan_register_import(db.session, actor, sheet, keep_duplicates=keep_duplicates)
    report = plan.report()
    summary = report["summary"]
    click.echo(
        "Would create {households} households and {residents} residents; "
        "{suspected_duplicates} suspected duplicates ({skipped} skipped); "
        "{errors} problems.".format(**summary)
    )
    for dup in report["duplicates"]:
        where = ", ".join(
            f"line {m['line']}" if "line" in m else f"{m['village']} ({m['reason']})"
            for m in dup["matches"]
        )
        click.echo(f"  line {dup['line']}: {dup['name']} may already be registered: {where}")
    if stops_before_writing(report["errors"], file, dry_run):
        return
    try:
        apply_register_import(db.session, actor, plan, source=Path(file).name)
    except Problem as problem:
        db.session.rollback()
        raise fail_on_problem(problem) from None
    db.session.commit()
    click.echo("Imported.")
