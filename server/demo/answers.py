"""Form answers a careful assistant could have entered, made from the definitions themselves.

Every rule a definition can carry is honoured, so the server accepts every demo record:
ranges and options, `show_if`, dates within `visit_offset_days` and not before their
`not_before_field`, computed fields (EDD, gestational weeks) as the server computes them,
suggested answers as the phone would pre-fill them (visit number, check-up age point), and the
"reported today" answer a met danger value requires.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from server.domain.records.danger import met_dangers
from server.domain.records.daterules import compute_source, computed_value
from server.domain.records.formrules import condition_met
from server.domain.records.suggest import count_prior_rule, nearest_age_point, visit_number
from server.domain.registry.model import Resident
from server.domain.schedules import nip

NOTES = ["已告知", "家属在场", "按时随访", "已发放宣传资料", "电话联系确认", "已预约卫生院"]
# Answers that fit a text question by its name; a notes field gets NOTES, any other optional
# text question is left blank and a required one gets a pointer to the health centre's file.
TEXT_ANSWERS = {
    "ethnicity": ["汉族", "汉族", "汉族", "苗族", "彝族", "壮族"],
    "work_unit": ["务农", "外出务工", "个体经营", "村小学"],
    "contact_name": ["王建国", "李桂兰", "张志强", "刘秀芳"],
    "contact_phone": ["13807751234", "15977162345", "18278093456"],
    "location": ["村委会旁小卖部", "集市东头诊所"],
    "subject_name": ["张某", "李某"],
    "description": ["有人在集市上售卖来路不明的药品", "私人诊所无执业许可"],
    "sites": ["村卫生室、村小学", "村委会、幼儿园"],
    "findings": ["未见异常", "宣传栏内容已过期"],
    "incident_description": ["夜间吵闹，家属已安抚", "与邻居争吵，未造成伤害"],
    "vaccination_site": ["乡卫生院预防接种门诊"],
    "ledger_number": ["YJ-2026-0147", "YJ-2026-0213", "YJ-2026-0358"],
}
DETAILS = "详见卫生院记录"
BOOKING_LMP_DAYS = {"min": -13 * 7, "max": -6 * 7}  # an LMP 6 to 13 weeks before the booking


def _shown(field: dict[str, Any], values: dict[str, Any]) -> bool:
    rule = field.get("show_if")
    return not rule or condition_met(rule, values.get(rule["field"]))


def _date(
    rng: random.Random, field: dict[str, Any], visit: date, today: date, values: dict[str, Any]
) -> str | None:
    """A date within the field's bounds: its visit offsets, today, and an earlier date."""
    offset = field.get("visit_offset_days")
    if field["name"] == "last_menstrual_period":
        offset = BOOKING_LMP_DAYS  # booked in the first trimester
    if offset is None:
        low, high = (-30, 0) if field.get("not_future") else (7, 90)
    else:
        low, high = offset["min"], offset["max"]
    first, last = visit + timedelta(days=low), visit + timedelta(days=high)
    if field.get("not_future"):
        last = min(last, today)
    other = values.get(field.get("not_before_field", ""))
    if other is not None:
        first = max(first, date.fromisoformat(other))
    if first > last:
        return None
    return (first + timedelta(days=rng.randint(0, (last - first).days))).isoformat()


def _value(rng: random.Random, field: dict[str, Any], neighbours: list[Resident]) -> Any:
    kind = field["type"]
    low, high = field.get("min"), field.get("max")
    if kind == "text":
        return _text(rng, field)
    if kind == "integer":
        low = int(low) if low is not None else 0
        high = int(high) if high is not None else low + 10
        return rng.randint(low, min(high, low + 60))
    if kind == "decimal":
        low = float(low) if low is not None else 0.0
        high = float(high) if high is not None else low + 10
        return round(rng.uniform(low, min(high, low + 60)), 1)
    if kind == "choice":
        return rng.choice(field["options"])["value"]
    if kind == "multi_choice":
        options = [o["value"] for o in field["options"]]
        picked = rng.sample(options, k=min(len(options), rng.randint(1, 2)))
        alone = {o["value"] for o in field["options"] if o.get("exclusive")}
        return picked[:1] if alone & set(picked) else picked  # "none" stands alone
    if kind == "yes_no":
        return rng.random() < 0.7
    if kind == "blood_pressure":
        systolic = rng.randint(112, 168)
        return {"systolic": systolic, "diastolic": rng.randint(66, min(98, systolic - 20))}
    if kind == "resident":
        return str(rng.choice(neighbours).id) if neighbours else None
    raise ValueError(f"Unknown field type {kind!r}")


