"""Time stamps mean one thing: every instant on the wire carries its offset; people read
China Standard Time; "today" and months are China dates."""

from __future__ import annotations

import csv
import io
import itertools
import re
import subprocess
import sys
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from server.core.clock import local_time, local_today
from server.domain.records.catalogue import load_definitions
from server.domain.records.model import ServiceRecord
from server.extensions import db
from tests.factories import make_record, make_resident

INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
# 23:30 UTC on 1 December is 07:30 on 2 December in the villages.
LATE_EVENING_UTC = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)


def instants(value, path="$"):
    """Every string in a JSON answer that looks like a date and time, with where it was."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from instants(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from instants(item, f"{path}[{index}]")
    elif isinstance(value, str) and INSTANT.match(value):
        yield path, value


@pytest.fixture
def received_late(world):
    load_definitions(db.session)
    resident = make_resident(db.session, world.units["V1a"])
    record = make_record(db.session, resident, world.users["asst1"], data={})
    db.session.flush()
    db.session.query(ServiceRecord).filter_by(id=record.id).update(
        {"created_at": LATE_EVENING_UTC, "updated_at": LATE_EVENING_UTC}
    )
    db.session.commit()
    return record


@pytest.mark.parametrize(
    ("now", "today"),
    [
        (datetime(2026, 12, 1, 15, 59, tzinfo=UTC), date(2026, 12, 1)),
        (datetime(2026, 12, 1, 16, 0, tzinfo=UTC), date(2026, 12, 2)),
        (datetime(2026, 12, 31, 16, 0, tzinfo=UTC), date(2027, 1, 1)),
        (datetime(2026, 11, 30, 23, 59, tzinfo=UTC), date(2026, 12, 1)),
    ],
)
def test_today_is_the_china_date(now, today):
    assert local_today(now) == today


def test_a_naive_instant_is_read_as_utc():
    assert local_time(datetime(2026, 12, 1, 23, 30)).strftime("%m-%d %H:%M") == "12-02 07:30"


def test_the_zone_is_a_deployment_setting():
    code = "from server.core.clock import LOCAL_TZ; print(LOCAL_TZ.key)"
    env = {"TIME_ZONE": "Asia/Urumqi", "PATH": ""}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "Asia/Urumqi", out.stderr


def test_instants_read_back_from_the_database_are_timezone_aware(received_late):
    db.session.expire_all()
    record = db.session.get(ServiceRecord, received_late.id)
    assert record.created_at == LATE_EVENING_UTC
    assert record.created_at.utcoffset() is not None


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("sup1", "/api/review/records"),
        ("sup1", "/api/review/records/{record}"),
        ("sup1", "/api/users/{asst1}/devices"),
        ("sup1", "/api/overview"),
        ("sup1", "/api/users"),
        ("sup1", "/api/residents/{resident}"),
        ("asst1", "/api/sync/pull"),
    ],
)
def test_every_instant_on_the_wire_carries_its_offset(
    client, auth, world, received_late, username, path
):
    assert auth.login("asst1", device_id="phone-0001").status_code == 200
    url = path.format(
        record=received_late.id, resident=received_late.resident_id, asst1=world.users["asst1"].id
    )
    response = client.get(url, headers=auth.headers(username))
    assert response.status_code == 200, response.get_json()
    found = list(instants(response.get_json()))
    assert found or path in ("/api/overview", "/api/users", "/api/sync/pull")
    assert [(where, text) for where, text in found if not RFC3339.match(text)] == []


def test_the_csv_shows_the_received_time_in_china_time(client, auth, received_late):
    raw = client.get("/api/exports/records.csv", headers=auth.headers("sup1")).get_data()
    header, row = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))[:2]
    assert dict(zip(header, row, strict=True))["接收时间"] == "2026-12-02 07:30"


def test_the_xlsx_shows_the_received_time_in_china_time(client, auth, received_late):
    raw = client.get("/api/exports/records.xlsx", headers=auth.headers("sup1")).get_data()
    sheet = load_workbook(io.BytesIO(raw), read_only=True).active
    header, row = [list(r) for r in sheet.iter_rows(values_only=True)][:2]
    # A date-time cell (Excel can compute with it) holding the China wall-clock time.
    received = dict(itertools.zip_longest(header, row))["接收时间"]
    assert received == datetime(2026, 12, 2, 7, 30)


def test_the_sign_in_answer_names_the_zone_the_phone_shows_times_in(auth, world):
    assert auth.tokens("asst1")["settings"]["time_zone"] == "Asia/Shanghai"
