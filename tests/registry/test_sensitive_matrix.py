"""Who sees a resident's tuberculosis, over HTTP, at every surface (docs/security.md,
"Sensitive tags"): the village's assistant and the township's supervisor see it; an admin of
the county sees the resident masked; others in other places do not see the resident at all.

The scene: 李肺 of village V1a (asst1's, in sup1's township T1) has tuberculosis and
hypertension, one tuberculosis follow-up record, a TB treatment episode and a TB tag span.
asst2 works in V1b (same township), sup2 supervises T2.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from server.domain.episodes.model import Episode
from server.domain.episodes.synced import EPISODE
from server.domain.records.catalogue import load_definitions
from server.domain.records.synced import SERVICE_RECORD
from server.domain.registry.model import ResidentTag
from server.domain.registry.synced import HOUSEHOLD, RESIDENT
from server.domain.registry.synced_tags import RESIDENT_TAG
from server.domain.review.exports import FIXED_HEADERS
from server.extensions import db
from sync.changes import server_write
from tests.factories import make_household, make_record, make_resident

TB_TITLE = "肺结核患者随访协助"
NAME = "李肺"


@pytest.fixture
def scene(world):
    load_definitions(db.session)
    village = world.units["V1a"]
    household = make_household(db.session, village)
    resident = make_resident(
        db.session,
        village,
        name=NAME,
        household_id=household.id,
        tags=["hypertension", "tuberculosis"],
    )
    record = make_record(
        db.session,
        resident,
        world.users["asst1"],
        form_code="tuberculosis_followup",
        data={"visit_method": "home", "missed_doses": 3},
    )
    episode = Episode(
        resident_id=resident.id,
        village_id=village.id,
        kind="tb_treatment",
        opened_on=date(2026, 3, 2),
        facts={"notified_on": "2026-03-01", "phase": "intensive"},
    )
    span = ResidentTag(
        resident_id=resident.id, village_id=village.id, tag="tuberculosis", origin="form"
    )
    db.session.add_all([episode, span])
    db.session.flush()
    rows = (
        (HOUSEHOLD, household),
        (RESIDENT, resident),
        (SERVICE_RECORD, record),
        (EPISODE, episode),
        (RESIDENT_TAG, span),
    )
    for spec, row in rows:
        server_write(db.session, spec, row, actor_id=world.users["asst1"].id, action="create")
    db.session.commit()
    return {
        "resident": str(resident.id),
        "record": str(record.id),
        "household": str(household.id),
        "episode": str(episode.id),
        "span": str(span.id),
    }


class Outcome(Exception):
    """A surface that answered without showing the resident: 403, or 404 ("absent")."""

    def __init__(self, value) -> None:
        self.value = value


def _ok(response):
    if response.status_code == 404:
        raise Outcome("absent")
    if response.status_code != 200:
        raise Outcome(response.status_code)
    return response


def _body(response) -> dict:
    return _ok(response).get_json()


def _tags(tags: list[str]) -> str:
    return "visible" if "tuberculosis" in tags else "masked"


def _form(code: str, title: str | None = None) -> str:
    if code == "tuberculosis_followup" and title in (None, TB_TITLE):
        return "visible"
    assert code == "followup" and title in (None, "随访"), (code, title)
    return "masked"


def residents_list(client, headers, ids):
    response = _ok(client.get("/api/residents", headers=headers))
    items = [i for i in response.get_json()["items"] if i["id"] == ids["resident"]]
    return _tags(items[0]["tags"]) if items else "absent"


def residents_search(client, headers, ids):
    response = _ok(client.post("/api/residents/search", json={"q": NAME}, headers=headers))
    items = response.get_json()["items"]
    return _tags(items[0]["tags"]) if items else "absent"


def resident_tag_filter(client, headers, ids):
    response = _ok(
        client.get("/api/residents", query_string={"tag": "tuberculosis"}, headers=headers)
    )
    return "visible" if response.get_json()["items"] else "masked"


def resident_detail(client, headers, ids):
    body = _body(client.get(f"/api/residents/{ids['resident']}", headers=headers))
    tags, stored = _tags(body["tags"]), _tags(body["stored_tags"])
    (service,) = body["services"]
    form = _form(service["form_code"])
    assert tags == stored == form
    assert (service["data"] == {}) == (form == "masked")
    return tags


def household_detail(client, headers, ids):
    response = _ok(client.get(f"/api/households/{ids['household']}", headers=headers))
    (member,) = response.get_json()["members"]
    return _tags(member["tags"])


def review_queue(client, headers, ids):
    response = _ok(client.get("/api/review/records", headers=headers))
    items = [i for i in response.get_json()["items"] if i["id"] == ids["record"]]
    return _form(items[0]["form_code"], items[0]["form_title"]) if items else "absent"


def review_record(client, headers, ids):
    body = _body(client.get(f"/api/review/records/{ids['record']}", headers=headers))
    form = _form(body["form_code"], body["form_title"])
    assert _tags(body["resident"]["tags"]) == form
    answers = [f["value"] for f in body["fields"] if f["value"] is not None]
    assert bool(answers) == (form == "visible")
    return form


def export_csv(client, headers, ids):
    response = _ok(client.get("/api/exports/records.csv", headers=headers))
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    found = [row for row in rows[1:] if row[0] == ids["record"]]
    if not found:
        return "absent"
    header, (row,) = rows[0], found
    form, answers = row[header.index("服务项目")], row[len(FIXED_HEADERS) :]
    if form == TB_TITLE:
        assert "3" in answers
        return "visible"
    assert form == "随访" and not any(answers), row
    assert TB_TITLE not in response.get_data(as_text=True)
    return "masked"


def export_xlsx(client, headers, ids):
    response = _ok(client.get("/api/exports/records.xlsx", headers=headers))
    book = load_workbook(io.BytesIO(response.get_data()), read_only=True)
    for sheet in book.worksheets:
        rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
        for row in rows[1:]:
            if row[0] != ids["record"]:
                continue
            form, answers = row[FIXED_HEADERS.index("服务项目")], row[len(FIXED_HEADERS) :]
            if form == TB_TITLE:
                assert 3 in answers and sheet.title == TB_TITLE
                return "visible"
            assert form == sheet.title == "随访" and not any(answers), row
            assert TB_TITLE not in str(rows[0])
            return "masked"
    return "absent"


def sync_pull(client, headers, ids):
    response = client.get("/api/sync/pull", headers=headers)
    assert response.status_code == 200
    changes = {(c["entity"], c["id"]): c["data"] for c in response.get_json()["changes"]}
    resident = changes.get(("resident", ids["resident"]))
    record = changes.get(("service_record", ids["record"]))
    if resident is None:
        assert record is None
        return "absent"
    form = _form(record["form_code"])
    assert _tags(resident["tags"]) == form
    episode = changes[("episode", ids["episode"])]
    span = changes[("resident_tag", ids["span"])]
    told = "visible" if episode["kind"] == "tb_treatment" else "masked"
    assert (span["tag"] == "tuberculosis") == (told == "visible")
    assert bool(episode["facts"]) == (told == "visible")
    assert told == form
    return form


def tags_to_confirm(client, headers, ids):
    response = _ok(client.get("/api/tags/to-confirm", headers=headers))
    items = response.get_json()["items"]
    tags = [i["span"]["tag"] for i in items if i["resident"]["id"] == ids["resident"]]
    return _tags(tags) if tags else "absent"


def audit_trail(client, headers, ids):
    query = {"entity": "resident", "entity_id": ids["resident"], "action": "create"}
    response = _ok(client.get("/api/audit", query_string=query, headers=headers))
    items = response.get_json()["items"]
    return _tags(items[0]["after"]["tags"]) if items else "absent"


SURFACES = {
    "residents.list": residents_list,
    "residents.search": residents_search,
    "residents.tag_filter": resident_tag_filter,
    "resident.detail": resident_detail,
    "household.detail": household_detail,
    "review.queue": review_queue,
    "review.record": review_record,
    "export.csv": export_csv,
    "export.xlsx": export_xlsx,
    "sync.pull": sync_pull,
    "tags.to_confirm": tags_to_confirm,
    "audit": audit_trail,
}
STAFF_ONLY = set(SURFACES) - {"sync.pull"}  # assistants read these through sync only
# viewer (and how they stand to the resident) -> what each surface shows them.
VIEWERS = {
    "asst1": "visible",  # the resident's own village's assistant
    "asst2": "absent",  # an assistant of another village
    "sup1": "visible",  # the supervisor of the township over the village
    "sup2": "absent",  # the supervisor of another township
    "admin": "masked",  # the county's admin
}


def expected(viewer: str, surface: str):
    if viewer.startswith("asst") and surface in STAFF_ONLY:
        return 403  # assistants read residents and records through sync only
    if surface == "residents.tag_filter" and VIEWERS[viewer] == "absent":
        return "masked"  # the filter finds nobody, as for someone who may not see the tag
    return VIEWERS[viewer]


@pytest.mark.parametrize("surface", list(SURFACES))
@pytest.mark.parametrize("viewer", list(VIEWERS))
def test_who_sees_a_residents_tuberculosis(client, auth, scene, viewer, surface):
    headers = auth.headers(viewer)
    try:
        shown = SURFACES[surface](client, headers, scene)
    except Outcome as outcome:
        shown = outcome.value
    assert shown == expected(viewer, surface)
