"""What the import commands share: reading the file, printing the problems, the actor."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import click
from sqlalchemy import select

from server.core.problems import Problem
from server.core.sheets import Sheet, read_sheet
from server.domain.accounts.model import User
from server.extensions import db


def load_sheet(path: str, aliases: dict[str, str]) -> Sheet:
    """The file as a sheet, or the command fails saying why it could not be read."""
    try:
        return read_sheet(Path(path).read_bytes(), Path(path).name, aliases)
    except Problem as problem:
        raise click.ClickException(problem.message) from None


# The field app's wording of every problem code (strict JSON after `export default`).
# The dictionaries pwa/js/i18n/problems.js gathers (strict JSON after `export default`).
PROBLEM_WORDING = [
    Path(__file__).resolve().parents[2] / "pwa" / "js" / "i18n" / f"problems.{part}.js"
    for part in ("access", "records", "security")
]


@functools.cache
def chinese_wording() -> dict[str, str]:
    """Each problem code's zh-CN wording, as the workspace shows it (none when not installed)."""
    table: dict[str, dict[str, str]] = {}
    for path in PROBLEM_WORDING:
        try:
            source = path.read_text(encoding="utf-8")
            table |= json.loads(source.split("\nexport default ", 1)[1].strip().removesuffix(";"))
        except (OSError, IndexError, ValueError):
            return {}
    return {code: words.get("zh", "") for code, words in table.items()}


def issue_text(issue: dict) -> str:
    """The English message, and the Chinese wording filled with the issue's parameters."""
    zh = chinese_wording().get(issue["code"], "")
    params = issue.get("params") or {}
    zh = re.sub(r"\{(\w+)\}", lambda m: str(params.get(m.group(1), m.group(0))), zh)
    return f"{issue['message']} / {zh}" if zh else issue["message"]


def echo_issues(issues: list[dict]) -> None:
    """Each bad row as `line N, column C: [code] message / 中文`, on stderr."""
    for issue in issues:
        click.echo(
            f"  line {issue['line']}, column {issue['column']}: "
            f"[{issue['code']}] {issue_text(issue)}",
            err=True,
        )


def stops_before_writing(errors: list[dict], file: str, dry_run: bool) -> bool:
    """A file with bad rows is refused whole (its problems printed); a dry run stops after the
    report. Either way nothing of the plan is kept."""
    if errors:
        echo_issues(errors)
        db.session.rollback()
        raise click.ClickException(f"{len(errors)} problems in {file}; nothing changed.")
    if dry_run:
        db.session.rollback()
        click.echo("Dry run: nothing changed.")
    return dry_run


def fail_on_problem(problem: Problem) -> click.ClickException:
    rows = problem.errors.get("rows") if isinstance(problem.errors, dict) else None
    if rows:
        echo_issues(rows)
    return click.ClickException(f"[{problem.code}] {problem.message}")


def acting_user(username: str) -> User:
    """The administrator a command acts as (scope and audit), by username."""
    user = db.session.scalars(select(User).where(User.username == username)).first()
    if user is None or not user.active:
        raise click.ClickException(f"No active account {username!r}.")
    return user
