"""Loading the contract tables: JSON files of cases that the server and the phone both pass."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from server.domain.records.catalogue import FORMS_DIR

HERE = Path(__file__).parent
# Every form-rule table (formrules.json, formrules_generated.json and one per topic, such as
# formrules_rules.json): both runners take each file named so, without a list to update.
FORMRULES_TABLES = tuple(sorted(path.stem for path in HERE.glob("formrules*.json")))
TABLES = (
    *FORMRULES_TABLES,
    "eligibility",
    "suggestions",
    "dangerflags",
    "idnumber",
    "search",
    "rebase",
    "lifeevents",
    "effects",
    "tagspans",
)


@cache
def table(name: str) -> dict[str, Any]:
    return json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))


def cases(name: str) -> list[Any]:
    """The cases of a table as pytest params, each named by its case's `name`."""
    return [pytest.param(case, id=case["name"]) for case in table(name)["cases"]]


def form_cases(names: tuple[str, ...]) -> list[Any]:
    """The cases of several form-rule tables as (table, case) params, named `table: case`."""
    return [
        pytest.param(name, case, id=f"{name}: {case['name']}")
        for name in names
        for case in table(name)["cases"]
    ]


@cache
def _file_definition(code: str, version: int) -> dict[str, Any]:
    return json.loads((FORMS_DIR / code / f"v{version}.json").read_text(encoding="utf-8"))


def definition_for(name: str, form: dict[str, Any]) -> dict[str, Any]:
    """The form a case names: one the table defines inline, else the file in server/forms/."""
    inline = table(name).get("definitions", {}).get(form["code"])
    found = inline if inline is not None else _file_definition(form["code"], form["version"])
    if found["version"] != form["version"]:
        raise LookupError(f"{form['code']} is at version {found['version']}, not {form['version']}")
    return found
