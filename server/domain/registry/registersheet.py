"""A county's register spreadsheet as the import reads it: the column names it knows (Chinese
headings too), the words of its cells (sexes, tags, dates), and the plan of households and
people read from it, with its report. `importing.py` makes the plan and writes it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from server.core.org import OrgUnit
from server.core.problems import IMPORT_VALUE_INVALID
from server.core.sheets import Issue
from server.domain.registry.model import TAGS

REQUIRED = ("village_code", "household_no", "address", "name", "sex", "birth_date")
ALIASES = {
    "村代码": "village_code",
    "村": "village_code",
    "户号": "household_no",
    "户编号": "household_no",
    "地址": "address",
    "住址": "address",
    "家庭住址": "address",
    "姓名": "name",
    "性别": "sex",
    "出生日期": "birth_date",
    "身份证号": "id_number",
    "身份证号码": "id_number",
    "电话": "phone",
    "手机": "phone",
    "联系电话": "phone",
    "标签": "tags",
    "人群分类": "tags",
    "户主": "head",
    "与户主关系": "relation",
}
SEXES = {"m": "M", "男": "M", "1": "M", "f": "F", "女": "F", "2": "F"}
TAG_WORDS = {
    "孕妇": "pregnant",
    "产妇": "postpartum",
    "高血压": "hypertension",
    "糖尿病": "diabetes",
    "严重精神障碍": "severe_mental_disorder",
    "肺结核": "tuberculosis",
    "低保": "low_income",
}
_DATE = re.compile(r"^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?$")
_SPLIT = re.compile(r"[,，、;；\s]+")


@dataclass
class Person:
    line: int
    key: tuple[int, str]
    name: str
    sex: str
    birth_date: date
    id_number: str | None
    phone: str | None
    tags: list[str]
    head: bool
    duplicates: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class HouseholdRow:
    line: int
    village: OrgUnit
    number: str
    address: str
    members: list[Person] = field(default_factory=list)


@dataclass
class RegisterPlan:
    households: dict[tuple[int, str], HouseholdRow] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    keep_duplicates: bool = False

    def to_create(self) -> list[tuple[HouseholdRow, list[Person]]]:
        out = []
        for household in self.households.values():
            members = [p for p in household.members if self.keep_duplicates or not p.duplicates]
            if members:
                out.append((household, members))
        return out

    def report(self) -> dict[str, Any]:
        people = [p for h in self.households.values() for p in h.members]
        creating = self.to_create()
        suspected = [p for p in people if p.duplicates]
        return {
            "summary": {
                "households": len(creating),
                "residents": sum(len(m) for _, m in creating),
                "suspected_duplicates": len(suspected),
                "skipped": 0 if self.keep_duplicates else len(suspected),
                "errors": len(self.issues),
            },
            "duplicates": [
                {"line": p.line, "name": p.name, "matches": p.duplicates} for p in suspected
            ],
            "errors": [i.as_dict() for i in self.issues],
        }


def parse_date(text: str) -> date | None:
    match = _DATE.match(text.strip())
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def tags_of(text: str) -> tuple[list[str], list[str]]:
    """(known tags, unknown words) of a tags cell: codes or their Chinese names."""
    known, unknown = [], []
    for word in filter(None, _SPLIT.split(text)):
        tag = TAG_WORDS.get(word, word.lower())
        (known if tag in TAGS else unknown).append(tag if tag in TAGS else word)
    return list(dict.fromkeys(known)), unknown


def invalid_value(line: int, column: str, value: str, expected: str) -> Issue:
    params = {"column": column, "value": value, "expected": expected}
    return Issue(line, column, IMPORT_VALUE_INVALID, params)
