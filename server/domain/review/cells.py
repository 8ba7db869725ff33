"""What a spreadsheet cell may hold: no formula from the data (CSV injection), no character
XML forbids."""

from __future__ import annotations

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """Text a spreadsheet will not run as a formula (CSV injection); numbers stay numbers."""
    if text.startswith(FORMULA_STARTS):
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text


def xml_text(text: str) -> str:
    """Text an XLSX cell can hold: control characters XML forbids are dropped.

    New text never holds them (server/core/inputrules.py); rows stored before that rule still
    may, and one such cell must not fail the whole workbook.
    """
    return ILLEGAL_CHARACTERS_RE.sub("", text)
