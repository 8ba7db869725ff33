"""Upgrading a county's database: the tag spans 0011 made from stored tags reach phones.

0011 wrote legacy spans straight into `resident_tag`; 0012 gives each a feed entry at a
sequence above every cursor a phone may hold, taken from the feed counter.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select

from server import create_app
from server.config import normalise_database_url
from server.core.org import OrgUnit
from server.domain.registry.model import Resident, ResidentTag
from server.extensions import db
from sync.changes import next_sequence
from sync.models import Change, FeedCounter


def _as_of_0010(model: type, names: tuple[str, ...]) -> sa.TableClause:
    """The model's table with only the columns it had at 0010 (today's column types)."""
    return sa.table(model.__tablename__, *(sa.column(n, model.__table__.c[n].type) for n in names))


ORG_UNIT_0010 = _as_of_0010(
    OrgUnit,
    ("id", "parent_id", "level", "code", "name", "population", "resident_population", "path",
     "created_at", "updated_at"),
)  # fmt: skip
RESIDENT_0010 = _as_of_0010(
    Resident,
    ("id", "village_id", "name", "name_pinyin", "name_initials", "sex", "birth_date", "tags",
     "version", "deleted", "created_at", "updated_at"),
)  # fmt: skip
COMMON_0010 = {"org_unit": {"population": 1, "resident_population": {}},
               "resident": {"name_pinyin": "", "name_initials": "", "version": 1,
                            "deleted": False}}  # fmt: skip


def _insert(table: sa.TableClause, **values) -> object:
    now = datetime.now(UTC)
    row = {**COMMON_0010[table.name], "created_at": now, "updated_at": now, **values}
    if table.name == "org_unit":
        return db.session.execute(sa.insert(table).values(row).returning(table.c.id)).scalar_one()
    db.session.execute(sa.insert(table).values(row))
    return row["id"]


@pytest.fixture
def county_at_0010(empty_database_url):
    """A database at 0010 with two tagged residents and a feed at sequence 1 (a phone's cursor)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": normalise_database_url(empty_database_url)})
    with app.app_context():
        upgrade(revision="0010_queue")
        # Rows as the app of 0010 wrote them, through tables of that revision's columns: today's
        # models have columns 0010 lacks, and their span listener would write to a missing table.
        county = _insert(ORG_UNIT_0010, level="county", code="C", name="示范县", path="/")
        township = _insert(ORG_UNIT_0010, parent_id=county, level="township", code="T", name="镇",
                           path=f"/{county}/")  # fmt: skip
        village = _insert(ORG_UNIT_0010, parent_id=township, level="village", code="V",
                          name="村", path=f"/{county}/{township}/")  # fmt: skip
        for tags in (["hypertension", "elderly_65"], ["diabetes"]):
            _insert(RESIDENT_0010, id=uuid.uuid4(), village_id=village, name="张三丰", sex="M",
                    birth_date=date(1960, 5, 1), tags=tags)  # fmt: skip
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
