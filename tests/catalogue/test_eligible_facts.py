"""The hard facts of eligibility a pushed record must meet (records/eligible_facts.py)."""

from __future__ import annotations

from datetime import date

import pytest

from server.domain.records.eligible_facts import (
    BEFORE_BIRTH,
    WRONG_AGE,
    WRONG_SEX,
    fact_problems,
)

MATERNAL = {"eligibility": {"sex": "F", "min_age": 15, "max_age": 49, "tags_any": ["pregnant"]}}
NEWBORN = {"eligibility": {"max_age": {"value": 28, "unit": "days"}}}
OPEN = {"eligibility": None}
BOTH = [WRONG_SEX, WRONG_AGE]


@pytest.mark.parametrize(
    ("definition", "birth", "sex", "visit", "expected"),
    [
        (MATERNAL, date(1995, 3, 1), "F", date(2026, 11, 1), {}),
        (MATERNAL, date(2026, 11, 2), "M", date(2026, 11, 1), {"visit_date": [BEFORE_BIRTH]}),
        (MATERNAL, date(1995, 3, 1), "M", date(2026, 11, 1), {"resident_id": [WRONG_SEX]}),
        (MATERNAL, date(2012, 11, 2), "F", date(2026, 11, 1), {"resident_id": [WRONG_AGE]}),
        (MATERNAL, date(2011, 11, 1), "F", date(2026, 11, 1), {}),
        (MATERNAL, date(1976, 11, 1), "F", date(2026, 11, 1), {"resident_id": [WRONG_AGE]}),
        (MATERNAL, date(1976, 11, 2), "F", date(2026, 11, 1), {}),
        (MATERNAL, date(1940, 1, 1), "M", date(2026, 11, 1), {"resident_id": BOTH}),
        (MATERNAL, None, "F", date(2026, 11, 1), {"resident_id": [WRONG_AGE]}),
        (NEWBORN, date(2026, 10, 4), "M", date(2026, 11, 1), {}),
        (NEWBORN, date(2026, 10, 3), "M", date(2026, 11, 1), {"resident_id": [WRONG_AGE]}),
        (NEWBORN, date(2026, 11, 1), "F", date(2026, 11, 1), {}),
        (OPEN, date(2026, 11, 2), "F", date(2026, 11, 1), {"visit_date": [BEFORE_BIRTH]}),
        (OPEN, None, None, date(2026, 11, 1), {}),
    ],
    ids=[
        "woman of 31",
        "visit before birth",
        "man on a women's form",
        "girl one day short of 14",
        "girl of 15 that day",
        "woman of 50",
        "woman one day short of 50",
        "old man: sex and age",
        "unknown birth date fails an age bound",
        "newborn of 28 days",
        "newborn of 29 days",
        "born on the visit day",
        "no eligibility still needs the resident born",
        "no eligibility, nothing known",
    ],
)
def test_a_record_must_fit_its_forms_sex_and_ages_at_the_visit(
    definition, birth, sex, visit, expected
):
    assert fact_problems(definition, birth, sex, visit) == expected
