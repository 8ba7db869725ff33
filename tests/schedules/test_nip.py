"""The national immunisation schedule editions (server/schedules/nip/)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from server.domain.schedules.nip import (
    SCHEDULES_DIR,
    Age,
    ScheduleError,
    check_schedule,
    parse_age,
    schedule,
    versions,
)
from tests.catalogue.conftest import file_definition

VERSIONS = versions()


def _raw(version: str = "nip_2025") -> dict:
    return json.loads((SCHEDULES_DIR / f"{version}.json").read_text(encoding="utf-8"))


def test_both_editions_are_shipped():
    assert VERSIONS == ["nip_2021", "nip_2025"]


@pytest.mark.parametrize("version", VERSIONS)
def test_every_dose_code_is_an_option_of_the_vaccination_notice(version):
    options = {o["value"] for o in file_definition("vaccination_notice", 2)["fields"][1]["options"]}
    assert set(schedule(version).codes) <= options


@pytest.mark.parametrize("version", VERSIONS)
def test_every_age_and_limit_parses_and_every_limit_comes_after_its_age(version):
    for dose in schedule(version).doses:
        assert isinstance(dose.age, Age)
        assert dose.complete_by is None or dose.complete_by.approx_days() > dose.age.approx_days()


@pytest.mark.parametrize(
    ("version", "ages"),
    [
        ("nip_2025", {"dtap_1": 2, "dtap_2": 4, "dtap_3": 6, "dtap_4": 18}),
        ("nip_2021", {"dtap_1": 3, "dtap_2": 4, "dtap_3": 5, "dtap_4": 18}),
    ],
)
def test_dtap_is_given_at_the_months_of_its_edition(version, ages):
    found = {code: schedule(version).dose(code).age for code in ages}
    assert found == {code: Age(months, "months") for code, months in ages.items()}


def test_since_2025_dtap_5_at_six_replaces_the_dt_booster():
    new, old = schedule("nip_2025"), schedule("nip_2021")
    assert new.dose("dtap_5").age == Age(6, "years")
    assert new.dose("dtap_5").complete_by == Age(7, "years")
    assert "dtap_5" not in old.codes
    assert old.dose("dt_1").age == Age(6, "years")
    assert new.dose("dt_1").age == Age(7, "years")  # catch-up at 7 to 11 only


@pytest.mark.parametrize(
    ("version", "code", "due", "late"),
    [
        ("nip_2025", "dtap_1", date(2025, 5, 15), None),
        ("nip_2021", "dtap_1", date(2025, 6, 15), None),
        ("nip_2025", "dtap_3", date(2025, 9, 15), date(2026, 3, 15)),
        ("nip_2025", "bcg_1", date(2025, 3, 15), date(2025, 6, 15)),
        ("nip_2025", "hepb_1", date(2025, 3, 15), date(2025, 3, 16)),
        ("nip_2025", "dtap_5", date(2031, 3, 15), date(2032, 3, 15)),
    ],
)
def test_a_dose_falls_due_and_late_on_calendar_days_from_the_birth(version, code, due, late):
    dose = schedule(version).dose(code)
    born = date(2025, 3, 15)
    assert (dose.due_on(born), dose.late_from(born)) == (due, late)


def test_a_month_age_from_the_31st_falls_on_the_first_of_the_next_month():
    assert schedule("nip_2025").dose("dtap_1").due_on(date(2025, 12, 31)) == date(2026, 3, 1)


def test_hpv_is_for_girls_born_from_10_november_2011_in_the_2025_edition_only():
    hpv = schedule("nip_2025").dose("hpv_1")
    assert hpv.age == Age(13, "years")
    assert hpv.applies_to("F", date(2011, 11, 10))
    assert not hpv.applies_to("F", date(2011, 11, 9))
    assert not hpv.applies_to("M", date(2012, 1, 1))
    assert not hpv.applies_to(None, date(2012, 1, 1))
    assert not hpv.applies_to("F", None)
    assert "hpv_1" not in schedule("nip_2021").codes


def test_a_dose_without_a_condition_applies_to_every_child():
    assert schedule("nip_2025").dose("bcg_1").applies_to(None, None)


def test_the_second_hpv_dose_comes_six_months_after_the_first():
    assert schedule("nip_2025").dose("hpv_2").min_interval == {
        "after": "hpv_1",
        "value": 6,
        "unit": "months",
    }


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"value": 3}, "an age is"),
        ({"value": -1, "unit": "days"}, "at least 0"),
        ({"value": 1.5, "unit": "months"}, "whole number"),
        ({"value": True, "unit": "months"}, "whole number"),
        ({"value": 1, "unit": "hours"}, "unit must be one of"),
    ],
)
def test_a_malformed_age_is_refused(raw, message):
    with pytest.raises(ScheduleError, match=message):
        parse_age(raw)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s["doses"].append(dict(s["doses"][0])), "appears twice"),
        (lambda s: s["doses"][0].update(code="HepB-1"), "a dose code is"),
        (lambda s: s["doses"][2].update(complete_by={"value": 3, "unit": "months"}), "after"),
        (lambda s: s["doses"][0].update(condition={"sex": "F", "ethnicity": "x"}), "condition"),
        (lambda s: s["doses"][0].update(vaccine={"zh": "乙肝"}), "needs zh and en"),
        (lambda s: s.update(version="2025"), "version is like"),
        (lambda s: s.update(alternatives=[["jel", "yellow_fever"]]), "alternatives"),
        (lambda s: s["doses"][-1]["min_interval"].update(after="hpv_3"), "earlier dose"),
    ],
)
def test_a_broken_schedule_is_refused_saying_where(change, message):
    raw = _raw()
    change(raw)
    with pytest.raises(ScheduleError, match=message):
        check_schedule(raw)


def test_an_unknown_edition_is_refused():
    with pytest.raises(ScheduleError, match="no immunisation schedule 'nip_1999'"):
        schedule("nip_1999")
