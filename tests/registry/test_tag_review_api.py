"""Staff decisions on tags over HTTP: confirm, remove with a note, and the township
supervisor's "confirm with the centre" list; refusals keep the one problem shape."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from server.core.audit import AuditEntry
from server.core.clock import local_today
from server.domain.registry.model import Resident, ResidentTag
from server.extensions import db
from tests.factories import make_record, make_resident

TODAY = local_today()


def _resident(world, village="V1a", **kw) -> Resident:
    resident = make_resident(db.session, world.units[village], **kw)
    db.session.commit()
    return resident


def _confirm(client, auth, resident, tag, user="sup1"):
    path = f"/api/residents/{resident.id}/tags/{tag}/confirm"
    return client.post(path, headers=auth.headers(user))


def _remove(client, auth, resident, tag, user="sup1", note="家属说弄错了"):
    body = {} if note is None else {"note": note}
    path = f"/api/residents/{resident.id}/tags/{tag}/remove"
    return client.post(path, json=body, headers=auth.headers(user))


def _audits(action: str) -> list[AuditEntry]:
    stmt = select(AuditEntry).where(
        AuditEntry.action == action, AuditEntry.entity == "resident_tag"
    )
    return list(db.session.scalars(stmt))


def test_a_supervisor_confirms_a_reported_condition(client, auth, world):
    resident = _resident(world, tags=["hypertension"])
    answer = _confirm(client, auth, resident, "hypertension")
    assert answer.status_code == 200, answer.get_json()
    span = answer.get_json()
    assert (span["source"], span["origin"]) == ("confirmed", "register")
    assert span["confirmed_by_id"] == world.users["sup1"].id and span["confirmed_at"]
    [audit] = _audits("confirm_tag")
    assert audit.before["source"] == "reported" and audit.after["source"] == "confirmed"
    assert audit.unit_id == world.units["V1a"].id


def test_confirming_twice_changes_nothing_the_second_time(client, auth, world):
    resident = _resident(world, tags=["diabetes"])
    first = _confirm(client, auth, resident, "diabetes").get_json()
    again = _confirm(client, auth, resident, "diabetes")
    assert again.status_code == 200
    assert again.get_json() == first
    assert len(_audits("confirm_tag")) == 1


def test_confirming_a_tag_the_register_lacks_starts_a_staff_span_today(client, auth, world):
    resident = _resident(world)
    span = _confirm(client, auth, resident, "tuberculosis").get_json()
    assert (span["source"], span["origin"], span["start_on"]) == (
        "confirmed",
        "staff",
        TODAY.isoformat(),
    )


def test_a_supervisor_removes_a_tag_with_a_note(client, auth, world):
    resident = _resident(world, tags=["hypertension", "diabetes"])
    answer = _remove(client, auth, resident, "hypertension")
    assert answer.status_code == 200, answer.get_json()
    [ended] = answer.get_json()["ended"]
    assert (ended["end_on"], ended["note"]) == (TODAY.isoformat(), "家属说弄错了")
    assert ended["ended_by_id"] == world.users["sup1"].id
    db.session.expire_all()
    assert db.session.get(Resident, resident.id).tags == ["diabetes"]
    [audit] = _audits("remove_tag")
    assert audit.comment == "家属说弄错了"


def test_a_removed_tag_leaves_the_residents_tags(client, auth, world):
    resident = _resident(world, tags=["diabetes"])
    _remove(client, auth, resident, "diabetes")
    detail = client.get(f"/api/residents/{resident.id}", headers=auth.headers("sup1")).get_json()
    assert "diabetes" not in detail["tags"]
    [span] = detail["tag_spans"]
    assert (span["tag"], span["end_on"]) == ("diabetes", TODAY.isoformat())


@pytest.mark.parametrize("note", [None, "", "   "], ids=["no note", "empty", "blank"])
def test_a_removal_needs_a_note(client, auth, world, note):
    resident = _resident(world, tags=["diabetes"])
    answer = _remove(client, auth, resident, "diabetes", note=note)
    assert answer.status_code == 422
    assert answer.get_json()["code"] == "validation_error"
    assert "note" in answer.get_json()["errors"]


@pytest.mark.parametrize(
    ("user", "village", "tag", "status", "code"),
    [
        ("asst1", "V1a", "hypertension", 403, "role_not_allowed"),
        ("sup2", "V1a", "hypertension", 404, "resident_not_found"),
        ("sup1", "V1a", "flu", 422, "tag_unknown"),
        ("sup1", "V1a", "elderly_65", 422, "tag_derived"),
    ],
    ids=["an assistant", "another township", "an unknown tag", "a derived tag"],
)
def test_decisions_refused(client, auth, world, user, village, tag, status, code):
    resident = _resident(world, village, tags=["hypertension"])
    for answer in (
        _confirm(client, auth, resident, tag, user),
        _remove(client, auth, resident, tag, user),
    ):
        assert answer.status_code == status, answer.get_json()
        assert answer.get_json()["code"] == code
    assert not _audits("confirm_tag") and not _audits("remove_tag")


def test_removing_a_tag_not_held_is_refused(client, auth, world):
    resident = _resident(world, tags=["diabetes"])
    answer = _remove(client, auth, resident, "hypertension")
    assert answer.status_code == 409
    assert answer.get_json()["code"] == "tag_not_held"


def _to_confirm(client, auth, user="sup1", **query):
    answer = client.get("/api/tags/to-confirm", query_string=query, headers=auth.headers(user))
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def test_the_list_holds_the_townships_reported_conditions_oldest_first(client, auth, world):
    _resident(world, "V1b", name="李四", tags=["diabetes"])
    newer = _resident(world, name="王五")
    newer.tags = ["hypertension"]  # added after registration: since today
    db.session.commit()
    _resident(world, "V2a", name="外镇", tags=["diabetes"])
    _resident(world, name="孕妇", tags=["pregnant"])  # not a confirmable condition
    page = _to_confirm(client, auth)
    assert page["total"] == 2
    first, second = page["items"]
    assert (first["resident"]["name"], first["span"]["tag"]) == ("李四", "diabetes")
    assert first["resident"]["village"]["name"] == world.units["V1b"].name
    assert first["span"]["start_on"] is None and first["span"]["origin"] == "register"
    assert (second["resident"]["name"], second["span"]["start_on"]) == ("王五", TODAY.isoformat())
    assert _to_confirm(client, auth, "admin")["total"] == 3


def test_confirmed_removed_and_ended_leave_the_list(client, auth, world):
    confirmed = _resident(world, tags=["hypertension"])
    removed = _resident(world, tags=["diabetes"])
    _resident(world, tags=["tuberculosis"], ended_on=TODAY - timedelta(days=3), end_reason="died")
    _confirm(client, auth, confirmed, "hypertension")
    _remove(client, auth, removed, "diabetes")
    assert _to_confirm(client, auth)["items"] == []


def test_an_item_names_the_form_record_it_came_from(client, auth, world):
    resident = _resident(world)
    record = make_record(db.session, resident, world.users["asst1"])
    db.session.add(
        ResidentTag(
            resident_id=resident.id,
            village_id=resident.village_id,
            tag="hypertension",
            origin="form",
            record_id=record.id,
            start_on=record.visit_date,
        )
    )
    db.session.commit()
    [item] = _to_confirm(client, auth)["items"]
    assert item["span"]["origin"] == "form"
    assert item["record"] == {
        "id": str(record.id),
        "form_code": "hypertension_followup",
        "visit_date": record.visit_date.isoformat(),
    }


def test_the_list_pages(client, auth, world):
    for i in range(3):
        _resident(world, name=f"居民{i}", tags=["diabetes"])
    page = _to_confirm(client, auth, page=2, per_page=2)
    assert (page["total"], len(page["items"]), page["page"]) == (3, 1, 2)


def test_assistants_get_no_list(client, auth, world):
    answer = client.get("/api/tags/to-confirm", headers=auth.headers("asst1"))
    assert answer.status_code == 403
    assert answer.get_json()["code"] == "role_not_allowed"


def test_only_the_centres_conditions_can_be_confirmed(client, auth, world):
    resident = _resident(world, sex="M", tags=["pregnant"])
    answer = _confirm(client, auth, resident, "pregnant")
    assert answer.status_code == 422, answer.get_json()
    assert answer.get_json()["code"] == "tag_not_confirmable"
    spans = db.session.scalars(select(ResidentTag).where(ResidentTag.tag == "pregnant")).all()
    assert [s.source for s in spans] == ["reported"]
    assert not _audits("confirm_tag")


@pytest.mark.parametrize("held", [True, False], ids=["held", "not held"])
@pytest.mark.parametrize("tag", ["tuberculosis", "severe_mental_disorder"])
def test_an_admin_cannot_probe_a_sensitive_tag(client, auth, world, tag, held):
    resident = _resident(world, tags=[tag] if held else [])
    for answer in (
        _confirm(client, auth, resident, tag, "admin"),
        _remove(client, auth, resident, tag, "admin"),
    ):
        assert answer.status_code == 404, answer.get_json()
        assert answer.get_json()["code"] == "resident_not_found"
    assert not _audits("confirm_tag") and not _audits("remove_tag")


def _sensitive_reads() -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "read.sensitive")))


def test_the_admins_list_leaves_out_sensitive_conditions(client, auth, world):
    _resident(world, name="李肺", tags=["tuberculosis"])
    _resident(world, "V1b", name="王精", tags=["severe_mental_disorder"])
    _resident(world, name="张高", tags=["hypertension"])
    page = _to_confirm(client, auth, "admin")
    assert [i["resident"]["name"] for i in page["items"]] == ["张高"]
    assert page["total"] == 1
    assert not _sensitive_reads()


def test_a_page_showing_sensitive_conditions_is_audited_once(client, auth, world):
    _resident(world, name="李肺", tags=["tuberculosis"])
    _resident(world, "V1b", name="王精", tags=["severe_mental_disorder"])
    _resident(world, name="张高", tags=["hypertension"])
    assert _to_confirm(client, auth)["total"] == 3
    [audit] = _sensitive_reads()
    assert audit.after == {"surface": "tags.to_confirm", "count": 2}
    assert audit.unit_id == world.users["sup1"].org_unit_id
