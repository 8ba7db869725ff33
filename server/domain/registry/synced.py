"""Households and residents as the sync engine sees them: fields, checks, wire shape, merges.

The full ID number never leaves the server: phones get it masked, plus the pinyin keys they
search by offline, and the audit trail keeps it masked too. A resident merged away (a
duplicate folded into the kept record) lives on as the kept one, so a phone that was offline
during the merge still lands its records for that person.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from server.core.inputrules import EARLIEST_BIRTH_DATE
from server.core.problems import HOUSEHOLD_ELSEWHERE, MOTHER_ELSEWHERE, RECORD_ENDED
from server.domain.registry.idnumber import birth_date_of, id_number_problem, mask
from server.domain.registry.lifecycle import (
    OWN_MOTHER,
    end_errors,
    mother_errors,
    move_refused,
    unend_refused,
)
from server.domain.registry.model import END_REASONS, TAGS, Household, Resident
from server.domain.registry.pinyin import pinyin_keys
from server.domain.registry.privacy import sees_sensitive, shown_tags, with_hidden_tags
from server.domain.registry.suspects import after_resident_write
from server.domain.registry.tagfollow import after_resident_created
from sync.context import PushContext
from sync.entities import as_uuid, to_json
from sync.fields import FieldError, boolean, choice, nullable, past_date, ref, text
from sync.rejection import Rejection, invalid
from sync.spec import EntitySpec


def id_number(value: Any, today: date) -> str | None:
    """An ID number, upper-cased and checked; blank means none."""
    number = text()(value, today).upper()
    if not number:
        return None
    problem = id_number_problem(number)
    if problem:
        raise FieldError(problem)
    return number


def tags(value: Any, today: date) -> list[str]:
    """Known tags, each once, in the order sent."""
    if value is None:
        raise FieldError("Field may not be null.")
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise FieldError("Not a valid list of tags.")
    unknown = [t for t in value if t not in TAGS]
    if unknown:
        raise FieldError(f"Unknown tags: {', '.join(unknown)}.")
    return list(dict.fromkeys(value))


def _touched(obj: Any, actor_id: int) -> None:
    obj.updated_by_id = actor_id


def household_data(obj: Household, viewer: Any) -> dict[str, Any]:
    return {
        "address": obj.address,
        "head_name": obj.head_name,
        "low_income": obj.low_income,
        "village_id": obj.village_id,
    }


def build_household(values: dict[str, Any], ctx: PushContext) -> dict[str, Any]:
    return {
        "address": values["address"],
        "head_name": values.get("head_name", ""),
        "low_income": values.get("low_income", False),
        "created_by_id": ctx.user.id,
        "updated_by_id": ctx.user.id,
    }


HOUSEHOLD = EntitySpec(
    name="household",
    model=Household,
    fields={
        "address": text(255, blank=False),
        "head_name": text(100),
        "low_income": boolean,
    },
    required=("address",),
    build=build_household,
    shape=household_data,
    touched=_touched,
)


def resident_data(obj: Resident, viewer: Any) -> dict[str, Any]:
    return {
        "household_id": to_json(obj.household_id),
        "name": obj.name,
        "name_pinyin": obj.name_pinyin,
        "name_initials": obj.name_initials,
        "sex": obj.sex,
        "birth_date": to_json(obj.birth_date),
        "id_number_masked": mask(obj.id_number),
        "phone": obj.phone,
        "tags": shown_tags(obj.tags, sees_sensitive(viewer, obj.village_id)),
        "village_id": obj.village_id,
        "ended_on": to_json(obj.ended_on),
        "end_reason": obj.end_reason,
        "end_destination": obj.end_destination,
        "mother_id": to_json(obj.mother_id),
    }


def unmask_resident(ctx: PushContext, stored: Resident, values: dict[str, Any]) -> dict[str, Any]:
    """Tags pushed by someone shown them masked keep the sensitive ones they could not see."""
    if "tags" not in values or sees_sensitive(ctx.user, stored.village_id):
        return values
    return {**values, "tags": with_hidden_tags(stored.tags, values["tags"])}


def build_resident(values: dict[str, Any], ctx: PushContext) -> dict[str, Any]:
    keys = pinyin_keys(values["name"])  # the model's before_insert hook, for a Core insert
    return {
        "household_id": values.get("household_id"),
        "name": values["name"],
        "name_pinyin": keys.full[:255],
        "name_initials": keys.initials[:64],
        "sex": values["sex"],
        "birth_date": values["birth_date"],
        "id_number": values.get("id_number"),
        "phone": values.get("phone"),
        "tags": values.get("tags", []),
        "ended_on": values.get("ended_on"),
        "end_reason": values.get("end_reason"),
        "end_destination": values.get("end_destination"),
        "mother_id": values.get("mother_id"),
        "created_by_id": ctx.user.id,
        "updated_by_id": ctx.user.id,
    }


def check_resident(ctx: PushContext, state: dict[str, Any]) -> dict[str, Any]:
    """Rules across fields and rows of a resident as it would be stored (JSON values).

    The birth date inside an ID number must be the resident's; an end needs its reason (and a
    destination for a move) and cannot precede the birth; an assistant moves people only within
    the village and links a newborn only to a mother of the village (see `lifecycle`).
    """
    errors: dict[str, Any] = {}
    if state.get("id_number") and state.get("birth_date"):
        born = birth_date_of(state["id_number"])
        if born is not None and born.isoformat() != state["birth_date"]:
            errors["id_number"] = ["The birth date in this ID number differs from the birth date."]
    errors.update(
        end_errors(
            state.get("birth_date"),
            state.get("ended_on"),
            state.get("end_reason"),
            state.get("end_destination"),
        )
    )
    if state.get("mother_id"):
        mother = ctx.session.get(Resident, as_uuid(state["mother_id"]))
        seen = mother is not None and not mother.deleted and mother.village_id in ctx.villages
        elsewhere, found = mother_errors(state, _mother_state(mother) if seen else None)
        if elsewhere:
            raise Rejection(MOTHER_ELSEWHERE, errors=found)
        errors.update(found)
    return errors


def guard_resident(ctx: PushContext, stored: Resident, state: dict[str, Any]) -> None:
    """Changes of a stored resident that are refused as such (see `lifecycle`)."""
    if unend_refused(ctx.user.role, stored.ended_on, state.get("ended_on")):
        raise Rejection(RECORD_ENDED, errors={"ended_on": ["Ended on the server."]})
    if state.get("household_id") and state["household_id"] != to_json(stored.household_id):
        home = ctx.session.get(Household, as_uuid(state["household_id"]))
        if move_refused(ctx.user.role, stored.village_id, home and home.village_id):
            raise Rejection(HOUSEHOLD_ELSEWHERE, errors={"household_id": ["In another village."]})
    if state.get("mother_id") == str(stored.id):
        raise invalid({"mother_id": [OWN_MOTHER]})


def _mother_state(mother: Resident) -> dict[str, Any]:
    return {
        "id": str(mother.id),
        "village_id": mother.village_id,
        "sex": mother.sex,
        "birth_date": to_json(mother.birth_date),
    }


def masked_audit(state: dict[str, Any]) -> dict[str, Any]:
    """A resident's snapshot as the audit trail keeps it: the ID number masked."""
    if "id_number" not in state:
        return state
    return {**state, "id_number": mask(state["id_number"])}


