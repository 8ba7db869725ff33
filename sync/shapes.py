"""What a phone receives for each synced row (pull feed and push answers).

The full ID number never leaves the server: phones get it masked, plus the pinyin keys they
search by offline. A supervisor's review comment is sent only to the record's author and staff.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from server.domain.accounts.model import User
from server.domain.records.model import ServiceRecord
from server.domain.registry.idnumber import mask
from server.domain.registry.model import Household, Resident
from sync.entities import to_json

STAFF_ROLES = ("supervisor", "admin")


def household_data(obj: Household, viewer: User) -> dict[str, Any]:
    return {
        "address": obj.address,
        "head_name": obj.head_name,
        "low_income": obj.low_income,
        "village_id": obj.village_id,
    }


def resident_data(obj: Resident, viewer: User) -> dict[str, Any]:
    return {
        "household_id": to_json(obj.household_id),
        "name": obj.name,
        "name_pinyin": obj.name_pinyin,
        "name_initials": obj.name_initials,
        "sex": obj.sex,
        "birth_date": to_json(obj.birth_date),
        "id_number_masked": mask(obj.id_number),
        "phone": obj.phone,
        "tags": list(obj.tags or []),
        "village_id": obj.village_id,
    }


def service_record_data(obj: ServiceRecord, viewer: User) -> dict[str, Any]:
    own = obj.author_id == viewer.id or viewer.role in STAFF_ROLES
    return {
        "resident_id": to_json(obj.resident_id),
        "form_code": obj.form_code,
        "form_version": obj.form_version,
        "visit_date": to_json(obj.visit_date),
        "data": to_json(obj.data or {}),
        "author_id": obj.author_id,
        "review_status": obj.review_status,
        "review_comment": obj.review_comment if own else None,
        "created_at": to_json(obj.created_at),
        "village_id": obj.village_id,
    }


# Later issues register their feed entities (tasks, notices) here.
SHAPES: dict[str, Callable[[Any, User], dict[str, Any]]] = {
    "household": household_data,
    "resident": resident_data,
    "service_record": service_record_data,
}


def feed_item(entity: str, obj: Any, viewer: User) -> dict[str, Any]:
    """One change as the pull feed and push answers carry it."""
    deleted = bool(getattr(obj, "deleted", False))
    return {
        "entity": entity,
        "id": str(obj.id),
        "op": "delete" if deleted else "upsert",
        "version": obj.version,
        "data": {} if deleted else SHAPES[entity](obj, viewer),
    }
