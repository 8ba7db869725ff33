"""GET /api/forms for phones and POST /api/forms for the county administrator."""

from __future__ import annotations

import pytest

from server.domain.records.catalogue import form_files
from server.domain.records.formdata import validate_form_data
from server.extensions import db
from tests.catalogue.conftest import file_definition, latest_version
from tests.catalogue.samples import VALID

pytestmark = pytest.mark.usefixtures("catalogue", "world")


def new_version(code: str = "health_literacy", above: int = 1) -> dict:
    """The next version (`above` numbers past the latest file) with one question more."""
    definition = file_definition(code, latest_version(code))
    definition["version"] = latest_version(code) + above
    definition["fields"].append(
        {
            "name": "village_broadcast",
            "type": "yes_no",
            "label": {"zh": "村广播", "en": "Village radio"},
        }
    )
    return definition


class TestList:
    def test_a_signed_in_assistant_gets_every_current_form_with_its_status(self, client, auth):
        response = client.get("/api/forms", headers=auth.headers("asst1"))
        assert response.status_code == 200
        forms = response.get_json()["forms"]
        assert [(f["code"], f["version"]) for f in forms] == [
            (f.code, f.version) for f in form_files()
        ]
        current = [f["code"] for f in forms if f["status"] == "current"]
        assert sorted(current) == sorted({f.code for f in form_files()})
        assert next(f for f in forms if f["code"] == "postpartum_visit")["fields"][0]["name"] == (
            "visit_number"
        )

    def test_anonymous_callers_are_refused(self, client):
        assert client.get("/api/forms").status_code == 401

    def test_an_unchanged_catalogue_answers_304_to_its_etag(self, client, auth):
        headers = auth.headers("asst1")
        etag = client.get("/api/forms", headers=headers).headers["ETag"]
        again = client.get("/api/forms", headers={**headers, "If-None-Match": etag})
        assert again.status_code == 304
        assert again.data == b""

    def test_publishing_changes_the_etag(self, client, auth):
        headers = auth.headers("admin")
        etag = client.get("/api/forms", headers=headers).headers["ETag"]
        client.post("/api/forms", json=new_version(), headers=headers)
        again = client.get("/api/forms", headers={**headers, "If-None-Match": etag})
        assert again.status_code == 200
        assert again.headers["ETag"] != etag

    def test_the_previous_version_is_still_listed_as_accepted(self, client, auth):
        headers = auth.headers("admin")
        client.post("/api/forms", json=new_version(), headers=headers)
        forms = client.get("/api/forms", headers=headers).get_json()["forms"]
        literacy = [(f["version"], f["status"]) for f in forms if f["code"] == "health_literacy"]
        latest = latest_version("health_literacy")
        assert literacy == [(v, "accepted") for v in range(1, latest + 1)] + [
            (latest + 1, "current")
        ]


class TestPublish:
    def test_an_admin_publishes_a_new_version(self, client, auth):
        response = client.post("/api/forms", json=new_version(), headers=auth.headers("admin"))
        assert response.status_code == 201
        assert response.get_json()["version"] == latest_version("health_literacy") + 1
        assert response.get_json()["status"] == "current"

    def test_records_of_the_old_version_stay_valid(self, client, auth):
        client.post("/api/forms", json=new_version(), headers=auth.headers("admin"))
        data = {**VALID["health_literacy"], "activity_date": "2026-01-05"}
        assert validate_form_data(db.session, "health_literacy", 1, data) == {}

    def test_a_supervisor_may_not_publish(self, client, auth):
        response = client.post("/api/forms", json=new_version(), headers=auth.headers("sup1"))
        assert response.status_code == 403

    def test_republishing_an_existing_version_conflicts(self, client, auth):
        definition = file_definition("health_literacy")
        definition["title"]["en"] = "Edited in place"
        response = client.post("/api/forms", json=definition, headers=auth.headers("admin"))
        assert response.status_code == 409
        assert response.get_json()["code"] == "form_version_exists"

    def test_a_version_older_than_the_latest_conflicts(self, client, auth):
        headers = auth.headers("admin")
        client.post("/api/forms", json=new_version(above=2), headers=headers)
        response = client.post("/api/forms", json=new_version(above=1), headers=headers)
        assert response.status_code == 409

    def test_a_choice_without_options_is_refused_on_that_field(self, client, auth):
        definition = new_version()
        definition["fields"][0]["options"] = []
        response = client.post("/api/forms", json=definition, headers=auth.headers("admin"))
        assert response.status_code == 422
        assert response.get_json()["errors"] == {
            "fields": {"0": {"options": ["Choice fields need at least one option."]}}
        }

    @pytest.mark.parametrize(
        ("change", "errors"),
        [
            (
                {"type": "photo"},
                {
                    "type": [
                        "Must be one of: text, integer, decimal, date, choice, multi_choice, "
                        "yes_no, blood_pressure, resident."
                    ]
                },
            ),
            (
                {"show_if": {"field": "no_such_field", "equals": "x"}},
                {
                    "show_if": [
                        "show_if refers to 'no_such_field', which is not an earlier field "
                        "of this form."
                    ]
                },
            ),
            (
                {"show_if": {"field": "activity_type", "equals": "concert"}},
                {"show_if": ["show_if compares 'activity_type' with a value it cannot have."]},
            ),
            ({"max_length": 10}, {"max_length": ["Only text fields take `max_length`."]}),
        ],
    )
    def test_a_bad_field_is_refused_with_its_error(self, client, auth, change, errors):
        definition = new_version()
        definition["fields"][-1].update(change)
        response = client.post("/api/forms", json=definition, headers=auth.headers("admin"))
        assert response.status_code == 422
        index = str(len(definition["fields"]) - 1)
        assert response.get_json()["errors"] == {"fields": {index: errors}}

    def test_a_follow_up_to_an_unknown_form_is_refused(self, client, auth):
        definition = new_version()
        definition["follow_up"] = {"form": "dental_checkup", "within_days": 30}
        response = client.post("/api/forms", json=definition, headers=auth.headers("admin"))
        assert response.status_code == 422
        assert response.get_json()["errors"] == {
            "follow_up": {"form": ["Unknown form 'dental_checkup'."]}
        }
