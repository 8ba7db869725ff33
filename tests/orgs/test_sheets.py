"""Reading a county's spreadsheet: CSV with or without BOM, GB18030, XLSX; lines kept."""

from __future__ import annotations

import pytest

from server.core.problems import Problem
from server.core.sheets import read_sheet
from server.domain.orgs.rows import ALIASES
from tests.orgs.conftest import COUNTY, HEADER, TOWNSHIP, csv_bytes, xlsx_bytes


@pytest.mark.parametrize("bom", [True, False])
def test_a_utf8_csv_reads_with_or_without_bom(bom):
    sheet = read_sheet(csv_bytes([COUNTY], bom=bom), "x.csv")
    assert sheet.columns == HEADER
    assert sheet.rows[0].values["code"] == "350521000000"


def test_a_gb18030_csv_from_excel_reads_too():
    data = "code,name,parent_code,population\n350521000000,惠安县,,480000\n".encode("gb18030")
    assert read_sheet(data, "x.csv").rows[0].get("name") == "惠安县"


def test_an_xlsx_reads_numbers_as_the_digits_typed():
    data = xlsx_bytes([[350521000000, "惠安县", None, 480000.0]])
    row = read_sheet(data, "x.xlsx").rows[0]
    assert (row.get("code"), row.get("population"), row.get("parent_code")) == (
        "350521000000",
        "480000",
        "",
    )


def test_rows_keep_their_line_in_the_file_and_blank_rows_are_skipped():
    data = csv_bytes([COUNTY, ["", "", "", ""], TOWNSHIP])
    assert [row.line for row in read_sheet(data, "x.csv").rows] == [2, 4]


def test_chinese_headers_read_as_ours():
    data = csv_bytes([COUNTY], header=["代码", "名称", "上级代码", "户籍人口"])
    assert read_sheet(data, "x.csv", ALIASES).columns == HEADER


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04not really a zip", b"\x00\x01\x02"])
def test_a_file_that_is_no_sheet_is_import_file_unreadable(data):
    with pytest.raises(Problem) as caught:
        read_sheet(data, "x.xlsx" if data.startswith(b"PK") else "x.csv")
    assert caught.value.code == "import_file_unreadable"
