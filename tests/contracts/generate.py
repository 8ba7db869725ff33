"""Writes the generated contract tables: `python -m tests.contracts.generate`.

The output is committed; tests/contracts/test_formrules.py fails when it is stale, so a change
to a form file or to the samples shows up as a diff of cases in review.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.contracts.formcases import contract_table

GENERATED = Path(__file__).with_name("formrules_generated.json")


def render(table: dict[str, Any]) -> str:
    """The table as JSON with one case per line, so a changed case is a one-line diff."""
    head = {key: value for key, value in table.items() if key != "cases"}
    lines = [json.dumps(case, ensure_ascii=False) for case in table["cases"]]
    opening = json.dumps(head, ensure_ascii=False, indent=1)[:-2]
    return opening + ',\n "cases": [\n  ' + ",\n  ".join(lines) + "\n ]\n}\n"


def main() -> None:
    table = contract_table()
    GENERATED.write_text(render(table), encoding="utf-8")
    print(f"{GENERATED.name}: {len(table['cases'])} cases")


if __name__ == "__main__":
    main()
