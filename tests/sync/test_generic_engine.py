"""The engine is generic: an entity it has never heard of syncs by declaring a spec.

`GenericNote` is a throwaway model (its table made for these tests only, kept out of the
app's metadata) with a parent link to a household. Registered with its spec, it is pushed,
pulled, merged and put in conflict like the app's own entities, through `sync/` unchanged.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column

from server.core.clock import local_today
from server.core.db import Base, Versioned
from server.core.scope import villages_in_scope
from server.domain.registry.synced import HOUSEHOLD
from server.extensions import db
from sync.context import PushContext
from sync.fields import positive_int, ref, text
from sync.models import Conflict
from sync.pull import pull
from sync.push import push_batch, push_one
from sync.spec import EntitySpec, Registry
from tests.sync.conftest import mutation, new_household


class GenericNote(Versioned, Base):
    __tablename__ = "generic_note"
    __scope_column__ = "village_id"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"))
    village_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    title: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(String(400), default="")
    priority: Mapped[int] = mapped_column(default=1)


Base.metadata.remove(GenericNote.__table__)  # the rest of the suite never sees this table

seen_writes: list[tuple[str, str]] = []


def _build(values: dict[str, Any], ctx: PushContext) -> dict[str, Any]:
    return {
        "household_id": values["household_id"],
        "title": values["title"],
        "body": values.get("body", ""),
        "priority": values.get("priority", 1),
    }


def _shape(obj: GenericNote, viewer: Any) -> dict[str, Any]:
    return {
        "household_id": str(obj.household_id),
        "title": obj.title,
        "body": obj.body,
        "priority": obj.priority,
        "village_id": obj.village_id,
    }


NOTE = EntitySpec(
    name="note",
    model=GenericNote,
    fields={
        "household_id": ref,
        "title": text(80, blank=False),
        "body": text(400),
        "priority": positive_int,
    },
    required=("household_id", "title"),
    parent=("household_id", HOUSEHOLD),
    build=_build,
    shape=_shape,
    merge={"priority": "client_wins"},
    after_write=lambda ctx, spec, ident, op, state: seen_writes.append((op, str(ident))),
)
REGISTRY = Registry([HOUSEHOLD, NOTE])
READ_ONLY = Registry(
    [
        HOUSEHOLD,
        EntitySpec(
            "note", GenericNote, NOTE.fields, _build, _shape, parent=NOTE.parent, pushable=False
        ),
    ]
)


@pytest.fixture(autouse=True)
def note_table(app) -> Iterator[None]:
    GenericNote.__table__.create(db.engine)
    seen_writes.clear()
    yield
    db.session.rollback()
    GenericNote.__table__.drop(db.engine)


@pytest.fixture
def asst1(world):
    return world.users["asst1"]


def push(user, *mutations: dict[str, Any], registry: Registry = REGISTRY) -> list[dict]:
    results = push_batch(db.session, registry, user, list(mutations))
    db.session.commit()
    return results


def one_by_one(user, item: dict[str, Any]) -> dict[str, Any]:
    ctx = PushContext(
        db.session, REGISTRY, user, None, villages_in_scope(db.session, user), local_today()
    )
    result = push_one(ctx, item)
    db.session.commit()
    return result


def new_note(household_id: str, **data: Any) -> dict[str, Any]:
    return mutation("note", "create", {"household_id": household_id, "title": "井水", **data})


def edit(note_id: str, base_version: int, **data: Any) -> dict[str, Any]:
    return mutation("note", "update", data, id=note_id, base_version=base_version)


@pytest.fixture
def home(asst1) -> str:
    return push(asst1, new_household())[0]["id"]


def test_a_new_entity_is_created_and_updated_through_push(asst1, home):
    created = push(asst1, new_note(home))[0]
    updated = push(asst1, edit(created["id"], 1, title="井水浑浊"))[0]

    assert (created["status"], updated["status"], updated["version"]) == ("applied", "applied", 2)
    assert db.session.get(GenericNote, uuid.UUID(created["id"])).title == "井水浑浊"


def test_a_new_entity_lives_in_its_parents_village_and_is_pulled(asst1, home, world):
    note = push(asst1, new_note(home, body="需要检测"))[0]["id"]

    changes = pull(db.session, REGISTRY, asst1)["changes"]

    pulled = next(c for c in changes if c["entity"] == "note")
    assert pulled["id"] == note
    assert pulled["data"]["body"] == "需要检测"
    assert pulled["data"]["village_id"] == world.units["V1a"].id


def test_concurrent_edits_of_different_fields_merge(asst1, home):
    note = push(asst1, new_note(home))[0]["id"]
    push(asst1, edit(note, 1, title="井水浑浊"))

    result = push(asst1, edit(note, 1, body="已通知村委"))[0]

    row = db.session.get(GenericNote, uuid.UUID(note))
    assert result["status"] == "merged"
    assert (row.title, row.body) == ("井水浑浊", "已通知村委")


def test_concurrent_edits_of_one_field_conflict_and_keep_the_losing_value(asst1, home):
    note = push(asst1, new_note(home))[0]["id"]
    push(asst1, edit(note, 1, title="井水浑浊"))

    result = push(asst1, edit(note, 1, title="井水发臭"))[0]

    kept = db.session.scalars(select(Conflict).where(Conflict.entity_id == note)).one()
    assert (result["status"], result["conflicts"]) == ("conflict", ["title"])
    assert (kept.entity, kept.server_value, kept.client_value) == ("note", "井水浑浊", "井水发臭")


def test_a_client_wins_field_takes_the_later_phone_value_without_a_conflict(asst1, home):
    note = push(asst1, new_note(home))[0]["id"]
    push(asst1, edit(note, 1, priority=2))

    result = push(asst1, edit(note, 1, priority=3))[0]

    assert result["status"] == "merged"
    assert db.session.get(GenericNote, uuid.UUID(note)).priority == 3
    assert db.session.scalars(select(Conflict)).all() == []


def test_a_read_only_entity_is_refused_on_push_with_its_code(asst1, home):
    result = push(asst1, new_note(home), registry=READ_ONLY)[0]

    assert (result["status"], result["code"]) == ("rejected", "read_only")
    assert db.session.scalars(select(GenericNote)).all() == []


@pytest.mark.parametrize("path", ["bulk", "one by one"])
def test_after_write_runs_on_the_bulk_and_the_single_row_path(asst1, home, path):
    item = new_note(home)

    result = push(asst1, item)[0] if path == "bulk" else one_by_one(asst1, item)

    assert result["status"] == "applied"
    assert seen_writes == [("create", item["id"])]
