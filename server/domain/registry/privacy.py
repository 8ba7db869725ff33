"""Who sees a resident's most sensitive facts, and what everyone else is shown instead.

Severe mental disorder and tuberculosis (`SENSITIVE_TAGS`), their episodes and the records of
their follow-up forms are for the people who care for the resident: the assistants of the
resident's village and the supervisors of the township over it. Anyone else with the resident
in scope (a county admin) sees the resident without those tags and the records as a neutral
"随访" with no answers. Every surface asks `sees_sensitive`; the helpers below only apply its
answer, so the rule lives in one place (docs/security.md, "Sensitive tags").

Masking leaves facts out rather than blanking them, so a masked list says nothing about what was
left out, and `with_hidden_tags` puts them back when a masked list is written back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import false
from sqlalchemy.orm import object_session
from sqlalchemy.sql.elements import ColumnElement

from server.core.org import OrgUnit, subtree_ids
from server.core.scope import Actor
from server.domain.registry.model import SENSITIVE_TAGS

# Roles that care for residents: the village's assistants and the township's supervisors.
CARE_ROLES = ("assistant", "supervisor")
SENSITIVE_FORMS = ("mental_disorder_followup", "tuberculosis_followup")
SENSITIVE_EPISODES = ("tb_treatment", "smd_management")
# What a masked record is called on the wire and in files: no form of the catalogue has it.
MASKED_FORM_CODE = "followup"
MASKED_FORM_TITLE = {"zh": "随访", "en": "Follow-up"}


def sees_sensitive(viewer: Actor, village_id: int | None) -> bool:
    """True when `viewer` cares for the residents of `village_id` (its assistant, or a
    supervisor of a township over it); False for everyone else and for no village."""
    if village_id is None or viewer.role not in CARE_ROLES:
        return False
    unit = viewer.org_unit
    if unit.id == village_id:
        return True
    # A supervisor's feed asks once per row: `get` answers from the session's identity map.
    session = object_session(unit)
    village = session.get(OrgUnit, village_id) if session is not None else None
    return village is not None and village.path.startswith(unit.path)


def care_condition(column: Any, viewer: Actor) -> ColumnElement[bool]:
    """SQL for "`column` (a village id) is a village `viewer` cares for": `sees_sensitive`
    for queries, so a filter on a hidden fact finds nothing the viewer may not see."""
    if viewer.role not in CARE_ROLES:
        return false()
    return column.in_(subtree_ids(viewer.org_unit))


def shown_tags(tags: list[str] | None, shown: bool) -> list[str]:
    """`tags` as the viewer may see them: the sensitive ones left out unless `shown`."""
    return list(tags or []) if shown else [t for t in tags or [] if t not in SENSITIVE_TAGS]


def hidden_tags(tags: list[str] | None) -> list[str]:
    """The sensitive tags among `tags`, in their order."""
    return [t for t in tags or [] if t in SENSITIVE_TAGS]


def with_hidden_tags(stored: list[str] | None, sent: list[str]) -> list[str]:
    """A tag list written back by someone who was shown it masked: what they sent, with the
    stored sensitive tags they could not see (and so could not have meant to remove)."""
    return list(dict.fromkeys([*sent, *hidden_tags(stored)]))


def is_sensitive_form(form_code: str | None) -> bool:
    return form_code in SENSITIVE_FORMS


def masks_record(viewer: Actor, form_code: str | None, village_id: int | None) -> bool:
    """True when a record must be shown to `viewer` as a neutral follow-up with no answers."""
    return is_sensitive_form(form_code) and not sees_sensitive(viewer, village_id)


def masked_form_title(lang: str = "zh") -> str:
    return MASKED_FORM_TITLE.get(lang, MASKED_FORM_TITLE["zh"])


def sensitive_facts(tags: list[str] | None = None, form_codes: list[str] | None = None) -> int:
    """How many sensitive facts a view holds: sensitive tags plus records of sensitive forms
    (what the `read.sensitive` audit row counts)."""
    return len(hidden_tags(tags)) + sum(1 for code in form_codes or [] if is_sensitive_form(code))


def masked_snapshot(entity: str, state: dict[str, Any] | None) -> dict[str, Any] | None:
    """An audited snapshot (a row's before or after) as a viewer who may not see sensitive
    facts reads it: a resident's sensitive tags left out, a sensitive record's form and
    answers replaced, a sensitive tag span or episode reduced to its ids."""
    if not state:
        return state
    if entity == "resident" and isinstance(state.get("tags"), list):
        return {**state, "tags": shown_tags(state["tags"], False)}
    if entity == "conflict" and isinstance(state.get("value"), list):
        return {**state, "value": shown_tags(state["value"], False)}
    if entity == "service_record" and is_sensitive_form(state.get("form_code")):
        return {**state, "form_code": MASKED_FORM_CODE, "data": {}}
    if state.get("tag") in SENSITIVE_TAGS or state.get("kind") in SENSITIVE_EPISODES:
        return {k: v for k, v in state.items() if k in ("id", "resident_id", "version")}
    return state


def masked_columns(
    shape: Callable[[Any, Any], dict[str, Any]], sensitive: Callable[[Any], bool], blank: tuple
) -> Callable[[Any, Any], dict[str, Any]]:
    """A feed shape that blanks a sensitive row's telling columns for viewers who do not care for
    the resident, and says so with `masked`, so a phone neither shows nor folds it."""

    def masked_shape(obj: Any, viewer: Any) -> dict[str, Any]:
        data = shape(obj, viewer)
        if sensitive(obj) and not sees_sensitive(viewer, obj.village_id):
            data.update(dict.fromkeys(blank), masked=True)
            if "facts" in data:
                data["facts"] = {}
        return data

    return masked_shape
