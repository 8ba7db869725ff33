"""The demo's answers keep every rule of the definitions, issue 17's included: the server
accepts them, computed fields hold what the server computes, and a met danger value has its
"reported today" answered."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from server.demo.answers import sample_data
from server.domain.records.catalogue import check_definition, form_files, read_form_file
from server.domain.records.danger import met_dangers
from server.domain.records.formrules import form_schema
from tests.contracts.tables import definition_for

TODAY = date(2026, 6, 1)
SEEDS = range(40)
RULES = check_definition(definition_for("formrules_rules", {"code": "k", "version": 1}))
FILES = [read_form_file(file) for file in form_files()]


def _samples(definition: dict, birth: date | None = date(2025, 11, 3)) -> list[tuple[date, dict]]:
    out = []
    for seed in SEEDS:
        rng = random.Random(seed)
        visit = TODAY - timedelta(days=rng.randint(0, 60))
        prior = [{"form_code": definition["code"], "visit_date": visit, "review_status": "pending"}]
        data = sample_data(rng, definition, visit, [], today=TODAY, birth_date=birth, prior=prior)
        out.append((visit, data))
    return out


@pytest.mark.parametrize(
    "definition", [RULES, *FILES], ids=lambda d: f"{d['code']}-v{d['version']}"
)
def test_the_server_accepts_every_demo_answer(definition):
    schema = form_schema(definition)
    for visit, data in _samples(definition):
        assert schema.errors(data, today=TODAY, visit_date=visit) == {}, data


def test_demo_answers_exercise_the_computed_fields_and_offsets():
    filled = [data for _visit, data in _samples(RULES) if "lmp" in data]
    assert filled
    assert all("edd" in data and "weeks" in data for data in filled)


def test_a_demo_answer_that_meets_a_danger_value_has_the_report_answered():
    met = [data for _visit, data in _samples(RULES) if met_dangers(RULES, data)]
    assert met
    assert all(data["reported"] is not None for data in met)


def test_the_visit_number_counts_the_residents_earlier_records():
    numbers = {data.get("visit_no") for _visit, data in _samples(RULES)}
    assert 2 in numbers
