"""Derived tags: child 0-6 and elderly 65+ from the birth date, low income from the household."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from server.domain.registry.model import Household, Resident
from server.domain.registry.tags import age_in, age_on, age_point, derived_tags, effective_tags

TODAY = date(2026, 6, 15)


def person(birth_date: date, tags=None, household: Household | None = None) -> Resident:
    return Resident(
        name="测试", sex="F", birth_date=birth_date, tags=tags or [], household=household
    )


@pytest.mark.parametrize(
    ("birth_date", "expected"),
    [
        (date(2026, 6, 15), ["child_0_6"]),  # born today
        (date(2019, 6, 16), ["child_0_6"]),  # seventh birthday tomorrow
        (date(2019, 6, 15), []),  # seven today
        (date(1961, 6, 16), []),  # 65 tomorrow
        (date(1961, 6, 15), ["elderly_65"]),  # 65 today
        (date(1930, 1, 1), ["elderly_65"]),
    ],
)
def test_age_tags_change_on_the_birthday(birth_date, expected):
    assert derived_tags(person(birth_date), TODAY) == expected


def test_leap_day_birthday_counts_on_first_of_march():
    assert age_on(date(2020, 2, 29), date(2027, 2, 28)) == 6
    assert age_on(date(2020, 2, 29), date(2027, 3, 1)) == 7


def test_low_income_comes_from_the_household():
    household = Household(address="x", low_income=True)
    assert derived_tags(person(date(1990, 1, 1), household=household), TODAY) == ["low_income"]


def test_stored_low_income_is_overridden_by_a_household_that_is_not():
    household = Household(address="x", low_income=False)
    resident = person(date(1990, 1, 1), tags=["low_income"], household=household)
    assert effective_tags(resident, TODAY) == []


def test_stale_stored_age_tag_is_dropped():
    resident = person(date(2010, 1, 1), tags=["child_0_6", "diabetes"])
    assert effective_tags(resident, TODAY) == ["diabetes"]


def test_effective_tags_combine_stored_and_derived_in_catalogue_order():
    resident = person(date(1950, 1, 1), tags=["diabetes", "hypertension"])
    assert effective_tags(resident, TODAY) == ["elderly_65", "hypertension", "diabetes"]


@pytest.mark.parametrize(
    ("birth", "on", "unit", "age"),
    [
        (date(2026, 1, 31), date(2026, 2, 28), "months", 0),
        (date(2026, 1, 31), date(2026, 3, 1), "months", 1),
        (date(2026, 5, 1), date(2026, 5, 29), "days", 28),
        (date(2026, 1, 1), date(2026, 4, 1), "weeks", 12),
        (date(2024, 2, 29), date(2025, 2, 28), "years", 0),
        (date(2024, 2, 29), date(2025, 3, 1), "years", 1),
    ],
)
def test_ages_count_completed_units(birth, on, unit, age):
    assert age_in(birth, on, unit) == age


@pytest.mark.parametrize(
    ("birth", "value", "unit", "point"),
    [
        (date(2026, 1, 31), 1, "months", date(2026, 3, 1)),  # no 31 February: 1 March
        (date(2025, 10, 31), 1, "months", date(2025, 12, 1)),  # no 31 November
        (date(2025, 11, 30), 3, "months", date(2026, 3, 1)),  # no 30 February
        (date(2024, 2, 29), 1, "years", date(2025, 3, 1)),
        (date(2026, 5, 1), 4, "weeks", date(2026, 5, 29)),
        (date(2025, 12, 15), 1, "months", date(2026, 1, 15)),  # across the year
    ],
)
def test_an_age_point_is_the_first_day_of_that_age(birth, value, unit, point):
    assert age_point(birth, value, unit) == point
    assert age_in(birth, point, unit) == value
    assert age_in(birth, point - timedelta(days=1), unit) == value - 1
