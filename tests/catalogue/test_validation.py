"""validate_form_data: what a pushed record's form data must satisfy, field by field."""

from __future__ import annotations

from datetime import date

import pytest

from server.domain.records.catalogue import publish_definition
from server.domain.records.formdata import validate_form_data
from server.domain.records.formrules import form_schema
from server.domain.records.model import FormDefinition
from server.extensions import db
from tests.catalogue.conftest import file_definition, latest_version
from tests.catalogue.samples import RESIDENT_ID, VALID

TODAY = date(2026, 3, 10)
pytestmark = pytest.mark.usefixtures("catalogue")


def errors(code: str, data, version: int = 1) -> dict[str, list[str]]:
    return validate_form_data(db.session, code, version, data, today=TODAY)


def hypertension(**changes) -> dict:
    return {**VALID["hypertension_followup"], **changes}


@pytest.mark.parametrize("code", sorted(VALID))
def test_a_complete_sample_of_every_form_is_valid(code):
    assert errors(code, VALID[code]) == {}


@pytest.mark.parametrize("code", sorted(VALID))
def test_every_form_reports_its_required_fields_when_empty(code):
    required = [
        f["name"] for f in file_definition(code)["fields"] if f["required"] and "show_if" not in f
    ]
    problems = errors(code, {})
    assert required
    assert {name: problems[name] for name in required} == {
        name: ["This field is required."] for name in required
    }


@pytest.mark.parametrize(
    ("code", "field", "value", "message"),
    [
        ("health_education", "topic", 42, "Enter text."),
        ("health_education", "topic", "长" * 101, "Must be at most 100 characters."),
        ("health_education", "participants", 3.5, "Enter a whole number."),
        ("health_education", "participants", "35", "Enter a whole number."),
        ("health_education", "participants", True, "Enter a whole number."),
        ("health_education", "participants", 0, "Must be between 1 and 2000 人."),
        ("health_education", "participants", 2001, "Must be between 1 and 2000 人."),
        ("hypertension_followup", "weight_kg", "68.5", "Enter a number."),
        ("hypertension_followup", "weight_kg", 19.9, "Must be between 20 and 250 kg."),
        (
            "hypertension_followup",
            "next_followup_date",
            "2026/06/01",
            "Enter a date as YYYY-MM-DD.",
        ),
        ("hypertension_followup", "next_followup_date", "2026-02-30", "Enter a real date."),
        ("hypertension_followup", "medication", "lots", "Choose one of the listed options."),
        ("hypertension_followup", "complaints", "none", "Choose from the listed options."),
        ("hypertension_followup", "complaints", ["fever"], "Choose only from the listed options."),
        ("hypertension_followup", "complaints", ["none", "none"], "Choose each option only once."),
        ("hypertension_followup", "advised_to_see_doctor", "yes", "Choose yes or no."),
        ("hypertension_followup", "advised_to_see_doctor", 1, "Choose yes or no."),
        ("vaccination_notice", "guardian", "someone", "Choose a registered resident."),
        ("vaccination_notice", "guardian", 7, "Choose a registered resident."),
    ],
)
def test_a_value_of_the_wrong_kind_or_out_of_range_is_reported_on_its_field(
    code, field, value, message
):
    assert errors(code, {**VALID[code], field: value}) == {field: [message]}


@pytest.mark.parametrize(
    ("code", "field", "value"),
    [
        ("health_education", "participants", 2000),
        ("health_education", "participants", 1.0),
        ("hypertension_followup", "weight_kg", 20),
        ("hypertension_followup", "alcohol_liang_per_day", 0),
        ("hypertension_followup", "notes", ""),
        ("hypertension_followup", "notes", None),
        ("hypertension_followup", "complaints", ["dizziness", "numbness"]),
        ("hypertension_followup", "advised_to_see_doctor", False),
        ("vaccination_notice", "guardian", RESIDENT_ID.upper()),
    ],
)
def test_boundary_and_empty_optional_values_are_accepted(code, field, value):
    assert errors(code, {**VALID[code], field: value}) == {}


