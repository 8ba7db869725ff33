"""`flask episodes recompute`: records written without the push get their episodes and spans.

The demo's bulk insert and imported records never ran the push hook; the command folds every
resident's records batch by batch, publishes what it writes to the feed, and writes nothing
the second time.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, update

from server.domain.episodes.model import Episode
from server.domain.records.catalogue import publish_definition
from server.domain.records.model import ServiceRecord
from server.domain.registry.model import ResidentTag
from server.extensions import db
from sync.models import Change
from tests.episodes.forms import BOOKING, DELIVERY
from tests.factories import make_record, make_resident


@pytest.fixture
def booked(world):
    """Two women of V1a and one of V2a, each with a booking stored without the push hook."""
    for definition in (BOOKING, DELIVERY):
        publish_definition(db.session, definition, None)
    women = []
    for village in ("V1a", "V1a", "V2a"):
        woman = make_resident(db.session, world.units[village], name="王芳", sex="F")
        make_record(
            db.session, woman, world.users["asst1"], form_code="t_booking",
            visit_date=date(2026, 3, 1), data={"lmp": "2026-01-10", "edd": "2026-10-17"},
        )  # fmt: skip
        women.append(woman)
    db.session.commit()
    return women


def recompute(runner, *args: str) -> str:
    result = runner.invoke(args=["episodes", "recompute", *args])
    assert result.exit_code == 0, result.output
    return result.output


def count(model, **where) -> int:
    query = select(func.count()).select_from(model).filter_by(**where)
    return db.session.scalar(query)


def test_recompute_opens_the_pregnancies_of_records_written_without_the_push(booked, runner):
    output = recompute(runner)
    assert "Recomputed 3 residents" in output
    assert "episodes: 3 created" in output and "form tag spans: 3 created" in output
    assert count(Episode, kind="pregnancy", status="open") == 3
    assert count(ResidentTag, tag="pregnant", origin="form") == 3


def test_what_recompute_writes_is_in_the_feed_for_phones(booked, runner):
    recompute(runner)
    assert count(Change, entity="episode") == 3
    assert count(Change, entity="resident_tag") == 3


def test_a_second_recompute_writes_nothing(booked, runner):
    recompute(runner)
    feed = count(Change)
    output = recompute(runner)
    assert "episodes: 0 created, 0 updated, 0 removed" in output
    assert "form tag spans: 0 created, 0 updated, 0 removed" in output
    assert count(Change) == feed


def test_recompute_in_batches_of_one_makes_the_same_rows(booked, runner):
    output = recompute(runner, "--batch-size", "1")
    assert "Recomputed 3 residents" in output
    assert count(Episode) == 3


def test_recompute_of_one_village_leaves_the_others(booked, runner, world):
    v2a = world.units["V2a"].id
    output = recompute(runner, "--unit", "V2a")
    assert "Recomputed 1 residents" in output
    assert db.session.scalars(select(Episode.village_id)).all() == [v2a]


def test_recompute_of_a_township_covers_its_villages(booked, runner):
    assert "Recomputed 2 residents" in recompute(runner, "--unit", "T1")


def test_recompute_removes_an_episode_whose_record_is_gone(booked, runner):
    recompute(runner)
    db.session.execute(
        update(ServiceRecord).where(ServiceRecord.resident_id == booked[0].id).values(deleted=True)
    )
    db.session.commit()
    assert "episodes: 0 created, 0 updated, 1 removed" in recompute(runner)


def test_recompute_of_an_unknown_unit_fails_saying_so_in_chinese_too(booked, runner):
    result = runner.invoke(args=["episodes", "recompute", "--unit", "nowhere"])
    assert result.exit_code != 0
    assert (
        "[org_unit_code_unknown]" in result.output and "没有代码为 nowhere 的单位" in result.output
    )
