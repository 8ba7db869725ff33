"""Every rule of every form, broken one at a time: cases derived from the definitions themselves.

`python -m tests.contracts.generate` writes these cases to tests/contracts/formrules_generated.json,
which both the server (tests/contracts/test_formrules.py) and the phone
(tests/browser/test_contracts_js.py) must pass.

For each field that carries a rule (required, a numeric range, options, show_if, a blood
pressure pair, not_future; in later versions an exclusive option, max_field) a case starts from
the form's VALID sample, sets the controlling answers so the field is shown (filling any required
question that this newly shows), checks
that sample is valid, then breaks only that one rule and expects exactly that field to fail
with the rule's message. The messages are written out here, not taken from the server's form rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from server.domain.records.catalogue import form_files
from tests.catalogue.conftest import file_definition
from tests.catalogue.later import LATER, sample_for
from tests.catalogue.samples import RESIDENT_ID

TODAY = date(2026, 3, 10)
TOMORROW = TODAY + timedelta(days=1)
NOT_AN_OPTION = "not_an_option"
RANGE_STEP = {"integer": 1, "decimal": 0.1}
BLANK = {"text": "", "multi_choice": []}  # any other type is blank when null
FILLER = {  # a valid answer, for a shown required question the VALID sample leaves empty
    "text": "x",
    "date": TODAY.isoformat(),
    "yes_no": True,
    "blood_pressure": {"systolic": 120, "diastolic": 80},
    "resident": RESIDENT_ID,
}
CODES = sorted({file.code for file in form_files()})


@dataclass(frozen=True)
class Case:
    code: str
    field: str
    rule: str
    valid: dict[str, Any]  # the starting sample: valid as it is
    broken: dict[str, Any]  # the same sample with only `rule` broken on `field`
    message: str
    version: int = 1

    @property
    def id(self) -> str:
        at = f"-v{self.version}" if self.version != 1 else ""
        return f"{self.code}{at}-{self.field}-{self.rule}"


def rule_cases(code: str, version: int = 1) -> list[Case]:
    """One failing case per rule of each field of form `code`, derived from its definition.

    Rules: `required` (answer blanked), `below_min` / `above_max` (one step past a bound),
    `unknown_option` (choice and multi_choice), `bp_order` (systolic equal to diastolic),
    `future_date` (not_future date set to tomorrow) and `hidden_answered` (the controlling
    question answered so the field is hidden, yet the field answered). A date counted from the
    visit, a computed field and the source of one break more than one rule at once: their
    cases are written by hand (formrules_maternal.json), only their hiding is generated here.
    """
    definition = file_definition(code, version)
    specs = {spec["name"]: spec for spec in definition["fields"]}
    sample = sample_for(code, version)
    relative = _visit_relative(definition)
    cases = []
    for spec in definition["fields"]:
        name = spec["name"]
        good = sample[name] if sample.get(name) is not None else _filler(spec)
        shown = _showing(specs, name, sample)
        for rule, bad, message in [] if name in relative else _breakages(spec, good):
            valid = _settle(definition, sample, {**shown, name: good})
            broken = _settle(definition, valid, {**shown, name: bad})
            cases.append(Case(code, name, rule, valid, broken, message, version))
        rule = spec.get("show_if")
        hiding = _hiding(specs[rule["field"]], rule) if rule else None
        if hiding is not None:
            controller = rule["field"]
            fixed = {**_showing(specs, controller, sample), controller: hiding}
            valid = _settle(definition, sample, fixed)
            message = f"Must be empty: this question depends on {controller}."
            broken = {**valid, name: good}
            cases.append(Case(code, name, "hidden_answered", valid, broken, message, version))
    return cases


def _visit_relative(definition: dict[str, Any]) -> set[str]:
    """Fields counted from the visit date, computed ones, and the fields they are computed from."""
    found = set()
    for spec in definition["fields"]:
        compute = spec.get("compute") or {}
        if "visit_offset_days" in spec or compute:
            found.add(spec["name"])
        source = (compute.get("add_days") or {}).get("field") or compute.get("weeks_since")
        found.add(source or compute.get("days_since"))
    return found - {None}


def contradiction_cases(code: str, version: int) -> list[Case]:
    """Version `version` of `code` breaking only its contradiction rules (`exclusive` options,
    `max_field`), from that version's sample; its other rules are generated for version 1 or
    written by hand (formrules_maternal.json)."""
    definition = file_definition(code, version)
    specs = {spec["name"]: spec for spec in definition["fields"]}
    sample = sample_for(code, version)
    cases = []
    for spec in definition["fields"]:
        name = spec["name"]
        shown = _showing(specs, name, sample)
        bound = spec.get("max_field")
        if bound:
            shown = {**shown, **_showing(specs, bound, sample), bound: sample.get(bound)}
        for rule, bad, message in _contradictions(spec, sample):
            good = sample[name] if sample.get(name) is not None else _filler(spec)
            valid = _settle(definition, sample, {**shown, name: good})
            broken = _settle(definition, valid, {**shown, name: bad})
            cases.append(Case(code, name, rule, valid, broken, message, version))
    return cases


def _contradictions(spec: dict[str, Any], sample: dict[str, Any]) -> list[tuple[str, Any, str]]:
    """An exclusive option chosen with another; a number one step over its `max_field`."""
    found = []
    options = spec.get("options") or []
    alone = next((o for o in options if o.get("exclusive")), None)
    other = next((o for o in options if not o.get("exclusive")), None)
    if spec["type"] == "multi_choice" and alone and other:
        message = f'"{alone["label"]["en"]}" cannot be chosen with other options.'
        found.append(("exclusive_with_other", [alone["value"], other["value"]], message))
    bound = spec.get("max_field")
    limit = sample.get(bound) if bound else None
    if limit is not None:
        over = round(limit + RANGE_STEP[spec["type"]], 2)
        if spec.get("max") is None or over <= spec["max"]:
            found.append(("over_max_field", over, f"Must not be greater than {bound}."))
    return found


def _breakages(spec: dict[str, Any], good: Any) -> list[tuple[str, Any, str]]:
    """(rule, bad answer, expected message) for each rule the field itself carries."""
    kind = spec["type"]
    found = []
    if spec.get("required"):
        found.append(("required", BLANK.get(kind), "This field is required."))
    if kind in RANGE_STEP:
        step = RANGE_STEP[kind]
        if "min" in spec:
            found.append(("below_min", round(spec["min"] - step, 2), _range_message(spec, "min")))
        if "max" in spec:
            found.append(("above_max", round(spec["max"] + step, 2), _range_message(spec, "max")))
    if kind == "choice":
        found.append(("unknown_option", NOT_AN_OPTION, "Choose one of the listed options."))
    if kind == "multi_choice":
        bad = [*good, NOT_AN_OPTION]
        found.append(("unknown_option", bad, "Choose only from the listed options."))
    if kind == "blood_pressure":
        bad = {"systolic": 120, "diastolic": 120}
        found.append(("bp_order", bad, "Systolic pressure must be higher than diastolic pressure."))
    if spec.get("not_future"):
        found.append(("future_date", TOMORROW.isoformat(), "Must not be in the future."))
    return found


def _range_message(spec: dict[str, Any], bound: str) -> str:
    low, high, unit = spec.get("min"), spec.get("max"), spec.get("unit")
    unit = unit["en"] if isinstance(unit, dict) else unit  # a unit in both languages
    suffix = f" {unit}" if unit else ""
    if low is not None and high is not None:
        return f"Must be between {_number(low)} and {_number(high)}{suffix}."
    if bound == "min":
        return f"Must be at least {_number(low)}{suffix}."
    return f"Must be at most {_number(high)}{suffix}."


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _shows(rule: dict[str, Any], answer: Any) -> bool:
    """Whether an answer to the controlling question shows the field (lists: any item does)."""
    wanted = [rule["equals"]] if "equals" in rule else rule["in"]
    answers = answer if isinstance(answer, list) else [answer]
    return any(type(a) is type(w) and a == w for a in answers for w in wanted)


def _is_blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def _filler(spec: dict[str, Any]) -> Any:
    kind = spec["type"]
    offset = spec.get("visit_offset_days")
    if kind == "date" and offset:  # the day nearest the visit (TODAY) within the bounds
        return (TODAY + timedelta(days=min(max(0, offset["min"]), offset["max"]))).isoformat()
    if kind in RANGE_STEP:
        return spec.get("min", spec.get("max", 0))
    if kind == "choice":
        return spec["options"][0]["value"]
    if kind == "multi_choice":
        return [spec["options"][0]["value"]]
    return FILLER[kind]


def _showing(specs: dict[str, dict[str, Any]], name: str, sample: dict[str, Any]) -> dict:
    """Answers up the chain of controlling questions that show `name` (the sample's, if so)."""
    answers = {}
    rule = specs[name].get("show_if")
    while rule:
        controller = specs[rule["field"]]
        answer = sample.get(controller["name"])
        if not _shows(rule, answer):
            wanted = rule["equals"] if "equals" in rule else rule["in"][0]
            answer = [wanted] if controller["type"] == "multi_choice" else wanted
        answers[controller["name"]] = answer
        rule = controller.get("show_if")
    return answers


def _hiding(controller: dict[str, Any], rule: dict[str, Any]) -> Any:
    """An answer to the controlling question that hides the field; None if there is none."""
    kind = controller["type"]
    possible = [True, False] if kind == "yes_no" else [o["value"] for o in controller["options"]]
    hiding = [value for value in possible if not _shows(rule, value)]
    if not hiding:
        return None
    return [hiding[0]] if kind == "multi_choice" else hiding[0]


def _settle(definition: dict[str, Any], data: dict[str, Any], fixed: dict[str, Any]) -> dict:
    """`data` with the `fixed` answers; other hidden answers dropped, shown required ones filled.

    A question a danger value may require ("reported today") counts as required, and a computed
    field gets what its source date makes (the visit is TODAY), so the sample stays valid.
    """
    settled: dict[str, Any] = {}
    shown: set[str] = set()
    needed = {danger["requires"] for danger in definition.get("danger") or []}
    for spec in definition["fields"]:
        name, rule = spec["name"], spec.get("show_if")
        if rule is None or (rule["field"] in shown and _shows(rule, settled.get(rule["field"]))):
            shown.add(name)
        if name in fixed:
            value = fixed[name]
        elif name not in shown:
            continue
        else:
            value = data.get(name)
            if (spec.get("required") or name in needed) and _is_blank(value):
                value = _filler(spec)
            if spec.get("compute"):
                value = _computed(spec["compute"], settled)
        if value is not None:
            settled[name] = value
    return settled


def _computed(compute: dict[str, Any], answers: dict[str, Any]) -> Any:
    """EDD = source + days, or whole weeks / days from the source date to TODAY (the visit)."""
    kind, rule = next(iter(compute.items()))
    source = answers.get(rule["field"] if kind == "add_days" else rule)
    try:
        start = date.fromisoformat(source) if isinstance(source, str) else None
    except ValueError:
        start = None
    if start is None:
        return None
    if kind == "add_days":
        return (start + timedelta(days=rule["days"])).isoformat()
    days = (TODAY - start).days
    return days // 7 if kind == "weeks_since" else days


# The generator's names for what it breaks, and the rule id the phone reports for each.
RULE_IDS = {
    "required": "required",
    "below_min": "min",
    "above_max": "max",
    "unknown_option": "choice",
    "hidden_answered": "hidden",
    "bp_order": "bp_order",
    "future_date": "future",
    "exclusive_with_other": "exclusive",
    "over_max_field": "max_field",
}
# Later versions, each generated for the rules it adds (the others are version 1's).
LATER_VERSIONS = sorted({(f.code, f.version) for f in form_files() if f.version > 1})


def all_cases() -> list[Case]:
    first = [case for code in CODES for case in rule_cases(code)]
    # Later versions with questions of their own (a sample in LATER) get every rule generated.
    later = [case for code, v in sorted(LATER) for case in rule_cases(code, v)]
    contradictions = [case for code, v in LATER_VERSIONS for case in contradiction_cases(code, v)]
    return first + later + contradictions


def contract_cases(cases: list[Case]) -> list[dict[str, Any]]:
    """The cases as contract entries: each valid starting sample once, then each broken one."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for case in cases:
        form = {"code": case.code, "version": case.version}
        key = repr((case.code, case.version, sorted(case.valid.items())))
        if key not in seen:
            seen.add(key)
            out.append(
                {"name": f"{case.id} starts valid", "form": form, "answers": case.valid,
                 "errors": {}}
            )  # fmt: skip
        error = {"rule": RULE_IDS[case.rule], "message": case.message}
        out.append(
            {"name": case.id, "form": form, "answers": case.broken,
             "errors": {case.field: [error]}}
        )  # fmt: skip
    return out


def contract_table() -> dict[str, Any]:
    return {
        "about": "Generated by `python -m tests.contracts.generate` from server/forms/ and "
        "tests/catalogue/samples.py; do not edit by hand.",
        "today": TODAY.isoformat(),
        "cases": contract_cases(all_cases()),
    }
