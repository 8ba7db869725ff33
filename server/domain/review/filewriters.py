"""Writing rows out as files: UTF-8 CSV with a BOM, streamed a few hundred rows at a time, and
XLSX through openpyxl's write-only workbook; with a tally of the rows, for the export's audit.
Shared by the record exports and the audit trail's export."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook

from server.domain.review.cells import xml_text

CHUNK_ROWS = 500
BOM = "\ufeff"


def as_text(value: Any) -> str:
    """A typed cell as CSV text: ISO dates, minutes for times, numbers as Python prints them."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@dataclass
class Tally:
    """How many data rows (the header not counted) an export wrote: its audit row says so;
    and how many of them showed a sensitive record (the `read.sensitive` row's count)."""

    rows: int = 0
    sensitive: int = 0


def counted(rows: Iterator[list[str]], tally: Tally | None) -> Iterator[list[str]]:
    """`rows` passed through, counting all but the header into `tally`."""
    for index, row in enumerate(rows):
        if tally is not None and index:
            tally.rows += 1
        yield row


def csv_bytes(rows: Iterator[list[str]]) -> Iterator[bytes]:
    """UTF-8 CSV with a BOM (so Excel reads Chinese), a few hundred rows per chunk."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    for count, row in enumerate(rows, start=1):
        writer.writerow([as_text(value) for value in row])
        if count % CHUNK_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def xlsx_bytes(
    rows: Iterator[list[str]], sheet_title: str, chunk_size: int = 64 * 1024
) -> Iterator[bytes]:
    """An XLSX built with openpyxl's write-only workbook in a temp file, then streamed."""
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(sheet_title)
        for row in rows:
            sheet.append([xml_text(text) for text in row])
        workbook.save(path)
        with open(path, "rb") as fh:
            while chunk := fh.read(chunk_size):
                yield chunk
    finally:
        os.unlink(path)
