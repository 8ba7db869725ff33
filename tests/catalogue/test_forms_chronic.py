"""The chronic-care, elderly, education and supervision versions of issue 17, as files.

Each sample in samples_chronic.py is a visit an assistant could record and must pass its
version; older versions keep validating their own records; the eligibility, danger values and
visible questions are what docs/forms-v2-chronic.md says. The one-rule-at-a-time cases both
sides run are in tests/contracts/formrules_chronic.json.
"""

from __future__ import annotations

from datetime import date

import pytest

from server.domain.records.catalogue import eligible
from server.domain.records.danger import danger_flags
from server.domain.records.formdata import validate_form_data
from server.domain.records.formrules import visible_fields
from server.extensions import db
from tests.catalogue.conftest import file_definition
from tests.catalogue.samples import VALID
from tests.catalogue.samples_chronic import (
    DIABETES_V3,
    HYPERTENSION_V3,
    LATER_CHRONIC,
    MENTAL_V2,
    SAMPLES,
    TB_CLOSING,
    TB_FIRST,
    VISIT,
)

CODES = sorted({key[0] for key in SAMPLES})


def _id(key: tuple) -> str:
    return "-".join(str(part) for part in key)


@pytest.mark.parametrize("key", SAMPLES, ids=_id)
def test_each_sample_visit_passes_its_version(catalogue, key):
    code, version = key[:2]
    assert validate_form_data(db.session, code, version, SAMPLES[key], VISIT, VISIT) == {}


@pytest.mark.parametrize("key", LATER_CHRONIC, ids=_id)
def test_each_versions_generator_sample_passes_it(catalogue, key):
    assert validate_form_data(db.session, *key, LATER_CHRONIC[key], VISIT, VISIT) == {}


@pytest.mark.parametrize("code", CODES)
def test_version_one_records_still_validate(catalogue, code):
    assert validate_form_data(db.session, code, 1, VALID[code], today=VISIT) == {}


@pytest.mark.parametrize(
    ("code", "version"), [("hypertension_followup", 2), ("diabetes_followup", 2)]
)
def test_version_two_chronic_records_still_validate(catalogue, code, version):
    assert validate_form_data(db.session, code, version, VALID[code], today=VISIT) == {}


@pytest.mark.parametrize("code", ["hypertension_followup", "diabetes_followup"])
@pytest.mark.parametrize(
    ("born", "applies"), [(date(1991, 3, 11), False), (date(1991, 3, 10), True)]
)
def test_chronic_follow_ups_apply_from_35(code, born, applies):
    tag = "hypertension" if code.startswith("hyper") else "diabetes"
    definition = file_definition(code, 3)
    assert eligible(definition, born, VISIT, "F", [tag]) is applies
    assert eligible(file_definition(code, 2), born, VISIT, "F", [tag]) is True


@pytest.mark.parametrize(
    ("changes", "flags"),
    [
        ({}, []),
        ({"blood_pressure": {"systolic": 182, "diastolic": 100}}, ["bp_crisis"]),
        ({"danger_signs": ["confusion"]}, ["danger_signs"]),
        (
            {"blood_pressure": {"systolic": 150, "diastolic": 112}, "danger_signs": ["chest"]},
            ["bp_crisis", "danger_signs"],
        ),
    ],
)
def test_hypertension_danger_flags(changes, flags):
    definition = file_definition("hypertension_followup", 3)
    assert danger_flags(definition, {**HYPERTENSION_V3, **changes}) == flags


@pytest.mark.parametrize(
    ("changes", "flags"),
    [
        ({}, []),
        ({"blood_glucose": 18.2}, ["glucose_high"]),
        ({"blood_glucose": 3.1}, ["glucose_low"]),
        ({"meter_shows": "HI", "blood_glucose": None}, ["glucose_high"]),
        ({"meter_shows": "LO", "blood_glucose": None}, ["glucose_low"]),
        ({"meter_shows": "HI", "blood_glucose": 2.0}, ["glucose_high"]),  # hidden number ignored
        ({"blood_pressure": {"systolic": 120, "diastolic": 110}}, ["bp_crisis"]),
    ],
)
def test_diabetes_danger_flags(changes, flags):
    definition = file_definition("diabetes_followup", 3)
    assert danger_flags(definition, {**DIABETES_V3, **changes}) == flags


@pytest.mark.parametrize(
    ("changes", "flags"),
    [
        ({}, []),
        ({"family_reports": ["self_harm_talk"]}, ["risk_signs"]),
        ({"family_reports": ["wandering", "aggression"]}, ["risk_signs"]),
        ({"incident_since_last": True, "incident_description": "x"}, ["risk_signs"]),
        ({"family_reports": ["sleep", "stopped_medication"]}, []),
    ],
)
def test_mental_disorder_risk_signs(changes, flags):
    definition = file_definition("mental_disorder_followup", 2)
    assert danger_flags(definition, {**MENTAL_V2, **changes}) == flags


def test_a_tb_first_visit_asks_for_the_notice_and_not_the_closing():
    shown = visible_fields(file_definition("tuberculosis_followup", 2), TB_FIRST)
    assert {"notified_on", "treatment_start", "retreatment", "supervisor_type"} <= shown
    assert not {"closing_reason", "treatment_stopped_on", "card_returned_at_close"} & shown


def test_a_tb_closing_asks_for_the_reason_date_and_card_and_not_the_supervisor():
    shown = visible_fields(file_definition("tuberculosis_followup", 2), TB_CLOSING)
    assert {"closing_reason", "treatment_stopped_on", "card_returned_at_close"} <= shown
    assert not {"notified_on", "supervisor_type", "treatment_phase"} & shown


def test_a_tb_patient_not_seen_is_asked_no_dose_questions():
    data = {**TB_FIRST, "saw_patient": False}
    shown = visible_fields(file_definition("tuberculosis_followup", 2), data)
    assert "not_seen_reported" in shown
    assert not {"missed_doses", "card_filled", "complaints"} & shown


@pytest.mark.parametrize("code", ["hypertension_followup", "diabetes_followup"])
def test_chronic_forms_keep_what_the_clinic_did_apart_from_what_the_assistant_did(code):
    definition = file_definition(code, 3)
    specs = {spec["name"]: spec for spec in definition["fields"]}
    clinic = [option["value"] for option in specs["doctor_followup_this_quarter"]["options"]]
    assert clinic == ["done", "booked", "not_yet"]
    assert specs["visit_method"]["label"]["zh"] == "协助方式"
    assert definition["title"]["zh"].endswith("协助随访")
