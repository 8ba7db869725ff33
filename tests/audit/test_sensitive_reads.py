"""Every view of sensitive facts (TB, severe mental disorder) is audited as `read.sensitive`:
a detail view once, a list or an export once per request with the count, none for a viewer who
was shown them masked (docs/security.md, "Sensitive tags")."""

from __future__ import annotations

from datetime import date

import pytest

from server.domain.records.catalogue import load_definitions
from server.extensions import db
from tests.audit.conftest import audit_rows
from tests.factories import make_record, make_resident


@pytest.fixture
def patients(world):
    """Two TB or SMD patients of V1a, one with a TB follow-up, and a neighbour with neither."""
    load_definitions(db.session)
    village, author = world.units["V1a"], world.users["asst1"]
    tb = make_resident(db.session, village, name="甲", tags=["tuberculosis", "hypertension"])
    make_resident(db.session, village, name="乙", tags=["severe_mental_disorder"])
    make_resident(db.session, village, name="丙", tags=["diabetes"])
    record = make_record(
        db.session, tb, author, form_code="tuberculosis_followup", visit_date=date(2026, 11, 3)
    )
    make_record(db.session, tb, author, visit_date=date(2026, 11, 4))
    db.session.commit()
    return {"tb": tb, "record": record}


def test_a_supervisor_opening_a_tb_patient_is_audited_with_what_was_shown(client, auth, patients):
    resident = patients["tb"]
    client.get(f"/api/residents/{resident.id}", headers=auth.headers("sup1"))

    [entry] = audit_rows("read.sensitive")
    assert (entry.entity, entry.entity_id, entry.unit_id) == (
        "resident",
        str(resident.id),
        resident.village_id,
    )
    assert entry.after == {"surface": "resident", "count": 2}  # the tag and the follow-up


def test_the_audit_row_names_no_sensitive_tag(client, auth, patients):
    client.get(f"/api/residents/{patients['tb'].id}", headers=auth.headers("sup1"))

    [entry] = audit_rows("read.sensitive")
    assert "tuberculosis" not in str(entry.after)


def test_an_admin_shown_the_patient_masked_is_not_audited_as_seeing_it(client, auth, patients):
    client.get(f"/api/residents/{patients['tb'].id}", headers=auth.headers("admin"))
    client.get(f"/api/review/records/{patients['record'].id}", headers=auth.headers("admin"))
    client.get("/api/exports/records.csv", headers=auth.headers("admin")).get_data()

    assert audit_rows("read.sensitive") == []


def test_a_list_is_audited_once_with_the_number_of_patients_shown(client, auth, patients):
    response = client.get("/api/residents", headers=auth.headers("sup1"))

    assert response.get_json()["total"] == 3
    [entry] = audit_rows("read.sensitive")
    assert entry.after == {"surface": "residents.list", "count": 2}


def test_a_list_without_sensitive_facts_is_not_audited(client, auth, patients):
    client.get("/api/residents", query_string={"tag": "diabetes"}, headers=auth.headers("sup1"))

    assert audit_rows("read.sensitive") == []


def test_opening_a_tb_follow_up_for_review_is_audited(client, auth, patients):
    record = patients["record"]
    client.get(f"/api/review/records/{record.id}", headers=auth.headers("sup1"))

    [entry] = audit_rows("read.sensitive")
    assert (entry.entity, entry.entity_id) == ("service_record", str(record.id))
    assert entry.after == {"surface": "review.record", "count": 2}


def test_the_review_queue_is_audited_once_per_page(client, auth, patients):
    response = client.get("/api/review/records", headers=auth.headers("sup1"))

    assert response.get_json()["total"] == 2
    [entry] = audit_rows("read.sensitive")
    assert entry.after == {"surface": "review.queue", "count": 1}


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_export_is_audited_once_with_the_sensitive_rows_it_held(client, auth, patients, kind):
    response = client.get(f"/api/exports/records.{kind}", headers=auth.headers("sup1"))
    response.get_data()

    [entry] = audit_rows("read.sensitive")
    assert (entry.entity, entry.entity_id) == ("export", "service_records")
    assert entry.after == {"surface": f"export.{kind}", "count": 1}
