"""`flask --app wsgi org-units import FILE`: the county's tree from its spreadsheet;
`org-units settings CODE`: a unit's settings (which immunisation schedule it follows)."""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy import select

from server.commands.common import fail_on_problem, issue_text, load_sheet, stops_before_writing
from server.core.org import OrgUnit
from server.core.problems import Problem
from server.domain.orgs import settings as unit_settings
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


# The settings' names as the workspace shows them (strings.admin.*: orgtree.setting.*).
SETTING_ZH = {"nip_version": "免疫程序版本"}


@org_units.command("settings")
@click.argument("code")
@click.option("--nip-version", help="The immunisation schedule edition, e.g. nip_2021.")
@click.option(
    "--inherit",
    "inherit",
    multiple=True,
    type=click.Choice(sorted(unit_settings.SETTINGS)),
    help="Clear the unit's own value: it follows its township or county again.",
)
def unit_settings_command(code: str, nip_version: str | None, inherit: tuple[str, ...]) -> None:
    """Show, or set at county setup, the settings of the unit with CODE (audited).

    Without options only prints the settings in effect and where each comes from.
    """
    unit = db.session.scalars(select(OrgUnit).where(OrgUnit.code == code)).first()
    if unit is None:
        raise click.ClickException(f"No unit has the code {code}. / 没有编码为 {code} 的单位。")
    changes = {key: None for key in inherit}
    if nip_version is not None:
        changes["nip_version"] = nip_version
    if changes:
        try:
            unit_settings.change_settings(db.session, None, unit, changes)
        except Problem as problem:
            db.session.rollback()
            issue = {"code": problem.code, "message": problem.message, "params": problem.params}
            raise click.ClickException(f"[{problem.code}] {issue_text(issue)}") from None
        db.session.commit()
    names = {u.id: u.name for u in unit_settings.ancestry(db.session, unit)}
    click.echo(f"{unit.code} {unit.name}")
    for key, effect in unit_settings.in_effect(db.session, unit).items():
        if effect.source_id == unit.id:
            source = "本单位设置 / set here"
        elif effect.source_id is None:
            source = "默认 / default"
        else:
            source = f"继承自{names[effect.source_id]} / inherited"
        click.echo(f"  {SETTING_ZH.get(key, key)} ({key}): {effect.value}  [{source}]")