def test_a_blank_required_text_counts_as_missing():
    data = {**VALID["health_education"], "topic": "   "}
    assert errors("health_education", data) == {"topic": ["This field is required."]}


def test_an_empty_required_multiple_choice_counts_as_missing():
    assert errors("hypertension_followup", hypertension(complaints=[])) == {
        "complaints": ["This field is required."]
    }


def test_a_field_the_form_does_not_have_is_rejected():
    assert errors("hypertension_followup", hypertension(diagnosis="高血压2级")) == {
        "diagnosis": ["Unknown field."]
    }


def test_form_data_that_is_not_an_object_is_rejected():
    assert errors("hypertension_followup", ["home"]) == {
        "_schema": ["Form data must be an object of field answers."]
    }


def test_questions_may_share_names_with_the_schemas_own_attributes():
    """A question called `fields`, `load` or `errors` is a question like any other."""
    definition = {
        "code": "t",
        "version": 1,
        "fields": [
            {"name": "fields", "type": "integer", "required": True, "min": 0},
            {"name": "load", "type": "date", "not_future": True},
            {"name": "errors", "type": "text", "show_if": {"field": "fields", "equals": 1}},
        ],
    }  # fmt: skip
    schema = form_schema(definition)
    answers = {"fields": 1, "load": "2026-03-01", "errors": "x"}
    assert schema.errors(answers, TODAY) == {}
    assert schema.load(answers, today=TODAY) == {**answers, "load": date(2026, 3, 1)}
    assert schema.errors({"fields": -1, "load": "2026-04-01", "errors": "x"}, TODAY) == {
        "fields": ["Must be at least 0."],
        "load": ["Must not be in the future."],
        "errors": ["Must be empty: this question depends on fields."],
    }


class TestBloodPressure:
    @pytest.mark.parametrize(
        ("pressure", "message"),
        [
            (
                {"systolic": 120, "diastolic": 120},
                "Systolic pressure must be higher than diastolic pressure.",
            ),
            (
                {"systolic": 80, "diastolic": 120},
                "Systolic pressure must be higher than diastolic pressure.",
            ),
            (
                {"systolic": 59, "diastolic": 40},
                "Systolic pressure must be between 60 and 280 mmHg.",
            ),
            (
                {"systolic": 281, "diastolic": 90},
                "Systolic pressure must be between 60 and 280 mmHg.",
            ),
            (
                {"systolic": 140, "diastolic": 29},
                "Diastolic pressure must be between 30 and 200 mmHg.",
            ),
            ({"systolic": 140.5, "diastolic": 90}, "Systolic pressure must be a whole number."),
            ({"systolic": 140}, "Enter both systolic and diastolic pressure."),
            (
                {"systolic": 140, "diastolic": 90, "pulse": 70},
                "Enter both systolic and diastolic pressure.",
            ),
            ("140/90", "Enter both systolic and diastolic pressure."),
        ],
    )
    def test_a_bad_reading_is_reported(self, pressure, message):
        assert errors("hypertension_followup", hypertension(blood_pressure=pressure)) == {
            "blood_pressure": [message]
        }

    def test_a_reading_just_above_diastolic_is_accepted(self):
        pressure = {"systolic": 91, "diastolic": 90}
        assert errors("hypertension_followup", hypertension(blood_pressure=pressure)) == {}


