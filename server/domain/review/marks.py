"""Answers a supervisor must look at, marked from data beside the form versions.

Published form versions never change (tests/catalogue/published_forms.json), so what counts
as a danger value is not written into them: `server/forms/<code>/marks.json` lists rules by
field name, and a rule applies to every version of the form that has a field of that name
(docs/forms.md, *Reviewer marks*). Three kinds:

- `plausible` (`min`, `max`): a value outside the usual range, likely a typing slip;
- `danger` (`at_least`, `at_most`, `equals`, `includes`): a value or a sign the definition's
  owners want a supervisor to act on (BP ≥180/110, glucose ≥16.7, a mother with a fever);
- `change` (`more_than`): a number that moved more than that since the resident's previous
  record of the same form.

`part` picks `systolic` or `diastolic` of a blood pressure. A field that is hidden by its
`show_if` or not answered is never marked. Besides these, every danger value the record's own
form version defines (its top-level `danger`, records/danger.py) that the answers meet is a
`danger` mark on the field that met it, first. Nothing here reads a request or a table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from server.domain.records.catalogue import FORMS_DIR, MARKS_FILE
from server.domain.records.danger import met_dangers
from server.domain.records.form_labels import field_label
from server.domain.records.formfields import unit_text
from server.domain.records.formrules import is_blank, visible_fields

KINDS = {
    "plausible": {"min", "max"},
    "danger": {"at_least", "at_most", "equals", "includes"},
    "change": {"more_than"},
}
PARTS = {
    "systolic": {"zh": "收缩压", "en": "systolic"},
    "diastolic": {"zh": "舒张压", "en": "diastolic"},
}
COMMON = {"field", "kind", "part", "message"}


@dataclass(frozen=True)
class Mark:
    """One marked answer: which field, which kind of rule, and what to tell the reviewer."""

    field: str
    kind: str
    message: dict[str, str]

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "kind": self.kind, "message": self.message}


class MarksError(ValueError):
    """A marks file that cannot be used; the message names the file and the rule."""


def check_rules(raw: Any, where: str = "marks.json") -> list[dict[str, Any]]:
    """The rules of a marks file, or MarksError saying what is wrong with which rule."""
    if not isinstance(raw, dict) or not isinstance(raw.get("marks"), list):
        raise MarksError(f"{where}: expected an object with a list under 'marks'.")
    rules = raw["marks"]
    for index, rule in enumerate(rules):
        here = f"{where}: rule {index}"
        if not isinstance(rule, dict) or not isinstance(rule.get("field"), str):
            raise MarksError(f"{here}: needs a field name.")
        kind = rule.get("kind")
        if kind not in KINDS:
            raise MarksError(f"{here}: kind must be one of {', '.join(KINDS)}.")
        extra = set(rule) - COMMON - KINDS[kind]
        if extra or not set(rule) & KINDS[kind]:
            raise MarksError(f"{here}: a {kind} rule takes {', '.join(sorted(KINDS[kind]))}.")
        if rule.get("part") not in (None, *PARTS):
            raise MarksError(f"{here}: part must be systolic or diastolic.")
        message = rule.get("message")
        if kind == "danger" and not (
            isinstance(message, dict) and message.get("zh") and message.get("en")
        ):
            raise MarksError(f"{here}: a danger rule needs a message in zh and en.")
    return rules


@cache
def rules_for(code: str, directory: Path = FORMS_DIR) -> tuple[dict[str, Any], ...]:
    """The marks of one form code (none when it has no marks file); read once per process."""
    path = directory / code / MARKS_FILE
    if not path.exists():
        return ()
    raw = json.loads(path.read_text(encoding="utf-8"))
    return tuple(check_rules(raw, f"{code}/{MARKS_FILE}"))


def has_change_rules(rules: tuple[dict[str, Any], ...] | list[dict[str, Any]]) -> bool:
    return any(rule["kind"] == "change" for rule in rules)


def _number(value: Any, part: str | None) -> float | None:
    if part is not None:
        value = value.get(part) if isinstance(value, dict) else None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _fmt(number: Any) -> str:
    return f"{number:g}" if isinstance(number, float) else str(number)


def _name(spec: dict[str, Any], part: str | None, lang: str) -> str:
    label = field_label(spec) if lang == "zh" else (spec.get("label") or {}).get("en", spec["name"])
    return f"{label}（{PARTS[part][lang]}）" if part else label


def _danger(rule: dict[str, Any], value: Any) -> bool:
    part = rule.get("part")
    number = _number(value, part)
    if "at_least" in rule and number is not None and number >= rule["at_least"]:
        return True
    if "at_most" in rule and number is not None and number <= rule["at_most"]:
        return True
    if "equals" in rule and type(value) is type(rule["equals"]) and value == rule["equals"]:
        return True
    chosen = value if isinstance(value, list) else [value]
    return "includes" in rule and any(item in rule["includes"] for item in chosen)


def _message(rule: dict[str, Any], spec: dict[str, Any], text: dict[str, str]) -> dict[str, str]:
    return rule.get("message") or text


def _plausible(rule: dict[str, Any], spec: dict[str, Any], value: Any) -> dict[str, str] | None:
    part = rule.get("part")
    number = _number(value, part)
    low, high = rule.get("min"), rule.get("max")
    if number is None or ((low is None or number >= low) and (high is None or number <= high)):
        return None
    zh, en = unit_text(spec.get("unit"), "zh"), unit_text(spec.get("unit"), "en")
    span = f"{_fmt(low) if low is not None else ''}–{_fmt(high) if high is not None else ''}"
    return _message(
        rule,
        spec,
        {
            "zh": f"{_name(spec, part, 'zh')} {_fmt(number)} 超出常见范围（{span} {zh}），请核实",
            "en": f"{_name(spec, part, 'en')} {_fmt(number)} is outside the usual range "
            f"({span} {en}); please check",
        },
    )


def _change(
    rule: dict[str, Any], spec: dict[str, Any], value: Any, previous: dict[str, Any] | None
) -> dict[str, str] | None:
    part = rule.get("part")
    now = _number(value, part)
    before = _number((previous or {}).get(spec["name"]), part)
    if now is None or before is None or abs(now - before) <= rule["more_than"]:
        return None
    zh, en = unit_text(spec.get("unit"), "zh"), unit_text(spec.get("unit"), "en")
    step = f"{_fmt(before)} → {_fmt(now)}"
    return _message(
        rule,
        spec,
        {
            "zh": f"{_name(spec, part, 'zh')}比上次变化大（{step} {zh}，超过 "
            f"{_fmt(rule['more_than'])}）",
            "en": f"{_name(spec, part, 'en')} changed a lot since the last record ({step} "
            f"{en}, more than {_fmt(rule['more_than'])})",
        },
    )


def _met(danger: dict[str, Any], name: str) -> Mark:
    """A danger value of the definition, met: to be reported to the doctor or centre today."""
    label = danger["label"]
    return Mark(
        name,
        "danger",
        {
            "zh": f"{label['zh']}：须当日报告村医或卫生院",
            "en": f"{label['en']}: to be reported to the village doctor or health centre today",
        },
    )


def marks_of(
    rules: tuple[dict[str, Any], ...] | list[dict[str, Any]],
    definition: dict[str, Any] | None,
    data: dict[str, Any],
    previous: dict[str, Any] | None = None,
) -> list[Mark]:
    """The marks of one record's answers; `previous` is the resident's last record's data."""
    if not definition:
        return []
    found = [_met(danger, name) for danger, name in met_dangers(definition, data)]
    if not rules:
        return found
    specs = {spec["name"]: spec for spec in definition.get("fields", [])}
    shown = visible_fields(definition, data)
    already = {mark.field for mark in found}  # the definition's own danger says it first
    for rule in rules:
        name = rule["field"]
        spec, value = specs.get(name), data.get(name)
        if spec is None or name not in shown or is_blank(value):
            continue
        if rule["kind"] == "danger" and name in already:
            continue
        if rule["kind"] == "danger":
            message = rule["message"] if _danger(rule, value) else None
        elif rule["kind"] == "plausible":
            message = _plausible(rule, spec, value)
        else:
            message = _change(rule, spec, value, previous)
        if message:
            found.append(Mark(name, rule["kind"], message))
    return found
