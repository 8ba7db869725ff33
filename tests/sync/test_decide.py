"""What becomes of a pushed mutation, as tables of cases: no HTTP, no database.

Each case gives the row's state at the phone's base, its state now, the patch and the row's
facts, and the decision `sync.decide` must reach (docs/sync-protocol.md, "Conflict policy").
"""

from __future__ import annotations

from typing import Any

import pytest

from sync.decide import (
    ALREADY_DELETED,
    NOT_DELETED,
    FieldConflict,
    RowFacts,
    decide_delete,
    decide_update,
    merge_fields,
    refuse_create,
    refuse_write,
)
from sync.rejection import Rejection

APPROVED = Rejection("record_reviewed", "Approved.")
BASE = {"name": "李秀英", "phone": "111", "data": {"a": 1, "b": 2}, "deleted": False}


def _with(**changes: Any) -> dict[str, Any]:
    return {**BASE, **changes}


def _code(call) -> str | None:
    try:
        call()
    except Rejection as refusal:
        return refusal.code
    return None


@pytest.mark.parametrize(
    ("row", "base_version", "code"),
    [
        (RowFacts(version=3), 3, None),
        (RowFacts(version=3), 2, None),
        (RowFacts(version=3), 4, "stale_version"),
        (RowFacts(version=3, locked=APPROVED), 3, "record_reviewed"),
        (RowFacts(version=3, locked=APPROVED), 9, "record_reviewed"),  # the lock first
    ],
    ids=["current base", "older base", "stale base", "reviewed record", "reviewed and stale"],
)
def test_an_update_or_delete_is_refused_before_its_values_are_read(row, base_version, code):
    assert _code(lambda: refuse_write(row, base_version)) == code


def test_a_stale_base_names_the_servers_version_to_rebase_on():
    with pytest.raises(Rejection) as refused:
        refuse_write(RowFacts(version=3), 5)

    assert refused.value.extra == {"server_version": 3}


@pytest.mark.parametrize(("exists", "code"), [(True, "conflict"), (False, None)])
def test_a_create_of_an_existing_id_is_refused(exists, code):
    assert _code(lambda: refuse_create(exists)) == code


UPDATES = [
    # (case, base, current, patch, base_version, status, applied, conflicting fields)
    ("same version", BASE, BASE, {"phone": "222"}, 3, "applied", {"phone": "222"}, []),
    (
        "other field changed",
        BASE,
        _with(name="李秀兰"),
        {"phone": "222"},
        2,
        "merged",
        {"phone": "222"},
        [],
    ),
    (
        "same field changed",
        BASE,
        _with(phone="333"),
        {"phone": "222"},
        2,
        "conflict",
        {},
        ["phone"],
    ),
    ("same field, same value", BASE, _with(phone="222"), {"phone": "222"}, 2, "merged", {}, []),
    (
        "other form key changed",
        BASE,
        _with(data={"a": 5, "b": 2}),
        {"data": {"b": 7}},
        2,
        "merged",
        {"data.b": 7},
        [],
    ),
    (
        "same form key changed",
        BASE,
        _with(data={"a": 5, "b": 2}),
        {"data": {"a": 6}},
        2,
        "conflict",
        {},
        ["data.a"],
    ),
    (
        "base unknown",
        None,
        _with(phone="333"),
        {"phone": "222", "name": "李秀英"},
        2,
        "conflict",
        {},
        ["phone"],
    ),
]


@pytest.mark.parametrize(
    ("base", "current", "patch", "base_version", "status", "applied", "conflicts"),
    [case[1:] for case in UPDATES],
    ids=[case[0] for case in UPDATES],
)
def test_an_update_merges_field_by_field_against_its_base(
    base, current, patch, base_version, status, applied, conflicts
):
    decision = decide_update(
        RowFacts(version=3), base_version, base, current, patch, nested={"data"}
    )

    assert decision.status == status
    assert decision.apply == applied
    assert [c.field for c in decision.conflicts] == conflicts


def test_an_update_of_a_row_deleted_on_the_server_keeps_every_differing_value_as_a_conflict():
    deleted = RowFacts(version=4, deleted=True)

    decision = decide_update(deleted, 3, BASE, _with(deleted=True), {"phone": "222"})

    assert decision.conflicts == [FieldConflict("phone", "111", "222")]


def test_an_update_that_changes_nothing_says_so_for_the_audit_trail():
    decision = decide_update(RowFacts(version=3), 3, BASE, BASE, {"phone": "111"})

    assert (decision.status, decision.apply, decision.comment) == (
        "applied",
        {},
        "Nothing changed: the phone sent the values already held.",
    )


@pytest.mark.parametrize(
    ("policy", "applied", "conflicts"),
    [
        ("three_way", {}, ["phone"]),
        ("server_wins", {}, []),
        ("client_wins", {"phone": "222"}, []),
    ],
)
def test_a_field_changed_on_both_sides_follows_its_policy(policy, applied, conflicts):
    found, lost = merge_fields(BASE, _with(phone="333"), {"phone": "222"}, lambda _f: policy)

    assert found == applied
    assert [c.field for c in lost] == conflicts


DELETES = [
    # (case, row, base, current, status, delete, conflicting fields, note)
    ("unchanged since the base", RowFacts(3), BASE, BASE, "applied", True, [], None),
    (
        "changed since the base",
        RowFacts(3),
        BASE,
        _with(phone="333"),
        "conflict",
        False,
        ["_deleted"],
        NOT_DELETED,
    ),
    ("base unknown", RowFacts(3), None, BASE, "conflict", False, ["_deleted"], NOT_DELETED),
    (
        "already deleted",
        RowFacts(3, deleted=True),
        None,
        _with(deleted=True),
        "applied",
        False,
        [],
        ALREADY_DELETED,
    ),
    (
        "already deleted and approved",
        RowFacts(3, True, APPROVED),
        None,
        BASE,
        "applied",
        False,
        [],
        ALREADY_DELETED,
    ),
]


@pytest.mark.parametrize(
    ("row", "base", "current", "status", "delete", "conflicts", "note"),
    [case[1:] for case in DELETES],
    ids=[case[0] for case in DELETES],
)
def test_a_delete_meets_changes_and_other_deletes(
    row, base, current, status, delete, conflicts, note
):
    decision = decide_delete(row, 2, base, current)

    assert (decision.status, decision.delete, decision.comment) == (status, delete, note)
    assert [c.field for c in decision.conflicts] == conflicts


def test_a_delete_of_an_approved_record_is_refused():
    assert _code(lambda: decide_delete(RowFacts(3, locked=APPROVED), 3, BASE, BASE)) == (
        "record_reviewed"
    )
