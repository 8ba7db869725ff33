"""Service records filled in from the form definitions themselves, so every form gets examples.

The answers come from server/demo/answers.py. A form goes only to a resident it fits on the
visit date, as the push requires (`plausible`: maternal forms for women 15-49, a vaccination
notice only with a dose due), and TB patients get their chain of visits. Where a form has older
versions, some residents also get an earlier record filled with one of them (the history a
county keeps after v2).
"""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta
from typing import Any

from server.demo.answers import due_doses, sample_data
from server.domain.accounts.model import User
from server.domain.records.catalogue import eligible
from server.domain.records.eligible_facts import fact_problems
from server.domain.records.model import ServiceRecord
from server.domain.registry.model import Resident
from server.domain.registry.tags import age_in

HISTORY_SHARE = 0.3  # residents whose form has older versions who also get an older record
HISTORY_DAYS = (90, 300)  # how long before today that older record was made
TB_CHAIN_START = (95, 120)  # a patient notified 3-4 months ago: seen within 72 h, then monthly
MATERNAL_AGES = (15, 49)  # a township centre's pregnancies and deliveries


def plausible(definition: dict[str, Any], resident: Resident, visit: date) -> bool:
    """A form the phone offers this resident on `visit` and the push accepts (born by then,
    of its sex and ages, records/eligible_facts.py), a maternal one only for women 15-49."""
    birth = resident.birth_date
    if not eligible(definition, birth, visit, resident.sex, resident.tags):
        return False
    if fact_problems(definition, birth, resident.sex, visit):
        return False
    doses = next((f for f in definition["fields"] if f["name"] == "doses"), None)
    if doses is not None and not due_doses(doses.get("options", []), birth, resident.sex, visit):
        return False  # nothing due to notify
    if definition.get("category") != "maternal":
        return True
    return MATERNAL_AGES[0] <= age_in(birth, visit, "years") <= MATERNAL_AGES[1]


def build_records(
    rng: random.Random,
    definitions: list[dict[str, Any]],
    residents: list[Resident],
    assistants_by_village: dict[int, User],
    reviewer_by_village: dict[int, User],
    per_resident: float,
    today: date,
    older: dict[str, list[dict[str, Any]]] | None = None,
) -> list[ServiceRecord]:
    """Roughly `per_resident` records per resident over the last two months, some reviewed.

    `older` holds the earlier versions of each form code: a share of residents also get a record
    of such a version made 3 to 10 months ago, counted by the newer record's visit number.
    """
    older = older or {}
    by_village: dict[int, list[Resident]] = {}
    for resident in residents:
        by_village.setdefault(resident.village_id, []).append(resident)
    resident_forms = [d for d in definitions if d.get("subject", "resident") == "resident"]
    activity_forms = [d for d in definitions if d.get("subject") == "activity"]
    records: list[ServiceRecord] = []

    def add(
        definition: dict[str, Any],
        resident: Resident | None,
        village_id: int,
        visit: date,
        prior: list[dict[str, Any]],
        chosen: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        author = assistants_by_village[village_id]
        status = rng.choices(["pending", "approved", "returned"], [55, 40, 5])[0]
        record = ServiceRecord(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            resident_id=resident.id if resident else None,
            village_id=village_id,
            form_code=definition["code"],
            form_version=definition["version"],
            data=sample_data(
                rng,
                definition,
                visit,
                by_village[village_id],
                today=today,
                birth_date=resident.birth_date if resident else None,
                sex=resident.sex if resident else None,
                prior=prior,
                chosen=chosen,
            ),
            visit_date=visit,
            author_id=author.id,
            review_status=status,
        )
        if status != "pending":
            record.reviewed_by_id = reviewer_by_village[village_id].id
            if status == "returned":
                record.review_comment = "请补充随访日期和血压测量值"
        records.append(record)
        return {"form_code": record.form_code, "visit_date": visit, "review_status": status}

    def recent() -> date:
        return today - timedelta(days=rng.randint(0, 60))

    for resident in residents:
        if rng.random() >= per_resident:
            continue
        visit = recent()
        choices = [d for d in resident_forms if plausible(d, resident, visit)]
        targeted = [d for d in choices if any((d.get("eligibility") or {}).values())]
        if targeted and rng.random() < 0.7:
            choices = targeted
        if not choices:
            continue
        definition = rng.choice(choices)
        prior = []
        earlier = older.get(definition["code"])
        if earlier and rng.random() < HISTORY_SHARE:
            then = today - timedelta(days=rng.randint(*HISTORY_DAYS))
            version = rng.choice(earlier)
            if plausible(version, resident, then):
                prior.append(add(version, resident, resident.village_id, then, []))
        add(definition, resident, resident.village_id, visit, prior)
    tb_form = next((d for d in resident_forms if d["code"] == "tuberculosis_followup"), None)
    for resident in residents:
        if tb_form is None or "tuberculosis" not in (resident.tags or []):
            continue
        start = today - timedelta(days=rng.randint(*TB_CHAIN_START))
        kinds = ["first_72h", "routine", "routine"] + (["closing"] if rng.random() < 0.5 else [])
        for step, kind in enumerate(kinds):
            visit = start + timedelta(days=30 * step)
            if plausible(tb_form, resident, visit):
                add(tb_form, resident, resident.village_id, visit, [], {"visit_kind": kind})
    for village_id in by_village:
        for _ in range(rng.randint(2, 4)):
            if activity_forms:
                add(rng.choice(activity_forms), None, village_id, recent(), [])
    return records
