"""The rows of an org-unit file: each read and checked on its own, and the plan they make.

`importing.py` places each row in the tree (parent, level, scope, moves) and applies the plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from server.core.problems import (
    IMPORT_DUPLICATE_ROW,
    IMPORT_VALUE_REQUIRED,
    ORG_CODE_INVALID,
    ORG_NAME_INVALID,
    ORG_POPULATION_INVALID,
)
from server.core.sheets import Issue, Sheet, is_yes
from server.domain.orgs.codes import level_of_code

REQUIRED = ("code", "name", "parent_code", "population")
# The headers a county's own Excel tends to have, read as ours.
ALIASES = {
    "代码": "code",
    "区划代码": "code",
    "统计用区划代码": "code",
    "名称": "name",
    "单位名称": "name",
    "上级代码": "parent_code",
    "上级区划代码": "parent_code",
    "户籍人口": "population",
    "人口": "population",
    "移动": "move",
}
_RESIDENT = re.compile(r"^(?:resident_population_|常住人口_?)(\d{4})$")
MAX_NAME = 100


@dataclass
class UnitRow:
    line: int
    code: str
    name: str
    level: str
    parent_code: str
    population: int
    resident: dict[str, int]
    move: bool


@dataclass
class Outcome:
    """What the import does to one row's unit: `changes` maps a field to [before, after]."""

    row: UnitRow
    changes: dict[str, list[Any]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.row.line,
            "code": self.row.code,
            "name": self.row.name,
            "level": self.row.level,
            "parent_code": self.row.parent_code or None,
            "changes": self.changes,
        }


@dataclass
class OrgImportPlan:
    added: list[Outcome] = field(default_factory=list)
    updated: list[Outcome] = field(default_factory=list)
    unchanged: list[Outcome] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    not_in_file: int = 0

    def _with(self, *keys: str) -> list[Outcome]:
        return [o for o in self.updated if any(k in keys for k in o.changes)]

    def report(self) -> dict[str, Any]:
        """The preview a person reads before applying: counts, then each change."""
        renamed, population, moved = (
            self._with("name"),
            self._with("population", "resident_population"),
            self._with("parent_code"),
        )
        return {
            "summary": {
                "added": len(self.added),
                "renamed": len(renamed),
                "population_changed": len(population),
                "moved": len(moved),
                "unchanged": len(self.unchanged),
                "not_in_file": self.not_in_file,
                "errors": len(self.issues),
            },
            "added": [o.as_dict() for o in self.added],
            "renamed": [o.as_dict() for o in renamed],
            "population_changed": [o.as_dict() for o in population],
            "moved": [o.as_dict() for o in moved],
            "errors": [i.as_dict() for i in self.issues],
        }


def _count(text: str) -> int | None:
    cleaned = text.replace(",", "").replace("，", "").strip()
    return int(cleaned) if cleaned.isdigit() else None


def parse_rows(sheet: Sheet, issues: list[Issue]) -> list[UnitRow]:
    """Each row's own cells checked (shape of the code, name, populations); duplicates refused."""
    years = {col: m.group(1) for col in sheet.columns if (m := _RESIDENT.match(col))}
    rows: list[UnitRow] = []
    first_line: dict[str, int] = {}
    for row in sheet.rows:
        found = len(issues)
        code, name = row.get("code"), row.get("name")
        level = level_of_code(code)
        if not code:
            issues.append(Issue(row.line, "code", IMPORT_VALUE_REQUIRED, {"column": "code"}))
        elif level is None:
            issues.append(Issue(row.line, "code", ORG_CODE_INVALID, {"code": code}))
        elif code in first_line:
            params = {"column": "code", "value": code, "first_line": first_line[code]}
            issues.append(Issue(row.line, "code", IMPORT_DUPLICATE_ROW, params))
        if not 1 <= len(name) <= MAX_NAME:
            issues.append(Issue(row.line, "name", ORG_NAME_INVALID))
        population = _count(row.get("population"))
        if population is None:
            value = row.get("population")
            issues.append(Issue(row.line, "population", ORG_POPULATION_INVALID, {"value": value}))
        resident = {}
        for column, year in years.items():
            if not row.get(column):
                continue
            count = _count(row.get(column))
            if count is None:
                issues.append(
                    Issue(row.line, column, ORG_POPULATION_INVALID, {"value": row.get(column)})
                )
            else:
                resident[year] = count
        first_line.setdefault(code, row.line)
        if len(issues) == found and level is not None and population is not None:
            parent = row.get("parent_code")
            move = is_yes(row.get("move"))
            rows.append(UnitRow(row.line, code, name, level, parent, population, resident, move))
    return rows
