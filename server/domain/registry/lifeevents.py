"""Life events: how the register's tag list changes with an action on the phone.

An action ("has given birth") follows the `LIFE_EVENTS` table: a register fact, pushed as a
resident update (pwa/js/lifeevents.js applies it offline; tests/contracts/lifeevents.json holds
the cases both sides pass). A saved form does not change the list: the tags its effects start
and end are form spans the effects fold derives from the records (episodes/fold.py), so a
rejected record's tag goes with it.
"""

from __future__ import annotations

from typing import Any

from server.domain.registry.model import TAGS

LIFE_EVENTS: tuple[dict[str, Any], ...] = (
    # "Has given birth", on the pregnant woman's page.
    {"action": "gave_birth", "add": ["postpartum"], "remove": ["pregnant"]},
)


def tags_after(tags: list[str], event: dict[str, Any]) -> list[str]:
    """The tags once the action `event` ({action}) is taken, in catalogue order."""
    rule = next((r for r in LIFE_EVENTS if r["action"] == event.get("action")), None)
    started, ended = (rule["add"], rule["remove"]) if rule else ([], [])
    found = {tag for tag in tags if tag not in ended} | set(started)
    known = [tag for tag in TAGS if tag in found]
    return known + sorted(found - set(TAGS))
