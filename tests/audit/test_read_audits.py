"""Reads of personal data by staff leave audit rows, with ID numbers masked in every one."""

from __future__ import annotations

import csv
import io

from server.core.jsoncodec import dumps
from tests.audit.conftest import FULL_NUMBER, LONG_DIGITS, OTHER_NUMBER, audit_rows


def test_a_supervisor_viewing_a_resident_is_audited_as_seeing_the_full_number(client, auth, people):
    resident = people["r1"]
    response = client.get(f"/api/residents/{resident.id}", headers=auth.headers("sup1"))

    assert response.get_json()["id_number"] == FULL_NUMBER
    [entry] = audit_rows("read.id_number")
    assert (entry.entity, entry.entity_id) == ("resident", str(resident.id))
    assert entry.actor_id == resident_actor(auth, "sup1")
    assert entry.unit_id == resident.village_id
    assert entry.after == {"id_number": FULL_NUMBER[:6] + "*" * 12, "full_number_shown": True}


def resident_actor(auth, username: str) -> int:
    return auth.tokens(username)["user"]["id"]


def test_an_admin_viewing_a_resident_is_audited_as_a_masked_read(client, auth, people):
    client.get(f"/api/residents/{people['r1'].id}", headers=auth.headers("admin"))

    [entry] = audit_rows("read.resident")
    assert entry.after["full_number_shown"] is False
    assert audit_rows("read.id_number") == []


def test_opening_a_record_for_review_is_audited(client, auth, people):
    record = people["rec1"]
    client.get(f"/api/review/records/{record.id}", headers=auth.headers("admin"))
    client.get(f"/api/review/records/{record.id}", headers=auth.headers("sup1"))

    masked, full = audit_rows("read.record"), audit_rows("read.id_number")
    assert [(e.entity, e.entity_id) for e in masked + full] == [
        ("service_record", str(record.id))
    ] * 2
    assert full[0].after["resident_id"] == str(people["r1"].id)


def test_opening_a_household_is_audited(client, auth, world):
    from server.extensions import db
    from tests.factories import make_household, make_resident

    household = make_household(db.session, world.units["V1a"])
    make_resident(db.session, world.units["V1a"], household_id=household.id)
    db.session.commit()

    response = client.get(f"/api/households/{household.id}", headers=auth.headers("admin"))

    assert response.status_code == 200
    [entry] = audit_rows("read.household")
    assert (entry.entity_id, entry.unit_id, entry.after) == (
        str(household.id),
        world.units["V1a"].id,
        {"members": 1},
    )


def test_a_refused_detail_view_writes_no_audit_row(client, auth, people):
    response = client.get(f"/api/residents/{people['r2'].id}", headers=auth.headers("sup1"))

    assert response.status_code == 404
    assert audit_rows() == []


def test_a_search_by_id_digits_is_audited_without_the_digits(client, auth, people):
    headers = auth.headers("sup1")
    client.post("/api/residents/search", json={"q": FULL_NUMBER[-4:]}, headers=headers)
    client.post("/api/residents/search", json={"q": FULL_NUMBER}, headers=headers)

    tail, full = audit_rows("search.id_number")
    assert tail.after == {"kind": "tail", "digits": 4, "matches": 1}
    assert full.after == {
        "kind": "full_number",
        "id_number": FULL_NUMBER[:6] + "*" * 12,
        "matches": 1,
    }


def test_a_search_by_name_is_not_an_id_search(client, auth, people):
    client.post("/api/residents/search", json={"q": "张三"}, headers=auth.headers("sup1"))

    assert audit_rows("search.id_number") == []


def test_a_duplicate_look_up_is_audited_with_where_it_pointed(client, auth, people):
    response = client.post(
        "/api/residents/duplicates", json={"id_number": OTHER_NUMBER}, headers=auth.headers("asst1")
    )

    assert response.get_json()["matches"][0]["village"]["name"] == "河口村"
    [entry] = audit_rows("lookup.duplicates")
    assert entry.after["by"] == "id_number"
    assert entry.after["id_number"] == OTHER_NUMBER[:6] + "*" * 12
    assert entry.after["village_ids"] == [people["r2"].village_id]
    assert entry.after["resident_ids"] == [str(people["r2"].id)]


def test_an_export_is_audited_after_the_file_with_its_row_count(client, auth, people):
    response = client.get("/api/exports/records.csv", headers=auth.headers("sup1"))
    assert audit_rows("export.csv") == []  # nothing is written before the file is

    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))

    [entry] = audit_rows("export.csv")
    assert (entry.entity, entry.entity_id) == ("export", "service_records")
    assert entry.after["rows"] == len(rows) - 1 == 1
    assert entry.after["complete"] is True


def test_an_xlsx_export_is_audited_with_its_row_count(client, auth, people):
    response = client.get("/api/exports/records.xlsx", headers=auth.headers("admin"))
    response.get_data()

    [entry] = audit_rows("export.xlsx")
    assert entry.after["rows"] == 2


def test_an_export_broken_off_by_the_client_is_audited_as_incomplete(
    client, auth, people, monkeypatch
):
    monkeypatch.setattr("server.domain.review.filewriters.CHUNK_ROWS", 1)
    response = client.get("/api/exports/records.csv", headers=auth.headers("admin"))
    body = iter(response.response)
    next(body)
    response.close()

    [entry] = audit_rows("export.csv")
    assert entry.after["complete"] is False


def test_no_audit_row_holds_a_full_id_number(client, auth, people):
    """Every path that audits a number (detail views, searches, look-ups, conflict and sync
    writes of residents) is exercised here; none may leave digits beyond the region."""
    sup, asst = auth.headers("sup1"), auth.headers("asst1")
    client.get(f"/api/residents/{people['r1'].id}", headers=sup)
    client.get(f"/api/review/records/{people['rec1'].id}", headers=sup)
    client.post("/api/residents/search", json={"q": FULL_NUMBER}, headers=sup)
    client.post("/api/residents/duplicates", json={"id_number": OTHER_NUMBER}, headers=asst)
    client.post("/api/residents/duplicates", json={"like_id": str(people["r1"].id)}, headers=sup)
    client.get("/api/exports/records.csv", headers=sup).get_data()

    rows = audit_rows()
    assert len(rows) == 6
    for entry in rows:
        text = dumps([entry.entity_id, entry.before, entry.after, entry.comment])
        assert not LONG_DIGITS.search(text), text


def test_a_supervisor_seeing_an_id_number_conflict_is_audited(client, auth, world, people):
    from tests.workspace.test_conflicts import make_conflict

    resident = people["r1"]
    conflict = make_conflict(resident, world.users["asst1"], "id_number", FULL_NUMBER, OTHER_NUMBER)
    client.get("/api/conflicts", headers=auth.headers("admin"))
    assert audit_rows("read.id_number") == []  # masked for the admin

    listed = client.get("/api/conflicts", headers=auth.headers("sup1")).get_json()

    assert listed["items"][0]["server_value"] == FULL_NUMBER
    [entry] = audit_rows("read.id_number")
    assert (entry.entity, entry.entity_id) == ("resident", str(resident.id))
    assert entry.after["conflict_id"] == conflict.id
    assert not LONG_DIGITS.search(dumps(entry.after))


def test_reading_a_record_does_not_enter_its_history(client, auth, people):
    record = people["rec1"]
    headers = auth.headers("sup1")
    first = client.get(f"/api/review/records/{record.id}", headers=headers).get_json()
    again = client.get(f"/api/review/records/{record.id}", headers=headers).get_json()

    assert again["history"] == first["history"]
    assert len(audit_rows("read.id_number")) == 2
