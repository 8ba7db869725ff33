"""A form definition's `effects`: what saving it does to its resident's episodes and tags.

The facts each episode kind carries, and the answer types that may fill each, are data
(`EPISODE_FACTS`, listed in docs/episodes.md): a county adding a fact edits this dict. The
checks here run when a definition is stored (formschema.py), so the fold (fold.py) and the
phone's copy (pwa/js/effects.js) can trust every reference they follow.
"""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields

from server.domain.records.ruleschema import ConditionSchema, condition_problem
from server.domain.registry.model import TAGS

VISIT_DATE = "$visit_date"
DATE = ("date",)
YES_NO = ("yes_no",)
CODED = ("choice", "text")
COUNT = ("integer",)
# Per kind, each fact and the field types whose answer may fill it (dates may be $visit_date).
EPISODE_FACTS: dict[str, dict[str, tuple[str, ...]]] = {
    "pregnancy": {
        "lmp": DATE,
        "edd": DATE,
        "booked_on": DATE,
        "high_risk_told": YES_NO,
        "delivery_date": DATE,
        "discharge_date": DATE,
        "delivery_place": CODED,
        "outcome": CODED,
        "babies": COUNT,
    },
    "tb_treatment": {
        "notified_on": DATE,
        "treatment_start": DATE,
        "regimen_months": COUNT,
        "retreatment": YES_NO,
        "phase": CODED,
        "supervisor_type": CODED,
        "end_reason": CODED,
    },
    "smd_management": {
        "classification": CODED,
        "classified_on": DATE,
        "living_at_home": YES_NO,
    },
    "chronic_enrolment": {"confirmed_on": DATE, "confirmed_by_centre": YES_NO},
}
# The conditions a chronic enrolment can be for; other kinds name none.
ENROLMENT_CONDITIONS = ("hypertension", "diabetes")
EPISODE_ACTIONS = ("open", "update", "close")
TAG_ACTIONS = ("start", "end")
# Tags that follow from birth date and household are never set by a form.
FORM_TAGS = tuple(t for t in TAGS if t not in ("child_0_6", "elderly_65", "low_income"))
UNITS = ("days", "weeks", "months", "years")
# What a form without an `effects` key did before effects existed (the life events of
# lifeevents.py): its records keep doing it. An explicit `"effects": []` does nothing.
LEGACY_EFFECTS: dict[str, list[dict[str, Any]]] = {
    "early_pregnancy": [
        {"tag": "pregnant", "action": "start", "on": VISIT_DATE},
        {"tag": "postpartum", "action": "end", "on": VISIT_DATE},
    ],
    "postpartum_visit": [
        {"tag": "postpartum", "action": "start", "on": "delivery_date"},
        {"tag": "pregnant", "action": "end", "on": "delivery_date"},
    ],
}


def effects_of(definition: dict[str, Any]) -> list[dict[str, Any]]:
    """The effects a record of this definition has (its own, else its form's legacy ones)."""
    if "effects" in definition:
        return definition["effects"] or []
    return LEGACY_EFFECTS.get(definition.get("code", ""), [])


class EffectsField(fields.Field):
    """The `effects` list of a definition, checked against the definition's own fields."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, list):
            raise ValidationError("effects must be a list.")
        raw = data.get("fields") if isinstance(data, dict) else None
        by_name = {
            f["name"]: f
            for f in raw or []
            if isinstance(f, dict) and isinstance(f.get("name"), str)
        }
        problems = {
            i: found
            for i, effect in enumerate(value)
            if (found := effect_problems(effect, by_name))
        }
        if problems:
            raise ValidationError(problems)
        return value


def effect_problems(effect: Any, by_name: dict[str, dict[str, Any]]) -> list[str]:
    """What is wrong with one effect, given the form's fields by name (empty: nothing)."""
    if not isinstance(effect, dict):
        return ["An effect is an object."]
    problems = _when_problems(effect.get("when"), by_name)
    if "episode" in effect:
        problems += _episode_problems(effect, by_name)
    elif "tag" in effect:
        problems += _tag_problems(effect, by_name)
    else:
        problems.append("An effect names an `episode` or a `tag`.")
    return problems


def _unknown_keys(effect: dict[str, Any], allowed: set[str]) -> list[str]:
    extra = sorted(set(effect) - allowed - {"when"})
    return [f"Unknown keys: {', '.join(extra)}."] if extra else []


