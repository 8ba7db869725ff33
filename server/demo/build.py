"""Builds the demo county once; a second run finds it and changes nothing."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from faker import Faker
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.core.clock import local_today
from server.core.org import OrgUnit
from server.demo.county import COUNTY_CODE, build_units, build_users
from server.demo.people import build_people
from server.demo.records import build_records
from server.demo.tagspans import confirm_most
from server.domain.records.catalogue import get_definition
from server.domain.records.model import ServiceRecord
from server.domain.registry.model import Household, Resident
from server.synced import REGISTRY
from sync.changes import lock_feed, publish_created

DEMO_PASSWORD = "demo12345"

# (session, form code, version, data, today, visit date) -> problems per field
FormValidator = Callable[..., dict[str, list[str]]]


@dataclass
class DemoSummary:
    created: bool
    villages: int
    users: int
    residents: int
    records: int


def build_demo(
    session: Session,
    definitions: list[dict[str, Any]],
    validate: FormValidator,
    *,
    residents: int = 2000,
    records_per_resident: float = 0.6,
    seed: int = 2026,
    today: date | None = None,
) -> DemoSummary:
    """Create the county, its people and some service records in one transaction.

    `validate` is the catalogue's validator: a demo record that the server itself would
    reject is a bug in the definitions or the generator, so it stops the build.
    """
    if session.scalar(select(OrgUnit.id).where(OrgUnit.code == COUNTY_CODE)) is not None:
        return DemoSummary(False, 0, 0, 0, 0)
    today = today or local_today()
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)

    county, townships, villages = build_units(session)
    users = build_users(session, county, townships, villages, DEMO_PASSWORD)
    assistants = [users[f"assistant{i}"] for i in range(1, len(villages) + 1)]
    people = build_people(session, rng, fake, villages, assistants, residents, today)
    supervisors = {t.id: users[f"supervisor{i}"] for i, t in enumerate(townships, start=1)}
    confirm_most(session, seed + 1, {v.id: supervisors[v.parent_id] for v in villages})
    records = build_records(
        rng,
        definitions,
        people,
        {a.org_unit_id: a for a in assistants},
        {v.id: supervisors[v.parent_id] for v in villages},
        records_per_resident,
        today,
        _older_versions(session, definitions),
    )
    for record in records:
        problems = validate(
            session, record.form_code, record.form_version, record.data, today, record.visit_date
        )
        if problems:
            raise ValueError(f"Demo record for {record.form_code} is invalid: {problems}")
    session.add_all(records)
    session.flush()
    _publish(session, people, records)
    return DemoSummary(True, len(villages), len(users), len(people), len(records))


def _older_versions(
    session: Session, definitions: list[dict[str, Any]]
) -> dict[str, list[dict[str, Any]]]:
    """The stored versions before each current one (v1 of a form now at v2), by form code."""
    found: dict[str, list[dict[str, Any]]] = {}
    for definition in definitions:
        versions = range(1, definition["version"])
        stored = [get_definition(session, definition["code"], v) for v in versions]
        if any(stored):
            found[definition["code"]] = [d for d in stored if d]
    return found


def _publish(session: Session, people: list[Resident], records: list[ServiceRecord]) -> None:
    """Put every demo row in the change feed at once, so phones pull it like any other write."""
    household_ids = {p.household_id for p in people}
    households = session.scalars(select(Household).where(Household.id.in_(household_ids))).all()
    lock_feed(session)
    publish_created(
        session,
        [
            *((REGISTRY.of(h), h, h.created_by_id) for h in households),
            *((REGISTRY.of(p), p, p.created_by_id) for p in people),
            *((REGISTRY.of(r), r, r.author_id) for r in records),
        ],
    )
