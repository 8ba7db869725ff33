"""Where a pushed mutation lands, and what a known mutation id gets: tables, no HTTP, no database.

A row's link to its parent is followed or refused, a new row takes the village of what it links
to, and a retried mutation id replays its first answer (docs/sync-protocol.md).
"""

from __future__ import annotations

from typing import Any

import pytest

from sync.decide import (
    Link,
    decide_village,
    replay,
    resolve_link,
)
from sync.rejection import Rejection


def _elsewhere(field: str) -> Rejection:
    return Rejection("resident_merged", "Merged elsewhere.", {field: ["Elsewhere."]})


HERE, THERE = 10, 20
LINKS = [
    # (case, parent, successor, result: the id linked to, or the refusal's code)
    ("live parent in scope", Link("p", HERE), None, "p"),
    ("parent moved out of scope", Link("p", THERE), None, "not_found"),
    ("parent missing", None, None, "not_found"),
    ("parent deleted", Link("p", HERE, True), None, "not_found"),
    ("parent merged into one in scope", Link("p", HERE, True), Link("k", HERE), "k"),
    (
        "parent merged into one elsewhere",
        Link("p", HERE, True),
        Link("k", THERE),
        "resident_merged",
    ),
    ("parent merged into a deleted one", Link("p", HERE, True), Link("k", HERE, True), "not_found"),
]


@pytest.mark.parametrize(
    ("parent", "successor", "result"),
    [case[1:] for case in LINKS],
    ids=[case[0] for case in LINKS],
)
def test_a_link_to_a_parent_row_is_followed_or_refused(parent, successor, result):
    try:
        found = resolve_link("resident_id", "resident", parent, successor, {HERE}, _elsewhere)
    except Rejection as refusal:
        found = Link(refusal.code, 0)

    assert found.id == result


VILLAGES = [
    # (case, requested, parent's village, creator's unit, result: village or refusal code)
    ("parent's village", None, HERE, 1, HERE),
    ("named and matching the parent", HERE, HERE, 1, HERE),
    ("named and differing from the parent", THERE, HERE, 1, "validation_error"),
    ("named outside the caller's area", 99, None, 1, "not_found"),
    ("named, no parent", THERE, None, 1, THERE),
    ("the creator's own village", None, None, HERE, HERE),
    ("a supervisor must name one", None, None, 1, "validation_error"),
]


@pytest.mark.parametrize(
    ("requested", "linked", "own", "result"),
    [case[1:] for case in VILLAGES],
    ids=[case[0] for case in VILLAGES],
)
def test_a_new_row_lives_in_the_village_of_what_it_links_to(requested, linked, own, result):
    try:
        found: Any = decide_village(requested, linked, own, {HERE, THERE})
    except Rejection as refusal:
        found = refusal.code

    assert found == result


FIRST = {"mutation_id": "m1", "status": "applied", "id": "r1", "version": 2}


@pytest.mark.parametrize(
    ("same_payload", "same_user", "status"),
    [(True, True, "duplicate"), (False, True, "rejected"), (True, False, "rejected")],
    ids=["retry", "same id, other change", "same id, other user"],
)
def test_a_known_mutation_id_replays_its_first_answer_or_is_refused(
    same_payload, same_user, status
):
    answer = replay(FIRST, same_payload, same_user, {"mutation_id": "m1", "id": "r1"})

    assert answer["status"] == status
    if status == "duplicate":
        assert (answer["version"], answer["first_status"]) == (2, "applied")
    else:
        assert answer["code"] == "mutation_id_reused"
