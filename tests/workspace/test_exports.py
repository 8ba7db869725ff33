"""Exports: same filters as the queue, Chinese labels, BOM, masking, and flat memory."""

from __future__ import annotations

import csv
import io
import re
import tracemalloc
import uuid
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert

from server.core.audit import audit_entries
from server.domain.records.catalogue import load_definitions
from server.domain.records.model import ServiceRecord
from server.domain.review import exports, filewriters
from server.domain.review.exports import FIXED_HEADERS, STATUS_ZH, csv_chunks, safe_cell
from server.domain.review.queue import RecordFilters
from server.domain.review.workbook import xlsx_chunks
from server.extensions import db
from tests.factories import make_record, make_resident

REPO = Path(__file__).resolve().parents[2]
BP_DATA = {
    "visit_method": "home",
    "bp_source": "measured",
    "blood_pressure": {"systolic": 150, "diastolic": 95},
}


@pytest.fixture
def forms(app):
    load_definitions(db.session)
    db.session.commit()


@pytest.fixture
def records(world, forms):
    units, users = world.units, world.users
    r1 = make_resident(db.session, units["V1a"], id_number="350524196005011234")
    r2 = make_resident(db.session, units["V1b"], name="李四")
    r3 = make_resident(db.session, units["V2a"], name="王五")
    made = [
        make_record(db.session, r1, users["asst1"], data=BP_DATA),
        make_record(db.session, r2, users["asst2"], data=BP_DATA, visit_date=date(2026, 11, 9)),
        make_record(db.session, r3, users["asst3"], data=BP_DATA),
    ]
    db.session.commit()
    return made


def read_csv(response) -> list[list[str]]:
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_csv_has_a_bom_chinese_labels_and_one_row_per_record_in_scope(client, auth, records):
    response = client.get("/api/exports/records.csv", headers=auth.headers("sup1"))
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    header, *rows = read_csv(response)
    assert header[: len(FIXED_HEADERS)] == FIXED_HEADERS
    assert "随访方式" in header and "血压·收缩压（mmHg）" in header
    assert len(rows) == 2
    first = dict(zip(header, rows[0], strict=True))
    assert (first["血压·收缩压（mmHg）"], first["血压·舒张压（mmHg）"]) == ("150", "95")
    assert first["随访方式"] == "入户"
    assert first["服务项目"] == "高血压患者随访"


def test_csv_masks_the_id_number(client, auth, records):
    response = client.get("/api/exports/records.csv", headers=auth.headers("sup1"))
    text = response.get_data().decode("utf-8-sig")
    assert "350524************" in text
    assert "350524196005011234" not in text


def test_export_uses_the_queue_filters(client, auth, world, records):
    response = client.get(
        "/api/exports/records.csv?date_from=2026-11-05", headers=auth.headers("sup1")
    )
    _, *rows = read_csv(response)
    assert [row[0] for row in rows] == [str(records[1].id)]


def test_export_with_several_forms_prefixes_each_field_with_its_form(client, auth, world, records):
    resident = make_resident(db.session, world.units["V1a"])
    make_record(db.session, resident, world.users["asst1"], form_code="diabetes_followup", data={})
    db.session.commit()
    header, *rows = read_csv(client.get("/api/exports/records.csv", headers=auth.headers("sup1")))
    assert "高血压患者随访·血压·收缩压（mmHg）" in header
    assert any(h.startswith("2型糖尿病") or "糖尿病" in h for h in header[len(FIXED_HEADERS) :])
    assert len(rows) == 3


def test_xlsx_has_the_same_header_and_rows(client, auth, records):
    response = client.get("/api/exports/records.xlsx", headers=auth.headers("sup1"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data()), read_only=True).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][: len(FIXED_HEADERS)] == FIXED_HEADERS
    assert "血压·收缩压（mmHg）" in rows[0]
    assert len(rows) == 3


