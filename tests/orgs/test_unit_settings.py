"""Which immunisation schedule a unit follows: its own setting, else its township's, else its
county's, else nip_2025; unknown keys and editions are refused with their code."""

from __future__ import annotations

import pytest

from server.core.problems import Problem
from server.domain.orgs.settings import (
    apply_changes,
    change_settings,
    checked_changes,
    nip_version_of,
    resolve,
)
from server.extensions import db

COUNTY, TOWNSHIP, VILLAGE = 1, 2, 3


@pytest.mark.parametrize(
    ("county", "township", "village", "value", "source"),
    [
        ({}, {}, {}, "nip_2025", None),
        ({"nip_version": "nip_2021"}, {}, {}, "nip_2021", COUNTY),
        ({"nip_version": "nip_2021"}, {"nip_version": "nip_2025"}, {}, "nip_2025", TOWNSHIP),
        ({}, {"nip_version": "nip_2021"}, {}, "nip_2021", TOWNSHIP),
        ({"nip_version": "nip_2025"}, {}, {"nip_version": "nip_2021"}, "nip_2021", VILLAGE),
        ({}, {"nip_version": "nip_2025"}, {"nip_version": "nip_2021"}, "nip_2021", VILLAGE),
    ],
)
def test_a_village_follows_the_nearest_unit_that_sets_the_edition(
    county, township, village, value, source
):
    chain = [(VILLAGE, village), (TOWNSHIP, township), (COUNTY, county)]
    effect = resolve(chain)["nip_version"]
    assert (effect.value, effect.source_id) == (value, source)


@pytest.mark.parametrize(
    ("own", "changes", "after"),
    [
        ({}, {"nip_version": "nip_2021"}, {"nip_version": "nip_2021"}),
        ({"nip_version": "nip_2021"}, {"nip_version": "nip_2025"}, {"nip_version": "nip_2025"}),
        ({"nip_version": "nip_2021"}, {"nip_version": None}, {}),
        ({}, {"nip_version": None}, {}),
        ({"nip_version": "nip_2021"}, {}, {"nip_version": "nip_2021"}),
    ],
)
def test_a_change_sets_or_clears_the_units_own_value(own, changes, after):
    assert apply_changes(own, checked_changes(changes)) == after


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"clinic_day": "monday"}, "org_setting_unknown"),
        ({"nip_version": "nip_2030"}, "nip_version_unknown"),
        ({"nip_version": 2025}, "nip_version_unknown"),
        ({"nip_version": ""}, "nip_version_unknown"),
    ],
)
def test_an_unknown_setting_or_edition_is_refused_with_its_code(changes, code):
    with pytest.raises(Problem) as refused:
        checked_changes(changes)
    assert refused.value.code == code


def test_a_township_may_follow_another_edition_than_its_county(county):
    change_settings(db.session, None, county.county, {"nip_version": "nip_2021"})
    assert nip_version_of(db.session, county.village) == "nip_2021"
    change_settings(db.session, None, county.township, {"nip_version": "nip_2025"})
    assert nip_version_of(db.session, county.village) == "nip_2025"
    assert nip_version_of(db.session, county.county) == "nip_2021"
