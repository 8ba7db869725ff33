"""What the import commands share: reading the file, printing the problems, the actor."""

from __future__ import annotations

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


def echo_issues(issues: list[dict]) -> None:
    """Each bad row as `line N, column C: [code] message`, on stderr."""
    for issue in issues:
        click.echo(
            f"  line {issue['line']}, column {issue['column']}: "
            f"[{issue['code']}] {issue['message']}",
            err=True,
        )


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
