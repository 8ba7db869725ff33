"""Life events: how the register's tag list changes with an action or a saved form.

An action on the phone ("has given birth") follows the `LIFE_EVENTS` table; a saved form
follows the tags its definition's effects start and end (`{started, ended}`, from
server/domain/episodes/effects.py: the definitions are the one source for forms). The field
app applies the same rules offline as the form is saved (pwa/js/lifeevents.js), so the next
forms are offered at once; tests/contracts/lifeevents.json holds the cases both sides pass.
"""

from __future__ import annotations

from typing import Any

from server.domain.registry.model import TAGS

LIFE_EVENTS: tuple[dict[str, Any], ...] = (
    # "Has given birth", on the pregnant woman's page.
    {"action": "gave_birth", "add": ["postpartum"], "remove": ["pregnant"]},
)


def _changes(event: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(started, ended) of an action's rule or a saved form's effects."""
    if "action" in event:
        rule = next((r for r in LIFE_EVENTS if r["action"] == event["action"]), None)
        return (rule["add"], rule["remove"]) if rule else ([], [])
    return list(event.get("started") or []), list(event.get("ended") or [])


def tags_after(tags: list[str], event: dict[str, Any]) -> list[str]:
    """The tags once `event` ({action}, or a form's {started, ended}) is recorded, in order."""
    started, ended = _changes(event)
    found = {tag for tag in tags if tag not in ended} | set(started)
    known = [tag for tag in TAGS if tag in found]
    return known + sorted(found - set(TAGS))
