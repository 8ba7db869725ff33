"""Exports Excel can compute with: numbers as numbers (unit in the header), a blood pressure in
two columns, dates as dates, a frozen header, column widths, a sheet per form."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from server.domain.records.catalogue import load_definitions
from server.extensions import db
from tests.factories import make_record, make_resident

HYPERTENSION = {
    "visit_method": "home",
    "bp_source": "measured",
    "blood_pressure": {"systolic": 125, "diastolic": 87},
    "weight_kg": 22.1,
    "alcohol_liang_per_day": 10.1,
    "cigarettes_per_day": 3,
    "medication": "regular",
    "complaints": ["none"],
    "next_followup_date": "2026-12-01",
}
DIABETES = {"visit_method": "phone", "glucose_measured": True, "blood_glucose": 6.2}


@pytest.fixture
def exported(client, auth, world):
    load_definitions(db.session)
    resident = make_resident(db.session, world.units["V1a"], birth_date=date(1955, 6, 1))
    make_record(
        db.session, resident, world.users["asst1"], data=HYPERTENSION, visit_date=date(2026, 11, 3)
    )
    db.session.commit()
    return resident


def workbook(client, auth, query=""):
    response = client.get(f"/api/exports/records.xlsx?{query}", headers=auth.headers("sup1"))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.get_data()))


def row_of(sheet) -> dict:
    header = [c.value for c in sheet[1]]
    return dict(zip(header, sheet[2], strict=True))


def test_numbers_are_number_cells_with_the_unit_in_the_header(client, auth, exported):
    cells = row_of(workbook(client, auth).active)
    assert cells["体重(家用秤)（kg）"].value == 22.1
    assert cells["日饮酒量(自述)（两）"].value == 10.1
    assert cells["日吸烟量(自述)（支）"].value == 3
    assert cells["体重(家用秤)（kg）"].data_type == "n"


def test_blood_pressure_is_two_number_columns(client, auth, exported):
    cells = row_of(workbook(client, auth).active)
    assert cells["血压·收缩压（mmHg）"].value == 125
    assert cells["血压·舒张压（mmHg）"].value == 87
    assert "血压" not in cells


def test_dates_are_date_cells(client, auth, exported):
    cells = row_of(workbook(client, auth).active)
    for header, expected in (
        ("服务日期", date(2026, 11, 3)),
        ("出生日期", date(1955, 6, 1)),
        ("下次随访日期", date(2026, 12, 1)),
    ):
        assert cells[header].is_date, header
        assert cells[header].value.date() == expected
    assert isinstance(cells["接收时间"].value, datetime)


def test_choices_stay_the_words_a_person_reads(client, auth, exported):
    cells = row_of(workbook(client, auth).active)
    assert cells["随访方式"].value == "入户"
    assert cells["表单版本"].value == 1


def test_the_header_row_is_frozen_bold_and_columns_have_widths(client, auth, exported):
    sheet = workbook(client, auth).active
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    assert sheet.column_dimensions["A"].width == 38
    assert all(sheet.column_dimensions[c].width >= 8 for c in "BCDEFGH")


def test_several_forms_give_one_sheet_per_form_with_its_own_columns(client, auth, world, exported):
    make_record(
        db.session, exported, world.users["asst1"], form_code="diabetes_followup", data=DIABETES
    )
    db.session.commit()
    book = workbook(client, auth)
    assert book.sheetnames == ["2型糖尿病患者随访", "高血压患者随访"]
    diabetes = row_of(book["2型糖尿病患者随访"])
    assert diabetes["血糖值（mmol/L）"].value == 6.2
    assert "血压(家用血压计)·收缩压（mmHg）" in diabetes
    assert "日饮酒量(自述)（两）" not in diabetes  # the hypertension form's own column
    assert book["高血压患者随访"].max_row == 2


def test_csv_stays_utf8_with_a_bom_and_plain_numbers_and_iso_dates(client, auth, exported):
    raw = client.get("/api/exports/records.csv", headers=auth.headers("sup1")).get_data()
    assert raw.startswith("\ufeff".encode())
    header, row = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    cells = dict(zip(header, row, strict=True))
    assert cells["体重(家用秤)（kg）"] == "22.1"
    assert cells["血压·收缩压（mmHg）"] == "125"
    assert cells["服务日期"] == "2026-11-03"
