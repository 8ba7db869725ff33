"""Form history in the repository: every published version stays in server/forms/, unchanged.

`published_forms.json` beside this file records the digest each version had when it was
published; a file edited afterwards fails here before any deployment refuses it.
"""

from __future__ import annotations

import json
import shutil
import tomllib
from datetime import date
from importlib import resources
from pathlib import Path

import pytest
from sqlalchemy import select

from server.domain.records.catalogue import (
    FORMS_DIR,
    CatalogueError,
    current_definitions,
    digest_of,
    form_files,
    listed_definitions,
    load_definitions,
    publish_definition,
    read_form_file,
)
from server.domain.records.formdata import validate_form_data
from server.domain.records.model import FormDefinition
from server.extensions import db
from tests.catalogue.conftest import file_definition, write_version
from tests.catalogue.samples import VALID

ROOT = Path(__file__).resolve().parents[2]
PUBLISHED: dict[str, str] = json.loads(
    (Path(__file__).with_name("published_forms.json")).read_text(encoding="utf-8")
)
FILES = form_files()
TODAY = date(2026, 3, 10)
LITERACY = max(file.version for file in FILES if file.code == "health_literacy")
NEXT = LITERACY + 1


def with_question(definition: dict, version: int) -> dict:
    """A next version that adds a required question, so records of the two versions differ."""
    question = {
        "name": "village_broadcast",
        "type": "yes_no",
        "label": {"zh": "村广播", "en": "Village radio"},
        "required": True,
    }
    return {**definition, "version": version, "fields": [*definition["fields"], question]}


class TestImmutability:
    @pytest.mark.parametrize("file", FILES, ids=lambda file: file.name)
    def test_a_published_file_still_has_the_digest_it_was_published_with(self, file):
        if file.name not in PUBLISHED:
            pytest.fail(
                f"{file.name} is new: add "
                f'"{file.name}": "{digest_of(read_form_file(file))}" to published_forms.json.'
            )
        assert digest_of(read_form_file(file)) == PUBLISHED[file.name], (
            f"{file.name} changed after it was published; restore it and put the change in a "
            "new version file."
        )

    def test_no_published_version_file_is_removed(self):
        assert set(PUBLISHED) <= {file.name for file in FILES}

    def test_each_stored_version_has_the_digest_of_its_file(self, app):
        load_definitions(db.session)
        db.session.commit()
        db.session.expire_all()
        rows = db.session.scalars(select(FormDefinition)).all()
        assert {f"{r.code}/v{r.version}.json": r.digest for r in rows} == PUBLISHED
        assert all(digest_of(row.definition) == row.digest for row in rows)


class TestLayout:
    def test_versions_load_in_number_order_not_name_order(self, tmp_path):
        definition = file_definition("health_literacy")
        for version in (10, 2, 1):
            write_version(
                tmp_path, {**definition, "version": version}, f"health_literacy/v{version}.json"
            )
        assert [file.version for file in form_files(tmp_path)] == [1, 2, 10]

    @pytest.mark.parametrize(
        "name", ["health_literacy.json", "health_literacy/1.json", "health_literacy/old/v1.json"]
    )
    def test_a_json_file_outside_the_layout_is_refused(self, tmp_path, name):
        write_version(tmp_path, file_definition("health_literacy"), name)
        with pytest.raises(CatalogueError, match=r"a form version is <code>/v<N>\.json"):
            form_files(tmp_path)

    def test_a_file_declaring_another_version_than_its_name_is_refused(self, app, tmp_path):
        write_version(tmp_path, file_definition("health_literacy"), "health_literacy/v2.json")
        with pytest.raises(CatalogueError, match=r"v2\.json declares health_literacy version 1"):
            load_definitions(db.session, tmp_path)

    def test_a_file_declaring_another_code_than_its_folder_is_refused(self, app, tmp_path):
        write_version(tmp_path, file_definition("health_literacy"), "health_education/v1.json")
        with pytest.raises(CatalogueError, match=r"health_education/v1\.json declares health_lit"):
            load_definitions(db.session, tmp_path)

    def test_package_data_ships_every_version_file(self):
        config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
        patterns = config["tool"]["setuptools"]["package-data"]["server"]
        shipped = {path for pattern in patterns for path in (ROOT / "server").glob(pattern)}
        assert {file.path for file in FILES} <= shipped

    def test_importlib_resources_finds_every_version_file(self):
        forms = resources.files("server") / "forms"
        assert all((forms / file.code / file.path.name).is_file() for file in FILES)


class TestLoadFormsCommand:
    def test_an_edited_published_version_fails_the_command_naming_it(self, app, runner):
        edited = file_definition("health_literacy")
        edited["title"]["en"] = "Health literacy (edited)"
        publish_definition(db.session, edited, None)
        db.session.commit()
        result = runner.invoke(args=["load-forms"])
        assert result.exit_code != 0
        assert "health_literacy version 1 is already published" in result.output
        assert db.session.scalars(select(FormDefinition.code)).all() == ["health_literacy"]


class TestASecondVersionInTheRepository:
    """A tmp copy of server/forms/ with a next version of one form, as its publishing commit."""

    @pytest.fixture
    def forms(self, app, tmp_path) -> Path:
        directory = tmp_path / "forms"
        shutil.copytree(FORMS_DIR, directory)
        newer = with_question(file_definition("health_literacy", LITERACY), NEXT)
        write_version(directory, newer)
        load_definitions(db.session, directory)
        db.session.commit()
        return directory

    @pytest.mark.parametrize("code", sorted(VALID))
    def test_records_pinned_to_version_one_still_validate_against_it(self, forms, code):
        assert validate_form_data(db.session, code, 1, VALID[code], today=TODAY) == {}

    def test_the_new_question_belongs_to_the_new_version_only(self, forms):
        old = VALID["health_literacy"]
        new = {**old, "village_broadcast": True}
        assert validate_form_data(db.session, "health_literacy", NEXT, new, today=TODAY) == {}
        assert validate_form_data(db.session, "health_literacy", 1, new, today=TODAY) == {
            "village_broadcast": ["Unknown field."]
        }
        assert validate_form_data(db.session, "health_literacy", NEXT, old, today=TODAY) == {
            "village_broadcast": ["This field is required."]
        }

    def test_new_records_are_filled_with_the_latest_version(self, forms):
        versions = {d["code"]: d["version"] for d in current_definitions(db.session)}
        assert versions == {file.code: file.version for file in form_files(forms)}
        assert versions["health_literacy"] == NEXT

    def test_the_catalogue_lists_older_versions_as_accepted_and_the_new_one_current(self, forms):
        listed = listed_definitions(db.session)
        literacy = [(r.version, r.status) for r in listed if r.code == "health_literacy"]
        assert literacy == [(v, "accepted") for v in range(1, NEXT)] + [(NEXT, "current")]
        assert len(listed) == len(FILES) + 1

    def test_loading_the_same_directory_again_changes_nothing(self, forms):
        assert load_definitions(db.session, forms) == []
