"""The new versions of the maternal, child and record forms (docs/forms-v2.md).

Rule messages are pinned case by case in tests/contracts/formrules_maternal.json (both sides);
here: the catalogue holds the new versions beside the old ones, who may fill them, and what
the phone suggests and flags for them.
"""

from __future__ import annotations

from datetime import date

import pytest

from server.domain.records.catalogue import eligible, listed_definitions
from server.domain.records.danger import danger_flags
from server.domain.records.formdata import validate_form_data
from server.domain.records.suggest import nearest_age_point
from server.extensions import db
from tests.catalogue.conftest import file_definition
from tests.catalogue.samples import VALID
from tests.catalogue.samples_maternal_child import LATER, VISIT_DATE

pytestmark = pytest.mark.usefixtures("catalogue")
NEW = sorted(LATER)
ON = date(2026, 6, 1)


@pytest.mark.parametrize(("code", "version"), NEW)
def test_the_new_version_is_current_and_every_older_one_still_accepted(code, version):
    statuses = {r.version: r.status for r in listed_definitions(db.session) if r.code == code}
    newest = max(statuses)
    assert newest >= version
    assert statuses == {v: "accepted" for v in range(1, newest)} | {newest: "current"}


@pytest.mark.parametrize(("code", "version"), NEW)
def test_the_new_versions_sample_is_valid_on_its_visit_date(code, version):
    found = validate_form_data(
        db.session, code, version, LATER[(code, version)], today=VISIT_DATE, visit_date=VISIT_DATE
    )
    assert found == {}


@pytest.mark.parametrize(("code", "version"), NEW)
def test_a_version_one_record_still_validates_under_version_one(code, version):
    assert validate_form_data(db.session, code, 1, VALID[code], today=VISIT_DATE) == {}


@pytest.mark.parametrize(
    ("code", "version", "birth_date", "sex", "tags", "expected"),
    [
        ("postpartum_visit", 2, date(2012, 1, 1), "F", ["postpartum"], True),  # 14
        ("postpartum_visit", 2, date(1968, 1, 1), "F", ["postpartum"], True),  # 58
        ("postpartum_visit", 2, date(1996, 1, 1), "M", ["postpartum"], False),
        ("postpartum_visit", 1, date(2012, 1, 1), "F", ["postpartum"], False),
        ("early_pregnancy", 3, date(2012, 1, 1), "F", [], True),
        ("early_pregnancy", 3, date(1968, 1, 1), "F", [], True),
        ("early_pregnancy", 3, date(1990, 1, 1), "M", [], False),
        ("vaccination_notice", 2, date(2008, 6, 2), "M", [], True),  # 17 the day before 18
        ("vaccination_notice", 2, date(2008, 6, 1), "M", [], False),  # 18 today
        ("vaccination_notice", 1, date(2013, 1, 1), "F", [], False),  # 13: only version 2
        ("contraceptive_distribution", 2, date(1960, 1, 1), "M", [], True),
        ("contraceptive_distribution", 2, date(1970, 1, 1), "F", [], True),
        ("contraceptive_distribution", 2, date(2011, 6, 2), "F", [], False),  # 14
        ("contraceptive_distribution", 1, date(1960, 1, 1), "M", [], False),
        ("two_cancer_screening", 2, date(1961, 6, 2), "F", [], True),  # 64
        ("two_cancer_screening", 2, date(1961, 6, 1), "F", [], False),  # 65
    ],
)
def test_who_may_be_served_by_each_version(code, version, birth_date, sex, tags, expected):
    assert eligible(file_definition(code, version), birth_date, ON, sex, tags) is expected


def _checkup_age() -> dict:
    return file_definition("child_checkup", 2)["fields"][1]


@pytest.mark.parametrize(
    ("birth_date", "visit", "suggested"),
    [
        (date(2026, 3, 1), date(2026, 3, 8), "newborn"),
        (date(2026, 2, 1), date(2026, 3, 2), "m1"),
        (date(2025, 9, 5), date(2026, 3, 10), "m6"),
        (date(2023, 3, 10), date(2026, 3, 10), "y3"),  # not its alias m36
        (date(2020, 3, 1), date(2026, 3, 10), "y6"),
    ],
)
def test_the_phone_suggests_the_check_up_nearest_the_childs_age(birth_date, visit, suggested):
    assert nearest_age_point(_checkup_age(), birth_date, visit) == suggested


def _postpartum(**changes) -> dict:
    return {**LATER[("postpartum_visit", 2)], **changes}


@pytest.mark.parametrize(
    ("changes", "flags"),
    [
        ({}, []),
        ({"mother_complaints": ["heavy_bleeding"]}, ["mother_danger_sign"]),
        ({"mother_complaints": ["harm_thoughts"]}, ["harm_thoughts"]),
        ({"mother_temperature": 38.5}, ["mother_danger_sign"]),
        (
            {"mother_complaints": ["fever", "harm_thoughts"], "baby_concerns": ["fever"]},
            ["mother_danger_sign", "harm_thoughts", "newborn_danger_sign"],
        ),
    ],
)
def test_a_postpartum_visit_carries_the_flags_of_the_dangers_it_meets(changes, flags):
    assert danger_flags(file_definition("postpartum_visit", 2), _postpartum(**changes)) == flags


def test_a_temperature_hidden_by_a_phone_call_flags_nothing():
    data = _postpartum(visit_method="phone", mother_temperature=39)
    assert danger_flags(file_definition("postpartum_visit", 2), data) == []
