"""The privacy rule as plain functions: who cares for which village, and masking that never
loses a fact (server/domain/registry/privacy.py)."""

from __future__ import annotations

import pytest

from server.domain.registry.privacy import (
    masked_snapshot,
    sees_sensitive,
    sensitive_facts,
    shown_tags,
    with_hidden_tags,
)


@pytest.mark.parametrize(
    ("viewer", "village", "sees"),
    [
        ("asst1", "V1a", True),  # the village's own assistant
        ("asst1", "V1b", False),  # another village of the same township
        ("sup1", "V1a", True),  # the township's supervisor
        ("sup1", "V1b", True),
        ("sup1", "V2a", False),  # a village of another township
        ("sup2", "V2a", True),
        ("admin", "V1a", False),  # the county's admin sees them masked
        ("admin", "V2a", False),
    ],
)
def test_only_the_residents_carers_see_sensitive_facts(world, viewer, village, sees):
    assert sees_sensitive(world.users[viewer], world.units[village].id) is sees


def test_no_village_means_no_sensitive_facts(world):
    assert sees_sensitive(world.users["sup1"], None) is False


@pytest.mark.parametrize(
    ("tags", "shown", "expected"),
    [
        (["hypertension", "tuberculosis"], True, ["hypertension", "tuberculosis"]),
        (["hypertension", "tuberculosis"], False, ["hypertension"]),
        (["severe_mental_disorder"], False, []),
        ([], False, []),
        (None, True, []),
    ],
)
def test_masked_tags_leave_the_sensitive_ones_out(tags, shown, expected):
    assert shown_tags(tags, shown) == expected


@pytest.mark.parametrize(
    ("stored", "sent", "kept"),
    [
        (["hypertension", "tuberculosis"], ["hypertension", "diabetes"],
         ["hypertension", "diabetes", "tuberculosis"]),
        (["tuberculosis", "severe_mental_disorder"], [],
         ["tuberculosis", "severe_mental_disorder"]),
        (["hypertension"], [], []),  # a tag they could see is theirs to remove
        (["tuberculosis"], ["tuberculosis"], ["tuberculosis"]),
    ],
)  # fmt: skip
def test_a_masked_list_written_back_keeps_the_hidden_tags(stored, sent, kept):
    assert with_hidden_tags(stored, sent) == kept


@pytest.mark.parametrize(
    ("entity", "state", "masked"),
    [
        ("resident", {"name": "李", "tags": ["tuberculosis", "diabetes"]},
         {"name": "李", "tags": ["diabetes"]}),
        ("service_record", {"form_code": "mental_disorder_followup", "data": {"a": 1}},
         {"form_code": "followup", "data": {}}),
        ("service_record", {"form_code": "hypertension_followup", "data": {"a": 1}},
         {"form_code": "hypertension_followup", "data": {"a": 1}}),
        ("resident_tag", {"id": "t1", "resident_id": "r1", "tag": "tuberculosis", "note": "x"},
         {"id": "t1", "resident_id": "r1"}),
        ("episode", {"id": "e1", "kind": "smd_management", "facts": {}}, {"id": "e1"}),
        ("episode", {"id": "e1", "kind": "pregnancy"}, {"id": "e1", "kind": "pregnancy"}),
        ("resident", None, None),
    ],
)  # fmt: skip
def test_audited_snapshots_are_masked_the_same_way(entity, state, masked):
    assert masked_snapshot(entity, state) == masked


@pytest.mark.parametrize(
    ("tags", "forms", "count"),
    [
        (["tuberculosis", "hypertension"], ["tuberculosis_followup", "diabetes_followup"], 2),
        (["hypertension"], ["hypertension_followup"], 0),
        (["severe_mental_disorder", "tuberculosis"], [], 2),
    ],
)
def test_a_view_counts_its_sensitive_facts(tags, forms, count):
    assert sensitive_facts(tags, forms) == count
