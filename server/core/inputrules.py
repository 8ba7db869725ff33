"""What any value a client sends may hold, in one place, the same on SQLite and PostgreSQL.

Both databases must be able to store, index and export every value that is accepted, or one
record breaks a screen, a list or an export for everyone after it. So:

- text: C0 control characters other than tab, newline and carriage return are refused, not
  stripped (a NUL ends text on PostgreSQL, a vertical tab is illegal in XLSX, and silently
  changing what an assistant typed hides the problem); lone UTF-16 surrogates are refused
  (they are not Unicode text and cannot be written as UTF-8);
- structure: a pushed value nests at most `MAX_DEPTH` levels (a form answer needs three);
- integers naming a row or a form version fit a 32-bit column (`MAX_ID`); page numbers and
  other counts fit 64 bits;
- dates: a birth date is not before 1900-01-01, a visit or service date not before
  2000-01-01, and neither is after today's date in China.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

REFUSED_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
TEXT_MESSAGE = (
    "含有无法保存的控制字符或无效字符。"
    " Contains a control character or an invalid character that cannot be stored."
)
DEPTH_MESSAGE = "嵌套层数过多。 Nested too deeply."
MAX_DEPTH = 32
MAX_ID = 2**31 - 1
MAX_INT64 = 2**63 - 1
EARLIEST_BIRTH_DATE = date(1900, 1, 1)
EARLIEST_VISIT_DATE = date(2000, 1, 1)

Path = tuple[str, ...]


def text_problem(text: str) -> str | None:
    """Why this text cannot be stored, or None."""
    return TEXT_MESSAGE if REFUSED_TEXT.search(text) else None


def value_problems(value: Any, path: Path = (), depth: int = 0) -> list[tuple[Path, str]]:
    """Every place in a JSON value (keys included) holding refused text or nesting too deep."""
    if isinstance(value, str):
        problem = text_problem(value)
        return [(path, problem)] if problem else []
    if not isinstance(value, dict | list):
        return []
    if depth >= MAX_DEPTH:
        return [(path[:3], DEPTH_MESSAGE)]
    items = value.items() if isinstance(value, dict) else enumerate(value)
    found: list[tuple[Path, str]] = []
    for key, item in items:
        name = str(key)
        if isinstance(key, str) and text_problem(key):
            name = "_key"
            found.append(((*path, name), TEXT_MESSAGE))
        found.extend(value_problems(item, (*path, name), depth + 1))
    return found


def nest_errors(problems: list[tuple[Path, str]]) -> dict[str, Any]:
    """Problems as the API's error shape: `{field: [message]}`, nested for nested fields."""
    errors: dict[str, Any] = {}
    for path, message in problems:
        node = errors
        for part in path[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                break
            node = child
        else:
            node.setdefault(path[-1] if path else "_schema", []).append(message)
    return errors


def date_problem(day: date, earliest: date, today: date) -> str | None:
    """Why this date is not plausible, or None."""
    if day < earliest:
        return f"不能早于 {earliest.isoformat()}。 Must not be before {earliest.isoformat()}."
    if day > today:
        return "This date is in the future."
    return None
