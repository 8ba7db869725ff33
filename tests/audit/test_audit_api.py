"""GET /api/audit: who may read which rows, the filters, the order, and the export."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from server.core.audit import record_audit
from server.domain.accounts.model import Device
from server.domain.orgs.tree import add_unit
from server.extensions import db
from tests.audit.conftest import audit_rows
from tests.factories import make_user


def _entry(actor, action, entity, entity_id, unit, at):
    entry = record_audit(
        db.session,
        actor_id=actor.id if actor else None,
        device_id=None,
        entity=entity,
        entity_id=entity_id,
        action=action,
        before=None,
        after={"n": entity_id},
        unit_id=unit.id if unit else None,
    )
    entry.at = at
    return entry


@pytest.fixture
def trail(world):
    """Rows in T1, in T2, by the admin about T1, and one tied to nobody; then another county."""
    u, p = world.units, world.users
    rows = {
        "t1_sign_in": _entry(p["asst1"], "auth.sign_in", "user", p["asst1"].id, None,
                             datetime(2026, 11, 29, 1, 0, tzinfo=UTC)),
        "t1_read": _entry(p["sup1"], "read.resident", "resident", "r-1", u["V1a"],
                          datetime(2026, 11, 30, 15, 30, tzinfo=UTC)),  # 23:30 on the 30th, CST
        "t2_read": _entry(p["sup2"], "read.resident", "resident", "r-2", u["V2a"],
                          datetime(2026, 11, 30, 16, 30, tzinfo=UTC)),  # 00:30 on Dec 1st, CST
        "admin_reset": _entry(p["admin"], "reset_password", "user", p["asst2"].id, u["V1b"],
                              datetime(2026, 12, 1, 2, 0, tzinfo=UTC)),
        "unknown_user": _entry(None, "auth.sign_in_failed", "username", "nobody", None,
                               datetime(2026, 12, 1, 3, 0, tzinfo=UTC)),
    }  # fmt: skip
    device = Device(user_id=p["asst3"].id, client_id="phone-asst3", label="旧手机")
    db.session.add(device)
    db.session.flush()
    # As the sign-in audit writes them: about an account or a device, with no actor or unit.
    rows |= {
        "t1_failed": _entry(None, "auth.sign_in_failed", "user", p["asst2"].id, None,
                            datetime(2026, 11, 28, 1, 0, tzinfo=UTC)),
        "t2_reuse": _entry(None, "auth.refresh_reuse", "user", p["asst3"].id, None,
                           datetime(2026, 11, 28, 2, 0, tzinfo=UTC)),
        "t2_device": _entry(None, "auth.device_revoked", "device", device.id, None,
                            datetime(2026, 11, 28, 3, 0, tzinfo=UTC)),
    }  # fmt: skip
    other = add_unit(db.session, None, "county", "C2", "邻县", 1000)
    make_user(db.session, "admin2", "admin", other)
    db.session.commit()
    return {name: entry.id for name, entry in rows.items()}


def _ids(client, headers, **query) -> list[int]:
    response = client.get("/api/audit", query_string=query, headers=headers)
    assert response.status_code == 200, response.get_json()
    return [item["id"] for item in response.get_json()["items"]]


def _named(trail, *names) -> list[int]:
    return [trail[name] for name in names]


def test_an_assistant_is_refused(client, auth, trail):
    response = client.get("/api/audit", headers=auth.headers("asst1"))

    assert response.status_code == 403
    assert response.get_json()["code"] == "audit_not_allowed"


def test_a_supervisor_reads_what_happened_in_and_to_their_township_newest_first(
    client, auth, trail
):
    seen = _ids(client, auth.headers("sup1"))

    login = [i for i in seen if i not in trail.values()]  # sup1's own sign-in, if audited
    assert [i for i in seen if i not in login] == _named(
        trail, "admin_reset", "t1_read", "t1_sign_in", "t1_failed"
    )


def test_the_other_supervisor_reads_the_rows_about_their_accounts_and_devices(client, auth, trail):
    seen = set(_ids(client, auth.headers("sup2")))

    assert set(_named(trail, "t2_read", "t2_reuse", "t2_device")) <= seen
    assert not seen & set(_named(trail, "t1_failed", "t1_read", "unknown_user"))


def test_a_county_admin_reads_the_county_and_unknown_usernames(client, auth, trail):
    seen = set(_ids(client, auth.headers("admin"), per_page=200))

    assert set(trail.values()) <= seen


def test_an_admin_of_another_county_reads_none_of_this_one(client, auth, trail):
    seen = set(_ids(client, auth.headers("admin2"), per_page=200))

    assert seen & set(trail.values()) == {trail["unknown_user"]}


AUTH_ROWS = ["unknown_user", "t1_sign_in", "t2_device", "t2_reuse", "t1_failed"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"username": "sup2"}, ["t2_read"]),
        ({"action": "read.resident"}, ["t2_read", "t1_read"]),
        ({"action": "auth.sign_in"}, ["t1_sign_in"]),
        ({"action": "auth."}, AUTH_ROWS),
        ({"action": "auth.*"}, AUTH_ROWS),
        ({"entity": "resident", "entity_id": "r-2"}, ["t2_read"]),
        ({"from": "2026-12-01", "to": "2026-12-01"}, ["unknown_user", "admin_reset", "t2_read"]),
        ({"to": "2026-11-30"}, ["t1_read", "t1_sign_in", "t2_device", "t2_reuse", "t1_failed"]),
        ({"from": "2026-11-30T16:00:00Z", "to": "2026-12-01T10:30:00+08:00"},
         ["admin_reset", "t2_read"]),
    ],
)  # fmt: skip
def test_filters_narrow_the_admins_rows(client, auth, trail, query, expected):
    seen = _ids(client, auth.headers("admin"), per_page=200, **query)

    assert [i for i in seen if i in trail.values()] == _named(trail, *expected)


def test_filter_by_account_id(client, auth, world, trail):
    seen = _ids(client, auth.headers("admin"), actor_id=world.users["admin"].id)

    assert trail["admin_reset"] in seen and trail["t1_read"] not in seen


@pytest.mark.parametrize(
    "bad",
    ["2026-12-01T08:00:00", "yesterday", "2026-02-30", "9999-12-31", "0001-01-01T00:00:00+01:00"],
)
def test_a_time_without_offset_or_a_bad_date_is_refused(client, auth, trail, bad):
    response = client.get("/api/audit", query_string={"from": bad}, headers=auth.headers("admin"))

    assert response.status_code == 422
    assert "from" in response.get_json()["errors"]


def test_pages_like_the_other_lists(client, auth, trail):
    response = client.get(
        "/api/audit", query_string={"action": "read.resident", "per_page": 1, "page": 2},
        headers=auth.headers("admin"),
    )  # fmt: skip

    body = response.get_json()
    assert (body["total"], body["page"], body["per_page"]) == (2, 2, 1)
    assert [i["id"] for i in body["items"]] == [trail["t1_read"]]
    assert body["items"][0]["actor"]["username"] == "sup1"


def test_the_audit_list_is_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]

    parameters = {p["name"] for p in paths["/api/audit"]["get"]["parameters"]}
    assert {"username", "action", "entity", "entity_id", "from", "to", "page"} <= parameters
    assert "/api/audit/export.csv" in paths and "/api/audit/export.xlsx" in paths


def test_the_export_is_csv_with_bom_in_china_time_and_is_itself_audited(client, auth, trail):
    response = client.get(
        "/api/audit/export.csv", query_string={"action": "read."}, headers=auth.headers("sup1")
    )

    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0][0] == "时间(北京时间)"
    assert rows[1:] == [rows[1]]
    assert rows[1][0] == "2026-11-30 23:30:00"
    assert rows[1][3] == "查看居民档案"
    [export] = audit_rows("export.csv")
    assert export.entity_id == "audit_entries"
    assert export.after["rows"] == 1
    assert export.after["filters"] == {"action": "read."}


def test_the_xlsx_export_holds_the_same_rows(client, auth, trail):
    from openpyxl import load_workbook

    response = client.get("/api/audit/export.xlsx", headers=auth.headers("admin"))

    sheet = load_workbook(io.BytesIO(response.get_data()), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) - 1 >= len(trail)
