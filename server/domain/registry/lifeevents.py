"""Life events: which saved form (or action on the phone) changes which of a woman's tags.

One table, mirrored by the field app (pwa/js/lifeevents.js, which applies it offline as the
form is saved, so the next forms are offered at once); tests/contracts/lifeevents.json holds the
cases both sides pass, and a test holds the two tables equal. An event matches a rule when its
form code (or action) is the rule's and, if the rule names an `answered` field, that answer is
given. The full episode model (a pregnancy with its dates) belongs to a later issue.
"""

from __future__ import annotations

from typing import Any

from server.domain.registry.model import TAGS

LIFE_EVENTS: tuple[dict[str, Any], ...] = (
    # An early-pregnancy registration: she is pregnant (and no longer postpartum).
    {"form": "early_pregnancy", "add": ["pregnant"], "remove": ["postpartum"]},
    # A delivery recorded on the postpartum visit: she is postpartum, no longer pregnant.
    {
        "form": "postpartum_visit",
        "answered": "delivery_date",
        "add": ["postpartum"],
        "remove": ["pregnant"],
    },
    # "Has given birth", on the pregnant woman's page.
    {"action": "gave_birth", "add": ["postpartum"], "remove": ["pregnant"]},
)


def _matches(rule: dict[str, Any], event: dict[str, Any]) -> bool:
    if "action" in rule:
        return event.get("action") == rule["action"]
    if event.get("form") != rule["form"]:
        return False
    answered = rule.get("answered")
    value = (event.get("data") or {}).get(answered) if answered else True
    return value not in (None, "", [])


def tags_after(tags: list[str], event: dict[str, Any]) -> list[str]:
    """The tags once `event` ({form, data} or {action}) is recorded, in catalogue order."""
    found = set(tags)
    for rule in LIFE_EVENTS:
        if _matches(rule, event):
            found = (found - set(rule["remove"])) | set(rule["add"])
    known = [tag for tag in TAGS if tag in found]
    return known + sorted(found - set(TAGS))
