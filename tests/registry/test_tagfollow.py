"""Register spans follow the resident's tag list on every path that writes it: the factories
(ORM inserts and edits), a phone's push (bulk creates and single updates), an import, a merge
and the demo. A tag listed at registration holds since an unknown day; one added later starts
today; one dropped ends today."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

from faker import Faker
from sqlalchemy import select

from server.core.clock import local_today
from server.demo.people import build_people
from server.domain.registry.merge import merge_residents
from server.domain.registry.model import Resident, ResidentTag
from server.domain.registry.tags import effective_tags
from server.extensions import db
from tests.factories import make_resident
from tests.sync.conftest import Phone, new_household, new_resident, update

TODAY = local_today()


def spans_of(resident_id) -> list[ResidentTag]:
    db.session.expire_all()
    stmt = select(ResidentTag).where(ResidentTag.resident_id == uuid.UUID(str(resident_id)))
    return list(db.session.scalars(stmt.order_by(ResidentTag.created_at, ResidentTag.tag)))


def summary(resident_id) -> list[tuple]:
    found = [(s.tag, s.source, s.origin, s.start_on, s.end_on) for s in spans_of(resident_id)]
    return sorted(found, key=lambda row: [(v is not None, str(v)) for v in row])


def test_a_factory_resident_holds_its_tags_by_spans(world):
    resident = make_resident(db.session, world.units["V1a"], tags=["hypertension", "pregnant"])
    assert summary(resident.id) == [
        ("hypertension", "reported", "register", None, None),
        ("pregnant", "reported", "register", None, None),
    ]
    resident = db.session.get(Resident, resident.id)
    assert effective_tags(resident, TODAY) == ["pregnant", "elderly_65", "hypertension"]


def test_an_edited_list_opens_the_added_tag_today_and_ends_the_dropped_one(world):
    resident = make_resident(db.session, world.units["V1a"], tags=["hypertension"])
    supervisor_id = world.users["sup1"].id
    resident.tags = ["diabetes"]
    resident.updated_by_id = supervisor_id
    db.session.flush()
    assert summary(resident.id) == [
        ("diabetes", "reported", "register", TODAY, None),
        ("hypertension", "reported", "register", None, TODAY),
    ]
    ended = next(s for s in spans_of(resident.id) if s.tag == "hypertension")
    assert ended.ended_by_id == supervisor_id


def test_a_tag_dropped_and_listed_again_gets_a_new_span(world):
    resident = make_resident(db.session, world.units["V1a"], tags=["diabetes"])
    resident.tags = []
    db.session.flush()
    resident.tags = ["diabetes"]
    db.session.flush()
    assert summary(resident.id) == [
        ("diabetes", "reported", "register", None, TODAY),
        ("diabetes", "reported", "register", TODAY, None),
    ]


def test_a_list_written_again_unchanged_opens_nothing(world):
    resident = make_resident(db.session, world.units["V1a"], tags=["diabetes"])
    resident.tags = ["diabetes", "low_income"]
    db.session.flush()
    assert summary(resident.id) == [("diabetes", "reported", "register", None, None)]


def test_a_confirmed_span_stays_when_the_list_drops_the_tag(world):
    resident = make_resident(db.session, world.units["V1a"], tags=["hypertension"])
    spans_of(resident.id)[0].source = "confirmed"
    db.session.flush()
    resident = db.session.get(Resident, resident.id)
    resident.tags = []
    db.session.flush()
    resident.tags = ["hypertension"]
    db.session.flush()
    assert summary(resident.id) == [("hypertension", "confirmed", "register", None, None)]


def test_a_phone_registering_a_village_in_bulk_opens_spans(phone):
    asst = phone("asst1")
    home = new_household()
    people = [new_resident(home["id"], name=f"居民{i}", tags=["diabetes"]) for i in range(3)]
    plain = new_resident(home["id"], name="无标签")
    results = asst.push(home, *people, plain)
    assert {r["status"] for r in results} == {"applied"}
    for person in people:
        assert summary(person["id"]) == [("diabetes", "reported", "register", None, None)]
    assert summary(plain["id"]) == []


def test_a_phone_update_adds_and_ends_spans_once(phone):
    asst: Phone = phone("asst1")
    home = new_household()
    person = new_resident(home["id"], tags=["pregnant"])
    asst.push(home, person)
    result = asst.push_one(update("resident", person["id"], 1, tags=["postpartum"]))
    assert result["status"] == "applied"
    assert summary(person["id"]) == [
        ("postpartum", "reported", "register", TODAY, TODAY + timedelta(days=42)),
        ("pregnant", "reported", "register", None, TODAY),
    ]


def test_an_import_opens_spans_named_for_the_import(client, auth):
    from tests.orgs.conftest import County
    from tests.registry.test_register_import import HEAD, HEADER, send

    county = County(db.session)
    db.session.commit()
    assert send(client, auth, [HEAD], path="/api/residents/import").status_code == 200, county
    resident = db.session.scalars(select(Resident).where(Resident.name == HEAD[3])).one()
    assert HEADER[8] == "tags"
    assert summary(resident.id) == [
        ("diabetes", "reported", "import", None, None),
        ("hypertension", "reported", "import", None, None),
    ]


def test_a_merge_moves_the_duplicates_spans_with_their_dates(world):
    village = world.units["V1a"]
    keep = make_resident(db.session, village, tags=["hypertension"])
    duplicate = make_resident(db.session, village, name="张三", tags=["diabetes"])
    told = spans_of(duplicate.id)[0]
    told.source, told.start_on = "confirmed", TODAY.replace(year=TODAY.year - 2)
    db.session.flush()
    merge_residents(db.session, keep, duplicate, actor_id=world.users["sup1"].id)
    assert summary(keep.id) == [
        ("diabetes", "confirmed", "register", told.start_on, None),
        ("hypertension", "reported", "register", None, None),
    ]
    assert summary(duplicate.id) == []


def test_the_demo_peoples_tags_are_held_by_spans(world):
    villages = [world.units["V1a"], world.units["V1b"]]
    assistants = [world.users["asst1"], world.users["asst2"]]
    fake = Faker("zh_CN")
    fake.seed_instance(7)
    people = build_people(db.session, random.Random(7), fake, villages, assistants, 120, TODAY)
    tagged = [p for p in people if set(p.tags) - {"low_income"}]
    assert tagged
    for person in tagged:
        assert sorted(s.tag for s in spans_of(person.id)) == sorted(person.tags)


def test_spans_move_with_a_resident_to_another_village(world):
    resident = make_resident(db.session, world.units["V1a"], tags=["diabetes"])
    resident.village_id = world.units["V1b"].id
    db.session.flush()
    assert [s.village_id for s in spans_of(resident.id)] == [world.units["V1b"].id]
