"""Service records filled in from the form definitions themselves, so every form gets examples."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta
from typing import Any

from server.domain.accounts.model import User
from server.domain.records.catalogue import eligible
from server.domain.records.danger import met_dangers
from server.domain.records.daterules import compute_source, computed_value
from server.domain.records.formrules import condition_met
from server.domain.records.model import ServiceRecord
from server.domain.registry.model import Resident

NOTES = ["已告知", "家属在场", "按时随访", "已发放宣传资料", "电话联系确认", "已预约卫生院"]


def _shown(field: dict[str, Any], values: dict[str, Any]) -> bool:
    rule = field.get("show_if")
    return not rule or condition_met(rule, values.get(rule["field"]))


def _value(rng: random.Random, field: dict[str, Any], visit: date, neighbours: list[Resident]):
    kind = field["type"]
    low, high = field.get("min"), field.get("max")
    if kind == "text":
        return rng.choice(NOTES)[: field.get("max_length") or 200]
    if kind == "integer":
        low = int(low) if low is not None else 0
        high = int(high) if high is not None else low + 10
        return rng.randint(low, min(high, low + 60))
    if kind == "decimal":
        low = float(low) if low is not None else 0.0
        high = float(high) if high is not None else low + 10
        return round(rng.uniform(low, min(high, low + 60)), 1)
    if kind == "date":
        offset = field.get("visit_offset_days")
        if offset:
            high = min(offset["max"], 0) if field.get("not_future") else offset["max"]
            return (visit + timedelta(days=rng.randint(offset["min"], high))).isoformat()
        if field.get("not_future"):
            return (visit - timedelta(days=rng.randint(0, 30))).isoformat()
        return (visit + timedelta(days=rng.randint(7, 90))).isoformat()
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


def sample_data(
    rng: random.Random,
    definition: dict[str, Any],
    visit: date,
    neighbours: list[Resident],
) -> dict[str, Any]:
    """Form data a careful assistant could have entered: shown fields only, within the rules."""
    values: dict[str, Any] = {}
    for field in definition["fields"]:
        if not _shown(field, values):
            continue
        if "compute" in field:  # EDD, gestational weeks: what the phone fills in itself
            source = values.get(compute_source(field["compute"]))
            if source is not None:
                value = computed_value(field["compute"], date.fromisoformat(source), visit)
                values[field["name"]] = value if isinstance(value, int) else value.isoformat()
            continue
        if not field.get("required") and rng.random() < 0.25:
            continue
        value = _value(rng, field, visit, neighbours)
        bound = values.get(field.get("max_field", ""))
        if isinstance(value, int | float) and isinstance(bound, int | float):
            value = min(value, bound)  # parity never above gravidity
        earliest = values.get(field.get("not_before_field", ""))
        if isinstance(value, str) and isinstance(earliest, str):
            value = max(value, earliest)  # discharged on or after the delivery
        if value is not None:
            values[field["name"]] = value
    for danger, _field in met_dangers(definition, values):
        values.setdefault(danger["requires"], rng.random() < 0.9)  # "reported today"
    return values


def build_records(
    rng: random.Random,
    definitions: list[dict[str, Any]],
    residents: list[Resident],
    assistants_by_village: dict[int, User],
    reviewer_by_village: dict[int, User],
    per_resident: float,
    today: date,
) -> list[ServiceRecord]:
    """Roughly `per_resident` records per resident over the last two months, some reviewed."""
    by_village: dict[int, list[Resident]] = {}
    for resident in residents:
        by_village.setdefault(resident.village_id, []).append(resident)
    resident_forms = [d for d in definitions if d.get("subject", "resident") == "resident"]
    activity_forms = [d for d in definitions if d.get("subject") == "activity"]
    records: list[ServiceRecord] = []

    def add(definition, resident: Resident | None, village_id: int) -> None:
        visit = today - timedelta(days=rng.randint(0, 60))
        author = assistants_by_village[village_id]
        status = rng.choices(["pending", "approved", "returned"], [55, 40, 5])[0]
        record = ServiceRecord(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            resident_id=resident.id if resident else None,
            village_id=village_id,
            form_code=definition["code"],
            form_version=definition["version"],
            data=sample_data(rng, definition, visit, by_village[village_id]),
            visit_date=visit,
            author_id=author.id,
            review_status=status,
        )
        if status != "pending":
            record.reviewed_by_id = reviewer_by_village[village_id].id
            if status == "returned":
                record.review_comment = "请补充随访日期和血压测量值"
        records.append(record)

    for resident in residents:
        if rng.random() >= per_resident:
            continue
        choices = [
            d
            for d in resident_forms
            if eligible(d, resident.birth_date, today, resident.sex, resident.tags)
        ]
        targeted = [d for d in choices if any((d.get("eligibility") or {}).values())]
        if targeted and rng.random() < 0.7:
            choices = targeted
        if choices:
            add(rng.choice(choices), resident, resident.village_id)
    for village_id in by_village:
        for _ in range(rng.randint(2, 4)):
            if activity_forms:
                add(rng.choice(activity_forms), None, village_id)
    return records
