"""A unit's settings over HTTP: the county admin reads and changes them, a supervisor reads
their township's, every change is audited on the unit and reaches the phone at sign-in."""

from __future__ import annotations

from sqlalchemy import select

from server.core.audit import AuditEntry
from server.extensions import db
from tests.factories import make_user


def _url(unit) -> str:
    return f"/api/org-units/{unit.id}/settings"


def test_an_admin_pins_the_county_and_its_villages_inherit(client, auth, county):
    headers = auth.headers("admin")
    answer = client.patch(_url(county.county), json={"nip_version": "nip_2021"}, headers=headers)
    assert answer.status_code == 200
    assert answer.get_json()["own"] == {"nip_version": "nip_2021"}
    village = client.get(_url(county.village), headers=headers).get_json()
    assert village["own"] == {}
    assert village["in_effect"]["nip_version"] == {
        "value": "nip_2021",
        "source_id": county.county.id,
        "source_name": county.county.name,
    }
    choices = village["choices"]["nip_version"]
    assert [c["value"] for c in choices] == ["nip_2021", "nip_2025"]
    assert choices[0]["label"]["zh"] == "国家免疫规划疫苗儿童免疫程序(2021年版)"


def test_clearing_a_townships_edition_makes_it_inherit_again(client, auth, county):
    headers = auth.headers("admin")
    client.patch(_url(county.township), json={"nip_version": "nip_2021"}, headers=headers)
    answer = client.patch(_url(county.township), json={"nip_version": None}, headers=headers)
    assert answer.get_json()["in_effect"]["nip_version"]["source_id"] is None
    assert answer.get_json()["in_effect"]["nip_version"]["value"] == "nip_2025"


def test_a_change_is_audited_on_the_unit_with_before_and_after(client, auth, county):
    client.patch(
        _url(county.township), json={"nip_version": "nip_2021"}, headers=auth.headers("admin")
    )
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.entity == "org_unit").order_by(AuditEntry.id.desc())
    ).first()
    assert (entry.action, entry.unit_id, entry.actor_id) == (
        "update",
        county.township.id,
        county.admin.id,
    )
    assert entry.before == {"settings": {}}
    assert entry.after == {"settings": {"nip_version": "nip_2021"}}


def test_an_unknown_edition_is_refused_and_nothing_changes(client, auth, county):
    headers = auth.headers("admin")
    answer = client.patch(_url(county.village), json={"nip_version": "nip_2030"}, headers=headers)
    assert answer.status_code == 422
    assert answer.get_json()["code"] == "nip_version_unknown"
    assert client.get(_url(county.village), headers=headers).get_json()["own"] == {}


def test_an_unknown_setting_is_refused_with_its_code(client, auth, county):
    answer = client.patch(
        _url(county.village), json={"clinic_weekday": 3}, headers=auth.headers("admin")
    )
    assert answer.status_code == 422
    assert answer.get_json()["code"] == "org_setting_unknown"
    assert answer.get_json()["errors"] == {
        "clinic_weekday": ["There is no unit setting clinic_weekday; the settings are nip_version."]
    }


def test_a_supervisor_reads_their_township_but_may_not_change_it(client, auth, county):
    headers = auth.headers("sup")
    assert client.get(_url(county.township), headers=headers).status_code == 200
    answer = client.patch(_url(county.township), json={"nip_version": "nip_2021"}, headers=headers)
    assert answer.status_code == 403


def test_a_supervisor_does_not_see_the_countys_settings(client, auth, county):
    answer = client.get(_url(county.county), headers=auth.headers("sup"))
    assert answer.status_code == 404 and answer.get_json()["code"] == "org_unit_not_found"


def test_an_assistants_phone_gets_its_villages_edition_at_sign_in(client, auth, county):
    make_user(db.session, "asst", "assistant", county.village)
    db.session.commit()
    assert auth.tokens("asst")["settings"]["nip_version"] == "nip_2025"
    client.patch(
        _url(county.township), json={"nip_version": "nip_2021"}, headers=auth.headers("admin")
    )
    assert auth.tokens("asst")["settings"]["nip_version"] == "nip_2021"