def _date_ref(value: Any, by_name: dict[str, dict[str, Any]], key: str) -> list[str]:
    if value == VISIT_DATE or by_name.get(value, {}).get("type") == "date":
        return []
    return [f"`{key}` must name a date field of this form or be {VISIT_DATE}."]


def _episode_problems(effect: dict[str, Any], by_name: dict[str, dict[str, Any]]) -> list[str]:
    kind, action = effect["episode"], effect.get("action")
    problems = _unknown_keys(
        effect, {"episode", "action", "condition", "facts", "closed_on", "close_reason"}
    )
    if kind not in EPISODE_FACTS:
        return [*problems, f"Unknown episode kind {kind!r}; one of {', '.join(EPISODE_FACTS)}."]
    if action not in EPISODE_ACTIONS:
        problems.append(f"An episode's action is one of {', '.join(EPISODE_ACTIONS)}.")
    if kind == "chronic_enrolment" and effect.get("condition") not in ENROLMENT_CONDITIONS:
        problems.append(
            f"A chronic enrolment names its condition: {', '.join(ENROLMENT_CONDITIONS)}."
        )
    if kind != "chronic_enrolment" and "condition" in effect:
        problems.append("Only a chronic enrolment names a condition.")
    facts = effect.get("facts", {})
    if not isinstance(facts, dict):
        return [*problems, "`facts` maps facts to field names."]
    known = EPISODE_FACTS[kind]
    for fact, source in facts.items():
        if fact not in known:
            problems.append(f"{kind} has no fact {fact!r}; its facts: {', '.join(known)}.")
        elif source == VISIT_DATE and known[fact] == DATE:
            continue
        elif by_name.get(source, {}).get("type") not in known[fact]:
            types = " or ".join(known[fact])
            problems.append(f"Fact {fact!r} must name a field of type {types} of this form.")
    if action != "close" and ("closed_on" in effect or "close_reason" in effect):
        problems.append("Only a close takes `closed_on` and `close_reason`.")
    if "closed_on" in effect:
        problems += _date_ref(effect["closed_on"], by_name, "closed_on")
    reason = effect.get("close_reason")
    if reason is not None and (not isinstance(reason, str) or not reason):
        problems.append("`close_reason` is a field name or a literal reason.")
    return problems


def _tag_problems(effect: dict[str, Any], by_name: dict[str, dict[str, Any]]) -> list[str]:
    problems = _unknown_keys(effect, {"tag", "action", "on", "end_after"})
    if effect["tag"] not in FORM_TAGS:
        problems.append(f"A form can set only these tags: {', '.join(FORM_TAGS)}.")
    action = effect.get("action")
    if action not in TAG_ACTIONS:
        problems.append(f"A tag's action is one of {', '.join(TAG_ACTIONS)}.")
    problems += _date_ref(effect.get("on"), by_name, "on")
    after = effect.get("end_after")
    if after is not None:
        value = after.get("value") if isinstance(after, dict) else None
        if action != "start":
            problems.append("Only a start takes `end_after`.")
        elif type(value) is not int or value < 1 or after.get("unit") not in UNITS:
            problems.append(
                f"`end_after` is {{value: a whole number ≥ 1, unit: {'|'.join(UNITS)}}}."
            )
    return problems


def _when_problems(when: Any, by_name: dict[str, dict[str, Any]]) -> list[str]:
    if when is None:
        return []
    conditions = when.get("any") if isinstance(when, dict) else None
    if not isinstance(conditions, list) or not conditions or set(when) != {"any"}:
        return ["`when` is {any: [conditions]}, at least one."]
    return [p for c in conditions for p in _condition_problems(c, by_name)]


def _condition_problems(condition: Any, by_name: dict[str, dict[str, Any]]) -> list[str]:
    """The dangers' own checks (records/ruleschema.py): its shape, then how it fits its field."""
    try:
        condition = ConditionSchema().load(condition)
    except ValidationError as error:
        return [str(message) for message in _messages(error.messages)]
    problem = condition_problem(condition, by_name)
    return [problem] if problem else []


def _messages(messages: Any) -> list[Any]:
    if isinstance(messages, dict):
        return [m for value in messages.values() for m in _messages(value)]
    return list(messages) if isinstance(messages, list) else [messages]
