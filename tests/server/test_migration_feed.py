"""Upgrading a county's database: the tag spans 0011 made from stored tags reach phones.

0011 wrote legacy spans straight into `resident_tag`; 0012 gives each a feed entry at a
sequence above every cursor a phone may hold, taken from the feed counter.
"""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, insert, select

from server import create_app
from server.config import normalise_database_url
from server.domain.orgs.tree import add_unit
from server.domain.registry.model import Resident, ResidentTag
from server.extensions import db
from sync.changes import next_sequence
from sync.models import Change, FeedCounter


@pytest.fixture
def county_at_0010(empty_database_url):
    """A database at 0010 with two tagged residents and a feed at sequence 1 (a phone's cursor)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": normalise_database_url(empty_database_url)})
    with app.app_context():
        upgrade(revision="0010_queue")
        county = add_unit(db.session, None, "county", "C", "示范县", 1)
        village = add_unit(db.session, add_unit(db.session, county, "township", "T", "镇", 1),
                           "village", "V", "村", 1)  # fmt: skip
        # Rows as the app of 0010 wrote them: a Core insert, so today's span listener stays out.
        for tags in (["hypertension", "elderly_65"], ["diabetes"]):
            db.session.execute(
                insert(Resident.__table__).values(
                    id=uuid.uuid4(), village_id=village.id, name="张三丰", sex="M",
                    birth_date=date(1960, 5, 1), tags=tags,
                )
            )  # fmt: skip
        next_sequence(db.session)
        db.session.commit()
        yield app
        db.session.remove()
        db.engine.dispose()


def entries() -> dict[str, int]:
    rows = db.session.execute(
        select(Change.entity_id, Change.seq).where(Change.entity == "resident_tag")
    )
    return dict(rows.all())


def test_the_upgrade_gives_every_legacy_span_a_feed_entry_above_the_counter(county_at_0010):
    upgrade()
    spans = {str(i) for i in db.session.scalars(select(ResidentTag.id))}
    found = entries()
    assert len(spans) == 2 and set(found) == spans
    assert min(found.values()) > 1
    assert db.session.get(FeedCounter, 1).value == max(found.values())


def test_the_feed_entries_are_upserts_of_the_span_village_and_version(county_at_0010):
    upgrade()
    span = db.session.scalars(select(ResidentTag)).first()
    entry = db.session.scalars(select(Change).where(Change.entity_id == str(span.id))).one()
    assert (entry.op, entry.village_id, entry.version) == ("upsert", span.village_id, 1)


def test_upgrading_again_adds_no_second_entry(county_at_0010):
    upgrade()
    before = entries()
    downgrade(revision="0011_episodes")
    upgrade()
    assert entries() == before
    assert db.session.scalar(select(func.count()).select_from(Change)) == len(before)
