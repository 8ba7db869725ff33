"""Service records as the sync engine sees them: fields, form checks, wire shape, review.

A record's form `data` travels and merges field by field. Its review status is the
supervisor's: kept in snapshots but never pushed, an approved record refuses every change,
and an assistant's change of a returned or rejected record sends it back to review. The
supervisor's comment is sent only to the record's author and to staff.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from server.core.inputrules import EARLIEST_VISIT_DATE
from server.domain.accounts.model import STAFF_ROLES
from server.domain.episodes.refresh import after_record_write
from server.domain.records.catalogue import get_definition
from server.domain.records.eligible_facts import fact_problems
from server.domain.records.formdata import batch_form_validator
from server.domain.records.model import ServiceRecord
from server.domain.records.references import referenced_residents, resident_reference_problems
from server.domain.registry.model import Resident
from server.domain.registry.privacy import MASKED_FORM_CODE, masks_record
from server.domain.registry.synced import RESIDENT
from sync.context import PushContext
from sync.entities import to_json
from sync.fields import json_object, nullable, past_date, positive_int, ref, text
from sync.rejection import Rejection
from sync.spec import EntitySpec

REOPENED = ("returned", "rejected")  # an assistant's edit sends these back to review


def service_record_data(obj: ServiceRecord, viewer: Any) -> dict[str, Any]:
    own = obj.author_id == viewer.id or viewer.role in STAFF_ROLES
    masked = masks_record(viewer, obj.form_code, obj.village_id)  # registry/privacy.py
    return {
        "resident_id": to_json(obj.resident_id),
        "form_code": MASKED_FORM_CODE if masked else obj.form_code,
        "form_version": obj.form_version,
        "visit_date": to_json(obj.visit_date),
        "data": {} if masked else to_json(obj.data or {}),
        "author_id": obj.author_id,
        "review_status": obj.review_status,
        "review_comment": obj.review_comment if own else None,
        "created_at": to_json(obj.created_at),
        "village_id": obj.village_id,
    }


def unmask_record(
    ctx: PushContext, stored: ServiceRecord, values: dict[str, Any]
) -> dict[str, Any]:
    """A record pushed back by someone shown it masked keeps its form (its answers merge key by
    key, so those they could not see stay as they are)."""
    if values.get("form_code") == MASKED_FORM_CODE:
        return {**values, "form_code": stored.form_code}
    return values


def build_record(values: dict[str, Any], ctx: PushContext) -> dict[str, Any]:
    return {
        "resident_id": values.get("resident_id"),
        "form_code": values["form_code"],
        "form_version": values["form_version"],
        "data": values.get("data", {}),
        "visit_date": values["visit_date"],
        "author_id": ctx.user.id,
        "device_id": ctx.device_id,
        "review_status": "pending",
        "review_comment": None,
        "reviewed_by_id": None,
        "reviewed_at": None,
    }


def check_form(ctx: PushContext, state: dict[str, Any]) -> dict[str, Any]:
    """The form data against its published form version (looked up once per batch) and the
    pushed visit date, and its `resident` fields against the residents the user may link
    (records/references.py)."""
    validate = ctx.batch_value("form_validator", batch_form_validator)
    problems = validate(
        ctx.session,
        state["form_code"],
        state["form_version"],
        state.get("data") or {},
        ctx.today,
        _visit_date(state.get("visit_date")),
    )
    errors: dict[str, Any] = {}
    form_errors: dict[str, list[str]] = {}
    for name, messages in problems.items():
        if name in ("form_code", "form_version"):
            errors[name] = list(messages)
        else:
            form_errors[name] = list(messages)
    if "form_code" not in errors and "form_version" not in errors:
        form_errors |= resident_reference_problems(ctx, state, form_errors)
    if form_errors:
        errors["data"] = form_errors
    return errors


FACT_FIELDS = ("resident_id", "visit_date", "form_code", "form_version")


def check_facts(
    ctx: PushContext, before: dict[str, Any] | None, state: dict[str, Any]
) -> dict[str, Any]:
    """Born by the visit, of the form's sex and ages (records/eligible_facts.py).

    Checked on a create and on an update that changes the resident, visit date or form: an
    edit of the answers alone is never refused, so a record stored before this rule, or one
    whose resident's birth date or sex was corrected since, stays editable (the review queue
    is where such a record is questioned).
    """
    if before is not None and all(before.get(k) == state.get(k) for k in FACT_FIELDS):
        return {}
    visit = _visit_date(state.get("visit_date"))
    resident = _resident(ctx, state.get("resident_id"))
    definition = _definition(ctx, state.get("form_code"), state.get("form_version"))
    if visit is None or resident is None or definition is None:
        return {}  # the field checks answer these
    return fact_problems(definition, resident.birth_date, resident.sex, visit)


def _resident(ctx: PushContext, value: Any) -> Resident | None:
    try:
        return ctx.session.get(Resident, uuid.UUID(str(value))) if value else None
    except ValueError:
        return None


def _definition(ctx: PushContext, code: Any, version: Any) -> dict[str, Any] | None:
    """A form version's definition, looked up once per batch."""
    known: dict[tuple[Any, Any], Any] = ctx.batch_value("fact_definitions", dict)
    if not isinstance(code, str) or not isinstance(version, int) or isinstance(version, bool):
        return None
    if (code, version) not in known:
        known[code, version] = get_definition(ctx.session, code, version)
    return known[code, version]


def _visit_date(value: Any) -> date | None:
    """The snapshot's visit date (ISO text); None, and so today, when it is not one."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def approved(obj: ServiceRecord) -> Rejection | None:
    if obj.review_status != "approved":
        return None
    return Rejection(
        "record_reviewed",
        "This record was approved by a supervisor and can no longer be changed.",
    )


def reopen(obj: ServiceRecord, actor_id: int) -> None:
    if obj.review_status in REOPENED:
        obj.review_status = "pending"


SERVICE_RECORD = EntitySpec(
    name="service_record",
    model=ServiceRecord,
    fields={
        "resident_id": nullable(ref),
        "form_code": text(64, blank=False),
        "form_version": positive_int,
        "visit_date": past_date(EARLIEST_VISIT_DATE),
        "data": json_object,
    },
    required=("form_code", "form_version", "visit_date"),
    parent=("resident_id", RESIDENT),
    nested=frozenset({"data"}),
    server_only=("review_status", "review_comment"),
    build=build_record,
    shape=service_record_data,
    check=check_form,
    check_change=check_facts,
    unmask=unmask_record,
    locked=approved,
    touched=reopen,
    refers_to=referenced_residents,
    after_write=after_record_write,  # the resident's episodes and form tag spans
)