def test_exports_are_refused_to_assistants(client, auth, records):
    response = client.get("/api/exports/records.csv", headers=auth.headers("asst1"))
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("text", "expected"),
    [("=HYPERLINK(1)", "'=HYPERLINK(1)"), ("@cmd", "'@cmd"), ("-5", "-5"), ("高血压", "高血压")],
)
def test_cells_cannot_start_a_formula(text, expected):
    assert safe_cell(text) == expected


def _bulk_records(world, count: int) -> None:
    resident = make_resident(db.session, world.units["V1a"])
    author = world.users["asst1"]
    db.session.execute(
        insert(ServiceRecord),
        [
            {
                "id": uuid.uuid4(),
                "resident_id": resident.id,
                "village_id": resident.village_id,
                "form_code": "hypertension_followup",
                "form_version": 1,
                "data": {**BP_DATA, "note": "x" * 200},
                "visit_date": date(2026, 11, 1),
                "author_id": author.id,
            }
            for _ in range(count)
        ],
    )
    db.session.commit()


def _export_peak(world, chunks) -> tuple[int, int]:
    """Bytes written and the peak memory traced while streaming the whole export."""
    supervisor = world.users["sup1"]
    tracemalloc.start()
    try:
        size = sum(len(chunk) for chunk in chunks(db.session, supervisor, RecordFilters()))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return size, peak


# Past a few batches the buffers (query batches, chunks) are full: from there on, four times
# the rows must not mean more memory. The default profile shrinks the buffers tenfold so the
# same claim is checked on a tenth of the rows (tracemalloc makes every row slow); the slow
# profile runs it at the shipped sizes.
MEMORY_PROFILES = [
    pytest.param((100, 50, 300), id="small-buffers"),
    pytest.param((None, None, 3000), id="shipped-buffers", marks=pytest.mark.slow),
]


@pytest.mark.parametrize("profile", MEMORY_PROFILES)
@pytest.mark.parametrize("chunks", [csv_chunks, xlsx_chunks], ids=["csv", "xlsx"])
def test_export_memory_stays_flat_as_rows_grow(world, forms, chunks, profile, monkeypatch):
    batch, chunk_rows, base = profile
    if batch:
        monkeypatch.setattr(exports, "BATCH", batch)
        monkeypatch.setattr(filewriters, "CHUNK_ROWS", chunk_rows)
    _bulk_records(world, base)
    small_size, small_peak = _export_peak(world, chunks)
    _bulk_records(world, 3 * base)
    large_size, large_peak = _export_peak(world, chunks)
    assert large_size > 3 * small_size  # four times the rows, less the fixed parts
    assert large_peak < 1.2 * small_peak


@pytest.mark.parametrize("control", ["\x0b", "\x0c", "\x1f", "\x08"], ids=repr)
def test_xlsx_writes_a_row_stored_with_a_control_character_without_it(
    client, auth, world, forms, control
):
    resident = make_resident(db.session, world.units["V1a"], name=f"赵{control}六")
    make_record(db.session, resident, world.users["asst1"], data=BP_DATA)
    db.session.commit()

    response = client.get("/api/exports/records.xlsx", headers=auth.headers("sup1"))

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data()), read_only=True).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[1][FIXED_HEADERS.index("居民姓名")] == "赵六"


def test_a_failed_xlsx_answers_json_and_is_not_audited(client, auth, records, monkeypatch):
    def broken(*_args, **_kw):
        raise RuntimeError("disk full")
        yield  # pragma: no cover

    monkeypatch.setattr("server.domain.review.exports.export_rows", broken)

    response = client.get("/api/exports/records.xlsx", headers=auth.headers("sup1"))

    assert response.status_code == 500
    assert response.get_json()["code"] == "internal_error"
    assert audit_entries(db.session, "export", "service_records") == []


def test_exports_word_review_statuses_as_the_screens_do():
    source = (REPO / "pwa/js/workspace/strings.zh-CN.js").read_text(encoding="utf-8")
    screens = dict(re.findall(r"'status\.(\w+)': '([^']+)'", source))
    assert {status: screens[status] for status in STATUS_ZH} == STATUS_ZH
