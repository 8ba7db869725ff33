"""Builds the demo county once; a second run finds it and changes nothing."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from faker import Faker
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from server.core.audit import AuditEntry
from server.core.clock import local_today
from server.core.org import OrgUnit
from server.demo.county import COUNTY_CODE, build_units, build_users
from server.demo.people import build_people
from server.demo.records import build_records
from server.domain.records.model import ServiceRecord
from server.domain.registry.model import Household, Resident
from server.synced import REGISTRY
from sync.changes import COUNTER_ID, lock_feed
from sync.entities import audit_view, scope_unit_of, snapshot
from sync.models import Change, EntityVersion, FeedCounter

DEMO_PASSWORD = "demo12345"

FormValidator = Callable[[Session, str, int, dict[str, Any]], dict[str, list[str]]]


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
    records = build_records(
        rng,
        definitions,
        people,
        {a.org_unit_id: a for a in assistants},
        {v.id: supervisors[v.parent_id] for v in villages},
        records_per_resident,
        today,
    )
    for record in records:
        problems = validate(session, record.form_code, record.form_version, record.data)
        if problems:
            raise ValueError(f"Demo record for {record.form_code} is invalid: {problems}")
    session.add_all(records)
    session.flush()
    _publish(session, people, records)
    return DemoSummary(True, len(villages), len(users), len(people), len(records))


def _publish(session: Session, people: list[Resident], records: list[ServiceRecord]) -> None:
    """Put every demo row in the change feed at once, so phones pull it like any other write.

    The same rows `server_write` would add (feed entry, version-1 snapshot, audit), inserted in
    bulk: the demo's thousands of rows take a second instead of a minute.
    """
    household_ids = {p.household_id for p in people}
    households = session.scalars(select(Household).where(Household.id.in_(household_ids))).all()
    rows: list[Any] = [*households, *people, *records]
    lock_feed(session)
    last = session.execute(
        update(FeedCounter)
        .where(FeedCounter.id == COUNTER_ID)
        .values(value=FeedCounter.value + len(rows))
        .returning(FeedCounter.value)
    ).scalar_one()
    changes, versions, audits = [], [], []
    for seq, obj in enumerate(rows, start=last - len(rows) + 1):
        spec = REGISTRY.of(obj)
        entity, state = spec.name, snapshot(spec, obj)
        actor = obj.author_id if isinstance(obj, ServiceRecord) else obj.created_by_id
        key = {"entity": entity, "entity_id": str(obj.id)}
        changes.append(
            {**key, "seq": seq, "village_id": scope_unit_of(obj), "version": 1, "op": "upsert"}
        )
        versions.append({**key, "version": 1, "data": state})
        audits.append(
            {**key, "actor_id": actor, "action": "create", "after": audit_view(spec, state)}
        )
    session.execute(insert(Change), changes)
    session.execute(insert(EntityVersion), versions)
    session.execute(insert(AuditEntry), audits)
