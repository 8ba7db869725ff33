"""The demo county's records are ones a township centre could hold: every form fits its resident
at the visit, bookings are for women of 15-49 in their first trimester, and text answers fit
their question."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

from sqlalchemy import select

from server.demo.records import build_records
from server.domain.accounts.model import User
from server.domain.records.catalogue import form_files, get_definition, read_form_file
from server.domain.records.eligible_facts import fact_problems
from server.domain.records.model import ServiceRecord
from server.domain.registry.model import Resident
from server.domain.registry.tags import age_in
from server.domain.schedules import nip
from server.extensions import db
from tests.server.test_demo import built_demo  # noqa: F401 (the one build these tests read)


def _records(app) -> list[tuple[ServiceRecord, Resident, dict]]:
    with app.app_context():
        rows = db.session.execute(
            select(ServiceRecord, Resident).join(Resident, ServiceRecord.resident_id == Resident.id)
        ).all()
        return [
            (record, resident, get_definition(db.session, record.form_code, record.form_version))
            for record, resident in rows
        ]


def test_every_demo_record_fits_its_residents_birth_sex_and_age_at_the_visit(built_demo):  # noqa: F811
    found = [
        (r.form_code, p.sex, p.birth_date, r.visit_date)
        for r, p, d in _records(built_demo[0])
        if fact_problems(d, p.birth_date, p.sex, r.visit_date)
    ]
    assert found == []


def test_no_demo_maternal_record_is_for_a_woman_under_15_or_over_49(built_demo):  # noqa: F811
    ages = [
        age_in(p.birth_date, r.visit_date, "years")
        for r, p, d in _records(built_demo[0])
        if d["category"] == "maternal"
    ]
    assert ages
    assert [a for a in ages if not 15 <= a <= 49] == []


def test_every_demo_booking_is_at_most_13_weeks_after_the_lmp(built_demo):  # noqa: F811
    weeks = [
        (r.visit_date - date.fromisoformat(r.data["last_menstrual_period"])).days // 7
        for r, _, _ in _records(built_demo[0])
        if r.form_code == "early_pregnancy" and r.data.get("last_menstrual_period")
    ]
    assert weeks
    assert max(weeks) <= 13


def test_no_demo_text_answer_is_a_note_in_an_unrelated_question(built_demo):  # noqa: F811
    notes = {"已告知", "家属在场", "按时随访", "已发放宣传资料", "电话联系确认", "已预约卫生院"}
    misplaced = [
        (r.form_code, name, value)
        for r, _, _ in _records(built_demo[0])
        for name, value in r.data.items()
        if isinstance(value, str) and value in notes and not name.endswith("notes")
    ]
    assert misplaced == []


def test_every_demo_vaccination_dose_is_due_for_the_childs_age_and_sex(built_demo):  # noqa: F811
    plan = nip.schedule(nip.versions()[-1])
    notices = [(r, p) for r, p, _ in _records(built_demo[0]) if r.form_code == "vaccination_notice"]
    not_due = [
        (code, p.sex, p.birth_date, r.visit_date)
        for r, p in notices
        if r.form_version == 2
        for code in r.data.get("doses", [])
        if not plan.dose(code).applies_to(p.sex, p.birth_date)
        or plan.dose(code).due_on(p.birth_date) > r.visit_date + timedelta(days=30)
        or (plan.dose(code).late_from(p.birth_date) or date.max) <= r.visit_date
    ]
    assert notices
    assert not_due == []


def _current_definitions() -> list[dict]:
    newest: dict[str, dict] = {}
    for file in form_files():
        newest[file.code] = read_form_file(file)  # files come by code then version
    return list(newest.values())


def test_demo_tb_patients_get_a_visit_chain_from_first_to_closing():
    patients = [
        Resident(
            id=uuid.UUID(int=n),
            village_id=1,
            sex="M",
            birth_date=date(1970, 1, 1),
            tags=["tuberculosis"],
        )
        for n in range(1, 9)
    ]
    staff = {1: User(id=1)}
    records = build_records(
        random.Random(3), _current_definitions(), patients, staff, staff, 0.0, date(2026, 11, 1)
    )
    chains: dict[object, list[tuple[date, str]]] = {}
    for r in records:
        if r.form_code == "tuberculosis_followup":
            chains.setdefault(r.resident_id, []).append((r.visit_date, r.data["visit_kind"]))
    kinds = [[kind for _, kind in sorted(visits)] for visits in chains.values()]
    assert len(kinds) == len(patients)
    assert all(k[0] == "first_72h" and set(k[1:]) <= {"routine", "closing"} for k in kinds)
    assert any(k[-1] == "closing" for k in kinds)