class TestShowIf:
    def test_a_required_field_is_required_only_when_shown(self):
        data = hypertension(bp_source="measured")
        del data["blood_pressure"], data["heart_rate"]
        assert errors("hypertension_followup", data) == {
            "blood_pressure": ["This field is required."]
        }

    def test_a_hidden_required_field_may_be_absent(self):
        data = hypertension(bp_source="not_measured")
        del data["blood_pressure"], data["heart_rate"]
        assert errors("hypertension_followup", data) == {}

    def test_a_hidden_field_may_be_null(self):
        data = hypertension(bp_source="not_measured", blood_pressure=None, heart_rate=None)
        assert errors("hypertension_followup", data) == {}

    def test_a_hidden_field_with_a_value_is_rejected(self):
        data = hypertension(bp_source="not_measured", heart_rate=None)
        assert errors("hypertension_followup", data) == {
            "blood_pressure": ["Must be empty: this question depends on bp_source."]
        }

    def test_in_shows_the_field_for_any_listed_value(self):
        assert errors("hypertension_followup", hypertension(bp_source="self_reported")) == {}

    def test_a_multiple_choice_shows_the_field_when_any_listed_option_is_chosen(self):
        data = {**VALID["contraceptive_distribution"], "items": ["oral_pill"]}
        assert errors("contraceptive_distribution", data) == {
            "condom_count": ["Must be empty: this question depends on items."]
        }

    def test_a_yes_no_condition_compares_with_true_not_truthy_values(self):
        data = {**VALID["early_pregnancy"], "handbook_issued": False}
        assert errors("early_pregnancy", data) == {
            "handbook_date": ["Must be empty: this question depends on handbook_issued."]
        }

    def test_a_field_behind_a_hidden_field_is_hidden_too(self):
        data = {
            "stage": "notification",
            "screenings": ["breast"],
            "appointment_date": "2026-12-01",
            "notice_method": "phone",
            "attended": None,
            "screening_date": "2026-03-01",
        }
        assert errors("two_cancer_screening", data) == {
            "screening_date": ["Must be empty: this question depends on attended."]
        }


class TestNotFuture:
    def test_today_is_accepted(self):
        data = {**VALID["supervision_clue"], "discovered_date": TODAY.isoformat()}
        assert errors("supervision_clue", data) == {}

    def test_tomorrow_is_rejected(self):
        data = {**VALID["supervision_clue"], "discovered_date": "2026-03-11"}
        assert errors("supervision_clue", data) == {
            "discovered_date": ["Must not be in the future."]
        }

    def test_a_date_without_the_rule_may_be_in_the_future(self):
        data = {**VALID["vaccination_notice"], "appointment_date": "2027-01-05"}
        assert errors("vaccination_notice", data) == {}

    def test_dates_before_1900_are_not_real_dates(self):
        data = {**VALID["supervision_clue"], "discovered_date": "1899-12-31"}
        assert errors("supervision_clue", data) == {"discovered_date": ["Enter a real date."]}


class TestVersions:
    def test_an_unknown_form_is_rejected_under_form_code(self):
        assert errors("dental_checkup", {}) == {"form_code": ["Unknown form 'dental_checkup'."]}

    def test_an_unknown_version_is_rejected_under_form_code(self):
        assert errors("hypertension_followup", {}, version=9) == {
            "form_code": ["Form 'hypertension_followup' has no version 9."]
        }

    def test_a_record_made_with_the_old_version_stays_valid_after_a_new_one(self):
        newer = file_definition("hypertension_followup")
        newer["version"] = latest_version("hypertension_followup") + 1
        newer["fields"] = [f for f in newer["fields"] if f["name"] != "heart_rate"]
        publish_definition(db.session, newer, None)
        assert errors("hypertension_followup", VALID["hypertension_followup"], version=1) == {}
        visit = VALID["hypertension_followup"]
        assert errors("hypertension_followup", visit, version=newer["version"]) == {
            "heart_rate": ["Unknown field."]
        }

    def test_a_retired_version_is_no_longer_accepted(self):
        row = db.session.query(FormDefinition).filter_by(code="health_literacy", version=1).one()
        row.status = "retired"
        db.session.flush()
        assert errors("health_literacy", VALID["health_literacy"]) == {
            "form_code": [
                "Form 'health_literacy' version 1 is retired; "
                "update the app and use the current version."
            ]
        }
