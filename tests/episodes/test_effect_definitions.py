"""A definition's `effects` are checked when it is stored: references, kinds, facts, tags."""

from __future__ import annotations

from typing import Any

import pytest

from server.domain.episodes.effects import EPISODE_FACTS
from server.domain.episodes.model import EPISODE_KINDS
from server.domain.records.catalogue import CatalogueError, check_definition


def definition(effects: list[Any]) -> dict[str, Any]:
    label = {"zh": "字段", "en": "Field"}
    return {
        "code": "t_effects",
        "version": 1,
        "title": {"zh": "测试", "en": "Test"},
        "category": "maternal",
        "weight": 1,
        "subject": "resident",
        "non_medical": False,
        "fields": [
            {"name": "lmp", "type": "date", "label": label},
            {"name": "babies", "type": "integer", "label": label},
            {"name": "bp", "type": "blood_pressure", "label": label},
            {"name": "outcome", "type": "choice", "label": label,
             "options": [{"value": "live_birth", "label": label}]},
        ],
        "effects": effects,
    }  # fmt: skip


def problems(effects: list[Any]) -> list[str]:
    try:
        check_definition(definition(effects))
    except CatalogueError as error:
        return error.errors["effects"][0]
    return []


OPEN = {"episode": "pregnancy", "action": "open"}
START = {"tag": "pregnant", "action": "start", "on": "lmp"}
END = {"tag": "pregnant", "action": "end", "on": "lmp"}


@pytest.mark.parametrize(
    ("effect", "message"),
    [
        ({"episode": "twins", "action": "open"}, "Unknown episode kind 'twins'"),
        ({"episode": "pregnancy", "action": "start"}, "An episode's action is one of"),
        ({**OPEN, "facts": {"weight": "babies"}}, "pregnancy has no fact 'weight'"),
        ({**OPEN, "facts": {"lmp": "babies"}}, "Fact 'lmp' must name a field of type date"),
        ({**OPEN, "facts": {"lmp": "nowhere"}}, "Fact 'lmp' must name a field of type date"),
        ({**OPEN, "facts": {"babies": "$visit_date"}}, "'babies' must name a field of type int"),
        ({**OPEN, "closed_on": "lmp"}, "Only a close takes `closed_on`"),
        ({"episode": "pregnancy", "action": "close", "closed_on": "babies"}, "`closed_on` must"),
        ({"episode": "chronic_enrolment", "action": "open"}, "names its condition"),
        ({**OPEN, "condition": "diabetes"}, "Only a chronic enrolment names a condition"),
        ({"tag": "elderly_65", "action": "start", "on": "lmp"}, "A form can set only these tags"),
        ({"tag": "pregnant", "action": "start", "on": "babies"}, "`on` must name a date field"),
        ({**END, "end_after": {"value": 1, "unit": "days"}}, "Only a start takes `end_after`"),
        ({**START, "end_after": {"value": 0, "unit": "days"}}, "`end_after` is"),
        ({**OPEN, "when": {"any": []}}, "`when` is {any: [conditions]}"),
        ({**OPEN, "when": {"any": [{"field": "nowhere", "equals": 1}]}}, "is not a field"),
        ({**OPEN, "when": {"any": [{"field": "bp", "gte": 180}]}}, "`part` (systolic"),
        ({**OPEN, "when": {"any": [{"field": "outcome", "gte": 1}]}}, "gte and lte compare"),
        ({**OPEN, "when": {"any": [{"field": "outcome", "equals": "twins"}]}}, "cannot have"),
        ({**OPEN, "when": {"any": [{"field": "babies", "gte": 1, "lte": 3}]}}, "exactly one of"),
        ({"action": "open"}, "An effect names an `episode` or a `tag`"),
        ({**OPEN, "colour": "red"}, "Unknown keys: colour"),
    ],
)  # fmt: skip
def test_a_wrong_effect_is_refused_with_what_is_wrong(effect, message):
    found = problems([effect])
    assert any(message in p for p in found), found


def test_a_full_set_of_effects_is_accepted():
    effects = [
        {**OPEN, "facts": {"lmp": "lmp", "booked_on": "$visit_date"}},
        {"when": {"any": [{"field": "bp", "part": "systolic", "gte": 180}]},
         "episode": "pregnancy", "action": "close", "facts": {"babies": "babies"},
         "closed_on": "lmp", "close_reason": "outcome"},
        {**START, "tag": "postpartum", "end_after": {"value": 42, "unit": "days"}},
    ]  # fmt: skip
    assert problems(effects) == []


def test_every_kind_of_episode_lists_its_facts():
    assert sorted(EPISODE_FACTS) == sorted(EPISODE_KINDS)
