"""The version files in server/forms/<code>/v<N>.json and loading them into the catalogue."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from server.domain.records.catalogue import (
    CatalogueError,
    VersionConflict,
    check_definition,
    current_definitions,
    eligible,
    form_files,
    load_definitions,
)
from server.domain.records.formfields import FIELD_TYPES
from server.domain.records.model import FormDefinition
from server.extensions import db
from tests.catalogue.conftest import file_definition, write_version

CODES = [
    "health_record",
    "health_education",
    "vaccination_notice",
    "child_checkup",
    "early_pregnancy",
    "postpartum_visit",
    "elderly_checkup",
    "hypertension_followup",
    "diabetes_followup",
    "mental_disorder_followup",
    "tuberculosis_followup",
    "supervision_clue",
    "contraceptive_distribution",
    "two_cancer_screening",
    "health_literacy",
]
ACTIVITIES = {"health_education", "supervision_clue", "health_literacy"}
FILES = form_files()


def file_ids(file) -> str:
    return file.name


def labels_of(definition: dict) -> list[dict]:
    found = [definition["title"]]
    for field in definition["fields"]:
        found.append(field["label"])
        found.extend(option["label"] for option in field.get("options", []))
    return found


def test_there_is_one_folder_per_service_item():
    assert sorted({file.code for file in FILES}) == sorted(CODES)


@pytest.mark.parametrize("file", FILES, ids=file_ids)
def test_each_file_passes_the_definition_schema_unchanged(file):
    definition = file_definition(file.code, file.version)
    assert check_definition(definition) == definition


@pytest.mark.parametrize("file", FILES, ids=file_ids)
def test_each_file_declares_the_code_of_its_folder_and_the_version_of_its_name(file):
    definition = file_definition(file.code, file.version)
    assert definition["code"] == file.path.parent.name
    assert file.path.name == f"v{definition['version']}.json"


@pytest.mark.parametrize("file", FILES, ids=file_ids)
def test_every_title_label_and_option_is_in_chinese_and_english(file):
    for label in labels_of(file_definition(file.code, file.version)):
        assert set(label) == {"zh", "en"}
        assert label["zh"].strip() and label["en"].strip()


@pytest.mark.parametrize("file", FILES, ids=file_ids)
def test_every_field_has_a_known_type_and_choices_have_options(file):
    for field in file_definition(file.code, file.version)["fields"]:
        assert field["type"] in FIELD_TYPES
        if field["type"] in ("choice", "multi_choice"):
            assert len(field["options"]) >= 1


@pytest.mark.parametrize("file", FILES, ids=file_ids)
def test_show_if_refers_to_an_earlier_field_of_the_same_form(file):
    seen: set[str] = set()
    for field in file_definition(file.code, file.version)["fields"]:
        if "show_if" in field:
            assert field["show_if"]["field"] in seen
        seen.add(field["name"])


@pytest.mark.parametrize("file", FILES, ids=file_ids)
def test_every_form_is_non_medical_with_a_weight_and_a_subject(file):
    definition = file_definition(file.code, file.version)
    assert definition["non_medical"] is True
    assert definition["weight"] > 0
    expected = "activity" if file.code in ACTIVITIES else "resident"
    assert definition["subject"] == expected


def test_postpartum_visits_schedule_the_next_visit():
    assert file_definition("postpartum_visit")["follow_up"] == {
        "form": "postpartum_visit",
        "within_days": 7,
    }


def test_every_version_file_is_stored_with_the_newest_of_each_form_current(app):
    load_definitions(db.session)
    newest = {file.code: file.version for file in FILES}  # FILES runs in version order
    rows = db.session.scalars(select(FormDefinition)).all()
    assert sorted((r.code, r.version, r.status) for r in rows) == sorted(
        (f.code, f.version, "current" if f.version == newest[f.code] else "accepted") for f in FILES
    )


def test_loading_twice_adds_nothing(app):
    load_definitions(db.session)
    assert load_definitions(db.session) == []
    assert len(db.session.scalars(select(FormDefinition)).all()) == len(FILES)


def test_a_file_edited_in_place_is_refused_naming_the_code_and_version(app, tmp_path):
    definition = file_definition("health_literacy")
    write_version(tmp_path, definition)
    load_definitions(db.session, tmp_path)
    definition["title"]["en"] = "Health literacy (edited)"
    write_version(tmp_path, definition)
    with pytest.raises(VersionConflict, match="health_literacy version 1 is already published"):
        load_definitions(db.session, tmp_path)


def test_a_new_file_version_becomes_current_and_the_old_one_accepted(app, tmp_path):
    definition = file_definition("health_literacy")
    write_version(tmp_path, definition)
    load_definitions(db.session, tmp_path)
    write_version(tmp_path, {**definition, "version": 2})
    load_definitions(db.session, tmp_path)
    rows = db.session.scalars(select(FormDefinition).order_by(FormDefinition.version)).all()
    assert [(r.version, r.status) for r in rows] == [(1, "accepted"), (2, "current")]


def test_an_invalid_file_is_refused_with_its_name(app, tmp_path):
    definition = file_definition("health_literacy")
    definition["fields"][0]["type"] = "photo"
    write_version(tmp_path, definition)
    with pytest.raises(CatalogueError, match=r"health_literacy/v1\.json"):
        load_definitions(db.session, tmp_path)


ON = date(2026, 6, 1)


def born_aged(years: int) -> date:
    """A birth date that makes a resident `years` old on ON (their birthday that day)."""
    return ON.replace(year=ON.year - years)


class TestEligibility:
    def test_postpartum_visits_apply_to_women_tagged_postpartum(self):
        definition = file_definition("postpartum_visit")
        assert eligible(definition, born_aged(28), ON, "F", ["postpartum"])
        assert not eligible(definition, born_aged(28), ON, "F", [])
        assert not eligible(definition, born_aged(28), ON, "M", ["postpartum"])

    def test_age_bounds_are_inclusive(self):
        definition = file_definition("two_cancer_screening")
        assert eligible(definition, born_aged(35), ON, "F", [])
        assert eligible(definition, born_aged(65) + timedelta(days=1), ON, "F", [])
        assert not eligible(definition, born_aged(35) + timedelta(days=1), ON, "F", [])
        assert not eligible(definition, born_aged(65), ON, "F", [])

    def test_a_resident_of_unknown_age_does_not_meet_an_age_bound(self):
        assert not eligible(file_definition("elderly_checkup"), None, ON, "M", [])

    def test_a_form_without_conditions_applies_to_everyone(self):
        assert eligible(file_definition("health_record"), ON, ON, "M", [])

    def test_activity_forms_apply_to_no_resident(self):
        assert not eligible(file_definition("health_education"), born_aged(40), ON, "F", [])


def test_current_definitions_give_the_newest_version_of_each_form(app, tmp_path):
    definition = file_definition("health_literacy")
    write_version(tmp_path, definition)
    write_version(tmp_path, {**file_definition("health_record")})
    load_definitions(db.session, tmp_path)
    write_version(tmp_path, {**definition, "version": 2})
    load_definitions(db.session, tmp_path)
    assert [(d["code"], d["version"]) for d in current_definitions(db.session)] == [
        ("health_literacy", 2),
        ("health_record", 1),
    ]
