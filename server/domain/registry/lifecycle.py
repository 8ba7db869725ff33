"""The rules that keep the register current: ending a record, moving house, a newborn's mother.

Plain functions of plain values (JSON dates as ISO strings), so each is tested by a table and
the sync spec only gathers the facts. An ended record stays in the register (services given
before the end still count) but leaves the active lists and the indicators' denominators.
Assistants move people only between households of their own village and link a newborn only to
a mother of the same village; staff correct anything else. Once an end has reached the server,
only staff may take it back: before upload the assistant simply withdraws the queued change.
"""

from __future__ import annotations

from typing import Any

from server.domain.registry.model import END_REASONS

Errors = dict[str, list[str]]
STAFF = ("supervisor", "admin")

END_BEFORE_BIRTH = "The end date is before the birth date."
END_NEEDS_REASON = "Say why the record ends."
REASON_NEEDS_DATE = "Give the date the record ends."
MOVE_NEEDS_DESTINATION = "Say where they moved to."
DESTINATION_ONLY_FOR_MOVES = "A destination is kept only for a move away."
NO_SUCH_MOTHER = "No such resident."
OWN_MOTHER = "A resident cannot be their own mother."
MOTHER_NOT_FEMALE = "The mother must be a woman."
MOTHER_NOT_OLDER = "The mother must be born before the child."
MOTHER_ELSEWHERE = "The mother lives in another village."


def end_errors(
    birth_date: str | None,
    ended_on: str | None,
    reason: str | None,
    destination: str | None,
) -> Errors:
    """What is wrong with a record's end, field by field (the parsers already refused a future
    date and an unknown reason)."""
    errors: Errors = {}
    if ended_on and not reason:
        errors["end_reason"] = [END_NEEDS_REASON]
    if reason and not ended_on:
        errors["ended_on"] = [REASON_NEEDS_DATE]
    if ended_on and birth_date and ended_on < birth_date:
        errors["ended_on"] = [END_BEFORE_BIRTH]
    if reason == "moved_away" and not (destination or "").strip():
        errors["end_destination"] = [MOVE_NEEDS_DESTINATION]
    if destination and reason != "moved_away":
        errors["end_destination"] = [DESTINATION_ONLY_FOR_MOVES]
    return errors


def unend_refused(role: str, stored_ended_on: Any, new_ended_on: Any) -> bool:
    """Whether this is an assistant clearing an end the server holds (`record_ended`)."""
    return stored_ended_on is not None and new_ended_on is None and role not in STAFF


def move_refused(role: str, resident_village: int | None, household_village: int | None) -> bool:
    """Whether this is an assistant moving someone to another village (`household_elsewhere`)."""
    if role in STAFF or resident_village is None or household_village is None:
        return False
    return resident_village != household_village


def mother_errors(child: dict[str, Any], mother: dict[str, Any] | None) -> tuple[bool, Errors]:
    """(whether she lives in another village: `mother_elsewhere`, field errors) of the link.

    `mother` is None when no live resident the caller may see has that id (out of scope looks
    exactly like missing). Both are JSON states with `village_id`, `sex`, `birth_date` and, when
    known, `id` (a new child has none yet: it cannot be named as anyone's mother).
    """
    if mother is None:
        return False, {"mother_id": [NO_SUCH_MOTHER]}
    if str(mother["id"]) == str(child.get("id")):
        return False, {"mother_id": [OWN_MOTHER]}
    if mother["village_id"] != child.get("village_id"):
        return True, {"mother_id": [MOTHER_ELSEWHERE]}
    if mother.get("sex") != "F":
        return False, {"mother_id": [MOTHER_NOT_FEMALE]}
    born, child_born = mother.get("birth_date"), child.get("birth_date")
    if born and child_born and born >= child_born:
        return False, {"mother_id": [MOTHER_NOT_OLDER]}
    return False, {}


__all__ = [
    "END_REASONS",
    "end_errors",
    "mother_errors",
    "move_refused",
    "unend_refused",
]