def due_doses(
    options: list[dict[str, Any]], birth_date: date | None, sex: str | None, visit: date
) -> list[str]:
    """The dose options due for this child within a month of the visit and not yet late, by the
    newest national schedule (server/domain/schedules/nip.py): no HPV for a boy."""
    if birth_date is None:
        return []
    plan = nip.schedule(nip.versions()[-1])
    due = []
    for option in options:
        if option["value"] not in plan.codes:
            continue
        dose = plan.dose(option["value"])
        late = dose.late_from(birth_date)
        if (
            dose.applies_to(sex, birth_date)
            and dose.due_on(birth_date) <= visit + timedelta(days=30)
            and (late is None or visit < late)
        ):
            due.append(option["value"])
    return due


def _text(rng: random.Random, field: dict[str, Any]) -> str | None:
    name = field["name"]
    if name in TEXT_ANSWERS:
        answer = rng.choice(TEXT_ANSWERS[name])
    elif name.endswith("notes"):
        answer = rng.choice(NOTES)
    elif field.get("required"):
        answer = DETAILS
    else:
        return None
    return answer[: field.get("max_length") or 200]


def _computed(field: dict[str, Any], values: dict[str, Any], visit: date) -> Any:
    source = values.get(compute_source(field["compute"]))
    if source is None:
        return None
    value = computed_value(field["compute"], date.fromisoformat(source), visit)
    return value.isoformat() if isinstance(value, date) else value


def _suggested(
    field: dict[str, Any],
    visit: date,
    birth_date: date | None,
    prior: list[dict[str, Any]],
    values: dict[str, Any],
) -> Any:
    rule = field["suggest"]
    if "count_prior" in rule:
        form, since = count_prior_rule(rule, values)
        number = visit_number(form, visit, prior, since=since)
        return min(max(number, field.get("min", number)), field.get("max", number))
    return nearest_age_point(field, birth_date, visit)


def _opens_a_resident_nobody_can_fill(
    definition: dict[str, Any], field: dict[str, Any], neighbours: list[Resident]
) -> bool:
    """A yes/no that shows a required resident question, when there is no resident to choose."""
    if field["type"] != "yes_no" or neighbours:
        return False
    return any(
        other["type"] == "resident"
        and other.get("required")
        and (other.get("show_if") or {}).get("field") == field["name"]
        for other in definition["fields"]
    )


def sample_data(
    rng: random.Random,
    definition: dict[str, Any],
    visit: date,
    neighbours: list[Resident],
    *,
    today: date | None = None,
    birth_date: date | None = None,
    sex: str | None = None,
    prior: list[dict[str, Any]] | None = None,
    chosen: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Form data within every rule of the definition, for a visit on `visit`.

    `birth_date` and `prior` (the resident's earlier records as dicts with `form_code`,
    `visit_date`, `review_status`) feed the suggested answers, as on the phone.
    """
    today = today or visit
    values: dict[str, Any] = {}
    suggested: list[dict[str, Any]] = []  # filled last: a visit number counts from a later date
    for field in definition["fields"]:
        if not _shown(field, values):
            continue
        if field["name"] in (chosen or {}):
            value = (chosen or {})[field["name"]]  # a visit of a chain (first, routine, closing)
        elif field.get("compute"):
            value = _computed(field, values, visit)
        elif field.get("suggest") and rng.random() < 0.9:
            suggested.append(field)
            continue
        elif not field.get("required") and rng.random() < 0.25:
            continue
        elif field["type"] == "date":
            value = _date(rng, field, visit, today, values)
        elif field["name"] == "doses" and field["type"] == "multi_choice":
            due = due_doses(field["options"], birth_date, sex, visit)
            value = rng.sample(due, k=min(len(due), rng.randint(1, 2))) or None
        elif _opens_a_resident_nobody_can_fill(definition, field, neighbours):
            value = False  # "the baby is registered" only when there is a baby to name
        else:
            value = _value(rng, field, neighbours)
        bound = values.get(field.get("max_field", ""))
        if isinstance(value, int | float) and isinstance(bound, int | float):
            value = min(value, bound)  # parity never above gravidity
        if value is not None:
            values[field["name"]] = value
    for field in suggested:
        value = _suggested(field, visit, birth_date, prior or [], values)
        if value is not None:
            values[field["name"]] = value
    for danger, _field in met_dangers(definition, values):
        needed = next(f for f in definition["fields"] if f["name"] == danger["requires"])
        if values.get(needed["name"]) is None and _shown(needed, values):
            values[needed["name"]] = True  # a careful assistant reported it today
    return values
