"""Reading the spreadsheets a county hands over: CSV (UTF-8 with or without BOM) or XLSX.

A county's lists come from Excel: the org tree, the staff, the paper registers typed up. Every
importer reads them here into the same shape, a header row and rows that keep their line number,
so a problem can be reported as "line 7, column code" whichever kind of file it came from.
Problems with one row are `Issue`s, collected and reported together, each with a catalogue code
the workspace words in Chinese; a file that cannot be read at all is one `Problem`.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from server.core.problems import (
    IMPORT_COLUMN_MISSING,
    IMPORT_FILE_UNREADABLE,
    IMPORT_HAS_ERRORS,
    Problem,
    ProblemType,
)

MAX_ROWS = 50_000  # a county's register is far smaller; more is a wrong file, not a register


@dataclass(frozen=True)
class Row:
    """One data row: its line in the file (the header is line 1) and its cells by column."""

    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass(frozen=True)
class Sheet:
    columns: list[str]
    rows: list[Row]


@dataclass(frozen=True)
class Issue:
    """A problem with one cell (or one row, or the header): where it is and which code it is."""

    line: int
    column: str
    kind: ProblemType
    params: dict[str, Any] = field(default_factory=dict)
    text: str | None = None  # a refusal's own message, when the issue passes one on

    @property
    def message(self) -> str:
        return self.text or self.kind.message.format(**self.params)

    @classmethod
    def of(cls, line: int, column: str, problem: Problem) -> Issue:
        """A refusal of the one-at-a-time rules, as an issue of one row."""
        return cls(line, column, problem.type, dict(problem.params), problem.message)

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "column": self.column,
            "code": self.kind.code,
            "message": self.message,
            "params": {k: str(v) for k, v in self.params.items()},
        }


def check_columns(sheet: Sheet, required: tuple[str, ...], issues: list[Issue]) -> bool:
    """Are the columns an import needs all there? Each missing one is an issue on line 1."""
    missing = [c for c in required if c not in sheet.columns]
    issues.extend(Issue(1, c, IMPORT_COLUMN_MISSING, {"column": c}) for c in missing)
    return not missing


def import_failed(issues: list[Issue]) -> Problem:
    """The refusal of a whole import: nothing written, every row's problem listed."""
    return Problem(
        IMPORT_HAS_ERRORS, errors={"rows": [i.as_dict() for i in issues]}, count=len(issues)
    )


def unreadable(reason: str) -> Problem:
    return Problem(IMPORT_FILE_UNREADABLE, errors={"file": [reason]}, reason=reason)


def read_sheet(data: bytes, filename: str = "", aliases: dict[str, str] | None = None) -> Sheet:
    """The file's header and rows; XLSX by its content (a zip), CSV otherwise.

    Column names are trimmed and lower-cased, and `aliases` maps other spellings (the Chinese
    headers a county's Excel has: 代码, 名称…) to ours. Blank rows are skipped.
    """
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        table = _xlsx_rows(data)
    else:
        table = _csv_rows(data)
    lines = iter(table)
    header = next(lines, None)
    if header is None or not any(cell.strip() for cell in header):
        raise unreadable("The file has no header row.")
    aliases = aliases or {}
    columns = [aliases.get(_key(cell), _key(cell)) for cell in header]
    rows = []
    for line, cells in enumerate(lines, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise unreadable(f"The file has more than {MAX_ROWS} rows.")
        values = {col: cell.strip() for col, cell in zip(columns, cells, strict=False) if col}
        rows.append(Row(line, values))
    return Sheet([c for c in columns if c], rows)


def _key(cell: str) -> str:
    return cell.strip().lstrip("\ufeff").strip().lower().replace(" ", "_")


def _csv_rows(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves "CSV" in GB18030
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise unreadable("The file is not text.")
    if "\x00" in text:
        raise unreadable("The file is not a CSV or XLSX file.")
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as error:
        raise unreadable(f"The CSV could not be read: {error}.") from None


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise unreadable(f"The XLSX could not be read ({type(error).__name__}).") from None
    try:
        sheet = workbook.worksheets[0]
        return [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def cell_text(value: Any) -> str:
    """A cell as the text a person typed: 350521000000 not 3.50521e11, 2026-01-05 for a date."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


YES = frozenset({"1", "y", "yes", "true", "是", "√", "✓", "x"})


def is_yes(text: str) -> bool:
    """A yes/no cell: 是, yes, 1, ✓ (anything else, blank included, is no)."""
    return text.strip().lower() in YES


def write_xlsx(header: list[str], rows: list[list[Any]], title: str = "Sheet1") -> bytes:
    """A small workbook (a sheet to print and hand out), built in memory."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
