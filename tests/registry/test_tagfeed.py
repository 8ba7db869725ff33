"""Spans the server writes enter the pull feed once `resident_tag` is a synced entity: the
register's spans at the push's commit, a staff decision at its own."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from server.domain.registry import tagfeed
from server.domain.registry.model import ResidentTag
from server.extensions import db
from sync.entities import to_json
from sync.models import Change, EntityVersion
from sync.spec import EntitySpec
from tests.sync.conftest import new_household, new_resident

# A stand-in for the synced entity issue 17 registers (read-only, parent resident).
SPAN_SPEC = EntitySpec(
    name="resident_tag",
    model=ResidentTag,
    fields={},
    pushable=False,
    server_only=("resident_id", "tag", "source", "origin", "start_on", "end_on"),
    build=lambda values, ctx: {},
    shape=lambda span, viewer: {
        "tag": span.tag,
        "source": span.source,
        "end_on": to_json(span.end_on),
    },
)


def _spec_for_the_test(spec):
    """Hand tagfeed `spec` for one test, then the spec the app runs with again (server/synced.py),
    so later tests publish spans as the app does."""
    running = tagfeed._SPEC[0]
    tagfeed.use_spec(spec)
    yield
    tagfeed.use_spec(running)


@pytest.fixture
def synced_spans():
    yield from _spec_for_the_test(SPAN_SPEC)


@pytest.fixture
def unsynced_spans():
    yield from _spec_for_the_test(None)


def _feed() -> dict[str, Change]:
    db.session.expire_all()
    return {
        c.entity_id: c
        for c in db.session.scalars(select(Change).where(Change.entity == "resident_tag"))
    }


def _state(span_id: str, version: int) -> dict:
    return db.session.scalar(
        select(EntityVersion.data).where(
            EntityVersion.entity == "resident_tag",
            EntityVersion.entity_id == span_id,
            EntityVersion.version == version,
        )
    )


def test_a_pushed_registration_puts_its_spans_in_the_feed(phone, synced_spans):
    home = new_household()
    person = new_resident(home["id"], tags=["hypertension", "diabetes"])
    phone("asst1").push(home, person)
    feed = _feed()
    spans = db.session.scalars(select(ResidentTag)).all()
    assert sorted(feed) == sorted(str(s.id) for s in spans) and len(spans) == 2
    assert {(c.version, c.op) for c in feed.values()} == {(1, "upsert")}


def test_a_confirmation_moves_the_span_to_a_new_version(client, auth, phone, synced_spans):
    home = new_household()
    person = new_resident(home["id"], tags=["hypertension"])
    phone("asst1").push(home, person)
    path = f"/api/residents/{person['id']}/tags/hypertension/confirm"
    span = client.post(path, headers=auth.headers("sup1")).get_json()
    change = _feed()[span["id"]]
    assert change.version == 2
    assert _state(span["id"], 2)["source"] == "confirmed"


def test_without_the_synced_entity_nothing_enters_the_feed(phone, unsynced_spans):
    home = new_household()
    phone("asst1").push(home, new_resident(home["id"], tags=["diabetes"]))
    assert _feed() == {}
    assert db.session.scalars(select(ResidentTag)).all()
