"""What the TB and severe mental disorder follow-up files do to their resident's episodes.

The fold itself is the contract table's (tests/contracts/effects.json); these cases run the
real server/forms/ versions over the sample visits of tests/catalogue/samples_chronic.py.
"""

from __future__ import annotations

from typing import Any

from server.domain.episodes.fold import fold
from tests.catalogue.conftest import file_definition
from tests.catalogue.samples_chronic import MENTAL_V2, TB_CLOSING, TB_FIRST, TB_ROUTINE

DEFINITIONS = {
    ("tuberculosis_followup", 2): file_definition("tuberculosis_followup", 2),
    ("mental_disorder_followup", 2): file_definition("mental_disorder_followup", 2),
}


def _visits(code: str, *visits: tuple[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "id": f"rec-{index}",
            "form_code": code,
            "form_version": 2,
            "visit_date": day,
            "created_at": "2026-03-10T08:00:00+00:00",
            "data": data,
            "deleted": False,
            "review_status": "pending",
        }
        for index, (day, data) in enumerate(visits)
    ]


def _episodes(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return fold("res-1", records, lambda code, version: DEFINITIONS.get((code, version)))[
        "episodes"
    ]


def tb(*visits: tuple[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return _episodes(_visits("tuberculosis_followup", *visits))


def test_a_first_tb_visit_opens_the_treatment_with_the_notice_and_the_card():
    (episode,) = tb(("2026-03-10", TB_FIRST))
    assert (episode["kind"], episode["status"], episode["opened_on"]) == (
        "tb_treatment",
        "open",
        "2026-03-10",
    )
    assert episode["facts"] == {
        "notified_on": "2026-03-08",
        "treatment_start": "2026-03-05",
        "retreatment": False,
        "phase": "intensive",
        "supervisor_type": "family",
    }


def test_a_routine_tb_visit_updates_phase_and_supervisor():
    (episode,) = tb(("2026-03-10", TB_FIRST), ("2026-05-12", TB_ROUTINE))
    assert episode["facts"]["phase"] == "continuation"
    assert episode["facts"]["supervisor_type"] == "medical"
    assert episode["facts"]["notified_on"] == "2026-03-08"


def test_a_routine_visit_with_the_phase_left_empty_keeps_the_known_phase():
    routine = {k: v for k, v in TB_ROUTINE.items() if k != "treatment_phase"}
    (episode,) = tb(("2026-03-10", TB_FIRST), ("2026-03-20", routine))
    assert episode["facts"]["phase"] == "intensive"


def test_a_tb_closing_closes_the_treatment_on_the_day_it_stopped_with_the_reason():
    closing = {**TB_CLOSING, "treatment_stopped_on": "2026-09-04", "closing_reason": "lost"}
    (episode,) = tb(("2026-03-10", TB_FIRST), ("2026-09-10", closing))
    assert (episode["status"], episode["closed_on"], episode["close_reason"]) == (
        "closed",
        "2026-09-04",
        "lost",
    )


def test_a_first_visit_after_a_closing_opens_a_new_treatment():
    episodes = tb(("2026-03-10", TB_FIRST), ("2026-09-10", TB_CLOSING), ("2027-01-05", TB_FIRST))
    assert [e["status"] for e in episodes] == ["closed", "open"]


def test_a_mental_disorder_visit_records_the_relayed_classification_and_home():
    (episode,) = _episodes(_visits("mental_disorder_followup", ("2026-03-10", MENTAL_V2)))
    assert episode["kind"] == "smd_management"
    assert episode["facts"] == {
        "living_at_home": True,
        "classification": "stable",
        "classified_on": "2026-01-15",
    }


def test_an_unknown_classification_keeps_the_last_known_one():
    unknown = {**MENTAL_V2, "centre_classification": "unknown", "living_at_home": False}
    del unknown["classified_on"]
    visits = _visits("mental_disorder_followup", ("2026-03-10", MENTAL_V2), ("2026-04-10", unknown))
    (episode,) = _episodes(visits)
    assert episode["facts"] == {
        "living_at_home": False,
        "classification": "stable",
        "classified_on": "2026-01-15",
    }
