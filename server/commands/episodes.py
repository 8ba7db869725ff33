"""`flask --app wsgi episodes recompute`: episodes and form tag spans from the stored records."""

from __future__ import annotations

from collections import Counter

import click
from sqlalchemy import select

from server.commands.common import issue_text
from server.core.org import OrgUnit
from server.core.problems import ORG_UNIT_CODE_UNKNOWN, Problem
from server.domain.episodes.recompute import DEFAULT_BATCH, recompute_batches
from server.extensions import db

ACTIONS = (("create", "created"), ("update", "updated"), ("delete", "removed"))


@click.group("episodes")
def episodes() -> None:
    """Episodes and form tag spans derived from forms' effects."""


def recompute_all(unit: OrgUnit | None = None, batch_size: int = DEFAULT_BATCH) -> str:
    """Run the recompute, committing each batch; the summary line it prints."""
    residents, writes = 0, Counter[tuple[str, str]]()
    for count, batch in recompute_batches(db.session, unit, batch_size=batch_size):
        db.session.commit()
        residents += count
        writes += batch
    db.session.commit()
    parts = [
        f"{label}: " + ", ".join(f"{writes[entity, action]} {word}" for action, word in ACTIONS)
        for entity, label in (("episode", "episodes"), ("resident_tag", "form tag spans"))
    ]
    return (
        f"Recomputed {residents} residents with records of forms with effects; "
        + "; ".join(parts)
        + "."
    )


@episodes.command("recompute")
@click.option("--unit", "unit_code", help="Only residents of this village (or township) code.")
@click.option(
    "--batch-size",
    default=DEFAULT_BATCH,
    show_default=True,
    type=click.IntRange(1, 5000),
    help="Residents per transaction.",
)
def recompute(unit_code: str | None, batch_size: int) -> None:
    """Make every resident's episodes and form tag spans equal the fold of their records.

    For records written without the push (the demo, imports, data from before effects): safe
    to run any number of times; a second run writes nothing. Phones pull what changed.
    """
    unit = None
    if unit_code is not None:
        unit = db.session.scalars(select(OrgUnit).where(OrgUnit.code == unit_code)).first()
        if unit is None:
            problem = Problem(ORG_UNIT_CODE_UNKNOWN, code=unit_code)
            issue = {"code": problem.code, "message": problem.message, "params": problem.params}
            raise click.ClickException(f"[{problem.code}] {issue_text(issue)}")
    click.echo(recompute_all(unit, batch_size))
