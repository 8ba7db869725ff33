"""The XLSX export: typed cells, a bold frozen header row, column widths, a sheet per form.

openpyxl's write-only workbook keeps nothing but the current row: each sheet streams from its
own query (export_rows) into a temporary file, which is then streamed out and deleted, so a
county's month costs the same memory as a village's (tests/workspace/test_exports.py).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy.orm import Session

from server.domain.accounts.model import User
from server.domain.records.form_labels import DefinitionCache
from server.domain.review import exports
from server.domain.review.cells import xml_text
from server.domain.review.filewriters import Tally, counted
from server.domain.review.queue import RecordFilters

# Typed fixed columns (the rest are text); the widths Excel opens them with, in characters.
FIXED_KINDS = {"出生日期": "date", "表单版本": "number", "服务日期": "date", "接收时间": "datetime"}
FIXED_WIDTHS = {"记录编号": 38, "身份证号(脱敏)": 20, "审核意见": 30, "接收时间": 18}


def _width(header: str, kind: str) -> float:
    """Characters wide: a Chinese character takes two; numbers and dates need little."""
    if header in FIXED_WIDTHS:
        return FIXED_WIDTHS[header]
    text = sum(2 if ord(ch) > 0x2E80 else 1 for ch in header) + 2
    floor = {"number": 8, "date": 12, "datetime": 18}.get(kind, 10)
    return float(min(max(text, floor), 40))


def sheet_name(title: str, taken: set[str]) -> str:
    """A worksheet name Excel accepts (31 characters, none of []:*?/\\), unique in the book."""
    name = re.sub(r"[\[\]:*?/\\]", "", title)[:31] or "表单"
    base, n = name, 2
    while name in taken:
        name = f"{base[: 31 - len(str(n)) - 1]}-{n}"
        n += 1
    taken.add(name)
    return name


def _write_sheet(workbook: Workbook, name: str, rows: Iterator[list[Any]]) -> None:
    """One worksheet: a bold, frozen header row, widths by column kind, typed cells."""
    sheet = workbook.create_sheet(name)
    header = next(rows, None)
    if header is None:
        return
    first = next(rows, None)
    for index, title in enumerate(header, start=1):
        sample = first[index - 1] if first else None
        kind = FIXED_KINDS.get(title) or (
            "datetime" if isinstance(sample, datetime) else
            "date" if isinstance(sample, date) else
            "number" if isinstance(sample, (int, float)) else "text"
        )  # fmt: skip
        sheet.column_dimensions[get_column_letter(index)].width = _width(title, kind)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    cells = []
    for title in header:
        cell = WriteOnlyCell(sheet, value=xml_text(title))
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for row in [first] if first else []:
        sheet.append(_xlsx_row(sheet, row))
    for row in rows:
        sheet.append(_xlsx_row(sheet, row))


def _xlsx_row(sheet: Any, row: list[Any]) -> list[Any]:
    out = []
    for value in row:
        if isinstance(value, str):
            out.append(xml_text(value))
        elif isinstance(value, datetime):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = "yyyy-mm-dd hh:mm"
            out.append(cell)
        elif isinstance(value, date):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = "yyyy-mm-dd"
            out.append(cell)
        else:
            out.append(value)
    return out


def xlsx_chunks(
    session: Session,
    user: User,
    filters: RecordFilters,
    tally: Tally | None = None,
    chunk_size: int = 64 * 1024,
) -> Iterator[bytes]:
    """An XLSX built with openpyxl's write-only workbook in a temp file, then streamed.

    Several forms give one sheet per form (each with its own columns), written one after the
    other from their own streamed query; one form (or none) gives one sheet.
    """
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        workbook = Workbook(write_only=True)
        codes = exports.form_codes(session, user, filters)
        definitions = DefinitionCache(session)
        titles = {code: exports.title_of(definitions, code, v) for code, v in codes.items()}
        taken: set[str] = set()
        if len(codes) <= 1:
            title = next(iter(titles.values()), "服务记录")
            rows = counted(exports.export_rows(session, user, filters, tally), tally)
            _write_sheet(workbook, sheet_name(title, taken), rows)
        for code in codes if len(codes) > 1 else []:
            rows = exports.export_rows(session, user, replace(filters, form_code=code), tally)
            rows = counted(rows, tally)
            _write_sheet(workbook, sheet_name(titles[code], taken), rows)
        workbook.save(path)
        with open(path, "rb") as fh:
            while chunk := fh.read(chunk_size):
                yield chunk
    finally:
        os.unlink(path)