def merged_into(session: Session, ident: uuid.UUID) -> Resident | None:
    """The live resident a merged-away one lives on as (through chains of merges), or None."""
    obj = session.get(Resident, ident)
    seen: set[uuid.UUID] = set()
    while obj is not None and obj.deleted and obj.merged_into_id:
        if obj.id in seen:
            return None
        seen.add(obj.id)
        obj = session.get(Resident, obj.merged_into_id)
    if obj is None or obj.deleted:
        return None
    return obj


def after_resident_push(ctx: PushContext, spec: EntitySpec, row_id: Any, op: str, state: dict):
    """Register spans of a resident the bulk path inserted, then suspected duplicates."""
    after_resident_created(ctx, row_id, op, state)
    after_resident_write(ctx, spec, row_id, op, state)


def merged_elsewhere(field: str) -> Rejection:
    return Rejection(
        "resident_merged",
        "This resident was merged into a resident of another village; ask your supervisor.",
        {field: ["Merged into a resident outside your villages."]},
    )


RESIDENT = EntitySpec(
    name="resident",
    model=Resident,
    fields={
        "household_id": nullable(ref),
        "name": text(100, blank=False),
        "sex": choice("M", "F"),
        "birth_date": past_date(EARLIEST_BIRTH_DATE),
        "id_number": nullable(id_number),
        "phone": nullable(text(32)),
        "tags": tags,
        "ended_on": nullable(past_date(EARLIEST_BIRTH_DATE)),
        "end_reason": nullable(choice(*END_REASONS)),
        "end_destination": nullable(text(200)),
        "mother_id": nullable(ref),
    },
    required=("name", "sex", "birth_date"),
    # Kept in snapshots for the checks across rows (a move, a mother), never pushed.
    server_only=("village_id",),
    guard=guard_resident,
    unmask=unmask_resident,
    links=("mother_id",),
    parent=("household_id", HOUSEHOLD),
    build=build_resident,
    shape=resident_data,
    check=check_resident,
    audit=masked_audit,
    touched=_touched,
    successor=merged_into,
    elsewhere=merged_elsewhere,
    after_write=after_resident_push,  # spans and suspected duplicates, bulk and single path
)
