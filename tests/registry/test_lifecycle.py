"""The rules that keep the register current, as tables: ending a record, moves, mothers."""

from __future__ import annotations

import pytest

from server.domain.registry.lifecycle import (
    DESTINATION_ONLY_FOR_MOVES,
    END_BEFORE_BIRTH,
    END_NEEDS_REASON,
    MOTHER_ELSEWHERE,
    MOTHER_NOT_FEMALE,
    MOTHER_NOT_OLDER,
    MOVE_NEEDS_DESTINATION,
    NO_SUCH_MOTHER,
    OWN_MOTHER,
    REASON_NEEDS_DATE,
    end_errors,
    mother_errors,
    move_refused,
    unend_refused,
)

BORN = "1950-04-01"


@pytest.mark.parametrize(
    ("ended_on", "reason", "destination", "expected"),
    [
        (None, None, None, {}),
        ("2026-10-01", "died", None, {}),
        ("2026-10-01", "lost_to_follow_up", None, {}),
        ("2026-10-01", "moved_away", "广州市天河区", {}),
        ("2026-10-01", None, None, {"end_reason": [END_NEEDS_REASON]}),
        (None, "died", None, {"ended_on": [REASON_NEEDS_DATE]}),
        ("1949-12-31", "died", None, {"ended_on": [END_BEFORE_BIRTH]}),
        (BORN, "died", None, {}),
        ("2026-10-01", "moved_away", None, {"end_destination": [MOVE_NEEDS_DESTINATION]}),
        ("2026-10-01", "moved_away", "  ", {"end_destination": [MOVE_NEEDS_DESTINATION]}),
        ("2026-10-01", "died", "广州", {"end_destination": [DESTINATION_ONLY_FOR_MOVES]}),
    ],
)
def test_an_end_needs_a_reason_a_date_not_before_birth_and_a_destination_for_a_move(
    ended_on, reason, destination, expected
):
    assert end_errors(BORN, ended_on, reason, destination) == expected


@pytest.mark.parametrize(
    ("role", "stored", "new", "refused"),
    [
        ("assistant", "2026-10-01", None, True),
        ("assistant", "2026-10-01", "2026-09-30", False),  # a corrected date is no un-ending
        ("assistant", None, None, False),
        ("assistant", None, "2026-10-01", False),
        ("supervisor", "2026-10-01", None, False),
        ("admin", "2026-10-01", None, False),
    ],
)
def test_only_staff_take_back_an_end_the_server_holds(role, stored, new, refused):
    assert unend_refused(role, stored, new) is refused


@pytest.mark.parametrize(
    ("role", "lives_in", "moves_to", "refused"),
    [
        ("assistant", 1, 1, False),
        ("assistant", 1, 2, True),
        ("supervisor", 1, 2, False),  # staff correct the register across their villages
        ("assistant", 1, None, False),
    ],
)
def test_an_assistant_moves_people_only_within_the_village(role, lives_in, moves_to, refused):
    assert move_refused(role, lives_in, moves_to) is refused


CHILD = {"id": "c", "village_id": 1, "sex": "M", "birth_date": "2026-10-01"}
MOTHER = {"id": "m", "village_id": 1, "sex": "F", "birth_date": "1996-05-05"}


@pytest.mark.parametrize(
    ("mother", "expected"),
    [
        (MOTHER, (False, {})),
        (None, (False, {"mother_id": [NO_SUCH_MOTHER]})),
        ({**MOTHER, "id": "c"}, (False, {"mother_id": [OWN_MOTHER]})),
        ({**MOTHER, "village_id": 2}, (True, {"mother_id": [MOTHER_ELSEWHERE]})),
        ({**MOTHER, "sex": "M"}, (False, {"mother_id": [MOTHER_NOT_FEMALE]})),
        ({**MOTHER, "birth_date": "2026-10-01"}, (False, {"mother_id": [MOTHER_NOT_OLDER]})),
    ],
)
def test_a_mother_is_an_older_woman_of_the_same_village(mother, expected):
    assert mother_errors(CHILD, mother) == expected
