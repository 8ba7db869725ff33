"""A form's tag end also ends the register's span of the tag (server/domain/episodes/listends.py).

Most residents hold `pregnant` or `tuberculosis` by their register list, not by a form span: a
closing visit or a recorded delivery must end those too, and give them back when the record
stops counting.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from server.core.clock import local_today
from server.domain.registry.model import ResidentTag
from server.extensions import db
from tests.sync.conftest import mutation, new_household, new_resident, update
from tests.sync.test_push_effects import pulled, record


def told(phone, effect_forms, *tags: str) -> tuple[Any, str]:
    asst1 = phone("asst1")
    home = new_household()
    person = new_resident(home["id"], name="王芳", birth_date="1990-04-02", tags=list(tags))
    asst1.push(home, person)
    return asst1, person["id"]


def spans(asst1) -> dict[tuple[str, str], str | None]:
    """The end of each pulled span, by (tag, origin)."""
    return {
        (s["data"]["tag"], s["data"]["origin"]): s["data"]["end_on"]
        for s in pulled(asst1, "resident_tag")
        if s["op"] != "delete"
    }


def closing(resident_id: str) -> dict[str, Any]:
    return record(resident_id, "t_tb_closing", "2026-11-20", outcome="cured")


def test_a_closing_visit_ends_the_tuberculosis_the_register_told(phone, effect_forms):
    asst1, person = told(phone, effect_forms, "tuberculosis")
    visit = closing(person)
    asst1.push(visit)
    assert spans(asst1)["tuberculosis", "register"] == "2026-11-20"


def test_the_span_a_record_ended_names_the_record_for_staff(phone, effect_forms):
    asst1, person = told(phone, effect_forms, "tuberculosis")
    visit = closing(person)
    asst1.push(visit)
    span = db.session.scalars(select(ResidentTag).where(ResidentTag.tag == "tuberculosis")).one()
    assert span.note == f"ended by record {visit['id']} (list end -)"


def test_deleting_the_closing_visit_gives_the_tuberculosis_back(phone, effect_forms):
    asst1, person = told(phone, effect_forms, "tuberculosis")
    visit = closing(person)
    asst1.push(visit)
    asst1.push(mutation("service_record", "delete", {}, id=visit["id"], base_version=1))
    assert spans(asst1)["tuberculosis", "register"] is None


def test_a_delivery_ends_the_pregnant_ticked_in_the_register(phone, effect_forms):
    asst1, person = told(phone, effect_forms, "pregnant")
    asst1.push(record(person, "t_delivery", "2026-10-25", delivery_date="2026-10-15"))
    found = spans(asst1)
    assert (found["pregnant", "register"], found["postpartum", "form"]) == (
        "2026-10-15",
        "2026-11-26",
    )


def test_a_second_refresh_writes_nothing_more(phone, effect_forms):
    asst1, person = told(phone, effect_forms, "tuberculosis")
    asst1.push(closing(person))
    before = [c["version"] for c in pulled(asst1, "resident_tag")]
    asst1.push(record(person, "t_tb_closing", "2026-12-01", outcome="again"))
    assert [c["version"] for c in pulled(asst1, "resident_tag")] == before


def register_spans(tag: str) -> list[tuple[str | None, str | None]]:
    """The stored spans of the tag, (start, end)."""
    found = db.session.scalars(select(ResidentTag).where(ResidentTag.tag == tag))
    return sorted((s.start_on and s.start_on.isoformat(), s.end_on and s.end_on.isoformat())
                  for s in found if not s.deleted)  # fmt: skip


def test_ticking_postpartum_ends_the_pregnancy_the_register_told(phone, effect_forms):
    asst1, person = told(phone, effect_forms, "pregnant")
    asst1.push(update("resident", person, 1, tags=["pregnant", "postpartum"]))
    assert register_spans("pregnant") == [(None, local_today().isoformat())]


def test_a_later_edit_of_the_list_does_not_reopen_a_pregnancy_that_ended(phone, effect_forms):
    asst1, person = told(phone, effect_forms, "pregnant")
    asst1.push(update("resident", person, 1, tags=["pregnant", "postpartum"]))
    asst1.push(update("resident", person, 2, tags=["pregnant", "postpartum", "diabetes"]))
    assert register_spans("pregnant") == [(None, local_today().isoformat())]
