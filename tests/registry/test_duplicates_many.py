"""The import's duplicate check in bulk answers exactly what the phone's one-person check does."""

from __future__ import annotations

from datetime import date

from server.domain.registry.duplicates import find_duplicates, find_duplicates_many
from server.extensions import db
from tests.factories import make_resident, valid_id_number

BORN = date(1950, 3, 1)
NUMBER = valid_id_number(BORN, "021")


def test_bulk_and_single_checks_agree_person_by_person(world):
    village, elsewhere = world.units["V1a"], world.units["V2a"]
    make_resident(db.session, village, name="李秀英", birth_date=BORN, id_number=NUMBER)
    make_resident(db.session, elsewhere, name="李秀英", birth_date=BORN)
    make_resident(db.session, village, name="王芳", birth_date=date(1980, 1, 1))
    gone = make_resident(db.session, village, name="赵六", birth_date=date(1970, 1, 1))
    gone.deleted = True
    db.session.commit()
    people = [
        (NUMBER, "别名", date(1990, 1, 1)),  # the number only
        (None, "李秀英", BORN),  # name and birth date: two people
        (NUMBER.lower(), " 李秀英 ", BORN),  # both, spelled loosely
        (None, "王芳", date(1980, 1, 2)),  # another birth date: no match
        (None, "赵六", date(1970, 1, 1)),  # a tombstone is no match
        (None, None, None),
    ]
    county = world.units["C"].id
    bulk = find_duplicates_many(db.session, people, county_id=county)
    for (number, name, born), found in zip(people, bulk, strict=True):
        single = find_duplicates(
            db.session, id_number=number, name=name, birth_date=born, county_id=county
        )
        assert {(d.resident.id, d.reason) for d in found} == {
            (d.resident.id, d.reason) for d in single
        }, (number, name)
    assert [len(found) for found in bulk] == [1, 2, 2, 0, 0, 0]
