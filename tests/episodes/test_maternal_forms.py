"""The shipped maternal forms' effects, folded: a pregnancy booked, delivered and closed."""

from __future__ import annotations

from typing import Any

from server.domain.episodes.fold import fold
from tests.catalogue.conftest import file_definition
from tests.catalogue.samples_maternal_child import LATER

MOTHER = "9a1e6b2c-0d3f-4e5a-8b7c-6d5e4f3a2b1c"
FORMS = {
    ("early_pregnancy", 3): file_definition("early_pregnancy", 3),
    ("postpartum_visit", 2): file_definition("postpartum_visit", 2),
}
BOOKING = LATER[("early_pregnancy", 3)]  # LMP 2026-01-10, booked 2026-02-20, seen 2026-03-10


def _record(n: int, code: str, version: int, visit: str, data: dict[str, Any]) -> dict:
    return {
        "id": f"00000000-0000-4000-8000-00000000000{n}",
        "form_code": code,
        "form_version": version,
        "visit_date": visit,
        "created_at": f"{visit}T09:00:00+08:00",
        "data": data,
    }


def _postpartum(n: int, visit: str, **changes) -> dict:
    data = {
        **LATER[("postpartum_visit", 2)],
        "delivery_date": "2026-10-12",
        "discharge_date": "2026-10-15",
        "babies": 2,
        **changes,
    }
    return _record(n, "postpartum_visit", 2, visit, data)


def _fold(*records: dict) -> dict[str, list[dict]]:
    return fold(MOTHER, records, lambda code, version: FORMS.get((code, version)))


def _spans(result: dict) -> dict[str, tuple[str, str | None]]:
    return {s["tag"]: (s["start_on"], s["end_on"]) for s in result["spans"]}


def test_a_booking_opens_her_pregnancy_with_its_dates():
    result = _fold(_record(1, "early_pregnancy", 3, "2026-03-10", BOOKING))
    (pregnancy,) = result["episodes"]
    assert (pregnancy["kind"], pregnancy["status"]) == ("pregnancy", "open")
    assert pregnancy["facts"] == {
        "lmp": "2026-01-10",
        "edd": "2026-10-17",
        "booked_on": "2026-02-20",
        "high_risk_told": False,
    }


def test_pregnant_runs_from_the_lmp_and_lapses_300_days_on_without_a_delivery():
    result = _fold(_record(1, "early_pregnancy", 3, "2026-03-10", BOOKING))
    assert _spans(result) == {"pregnant": ("2026-01-10", "2026-11-06")}


def test_the_postpartum_visit_records_the_delivery_on_the_same_pregnancy():
    booking = _record(1, "early_pregnancy", 3, "2026-03-10", BOOKING)
    result = _fold(booking, _postpartum(2, "2026-10-18"))
    (pregnancy,) = result["episodes"]
    assert pregnancy["status"] == "open"
    assert pregnancy["facts"]["delivery_date"] == "2026-10-12"
    assert pregnancy["facts"]["discharge_date"] == "2026-10-15"
    assert pregnancy["facts"]["babies"] == 2
    assert _spans(result) == {
        "pregnant": ("2026-01-10", "2026-10-12"),
        "postpartum": ("2026-10-12", "2026-11-23"),
    }


def test_a_mother_never_booked_gets_her_pregnancy_from_the_postpartum_visit():
    (pregnancy,) = _fold(_postpartum(1, "2026-10-18"))["episodes"]
    assert pregnancy["facts"]["delivery_place"] == "health_centre"


def test_the_42_day_check_reported_done_closes_the_pregnancy():
    booking = _record(1, "early_pregnancy", 3, "2026-03-10", BOOKING)
    later = _postpartum(3, "2026-11-24", visit_number=2, check_42d_status="done")
    result = _fold(booking, _postpartum(2, "2026-10-18"), later)
    (pregnancy,) = result["episodes"]
    assert (pregnancy["status"], pregnancy["closed_on"]) == ("closed", "2026-11-24")
    assert pregnancy["close_reason"] == "postpartum_check_done"
