"""Review screens for a viewer who does not care for the resident: a record of a sensitive form
(severe mental disorder, tuberculosis) shows as a neutral follow-up, with no answers, marks or
changed values; everything else about it (village, date, author, status) stays, so the queue
still counts and orders it (server/domain/registry/privacy.py decides who sees what)."""

from __future__ import annotations

from typing import Any

from server.core.scope import Actor
from server.domain.records.model import ServiceRecord
from server.domain.registry.privacy import (
    MASKED_FORM_CODE,
    masked_form_title,
    masks_record,
    sees_sensitive,
    shown_tags,
    with_hidden_tags,
)

CONFLICT_VALUES = ("server_value", "client_value", "current_value", "resolved_value")


def masked_view(item: dict[str, Any]) -> dict[str, Any]:
    """A queue row or record detail with the sensitive form and its answers taken out."""
    out = {
        **item,
        "form_code": MASKED_FORM_CODE,
        "form_title": masked_form_title(),
        "marks": [],
        "masked": True,
    }
    if "fields" in item:
        out["fields"] = []
    if "history" in item:
        out["history"] = [
            {**h, "changes": [], "changed": [c for c in h["changed"] if not c.startswith("data.")]}
            for h in item["history"]
        ]
    return out


def for_viewer(viewer: Actor, record: ServiceRecord, item: dict[str, Any]) -> dict[str, Any]:
    """`item` (about `record`) as `viewer` may see it."""
    item = {**item, "form_code": record.form_code, "masked": False}
    if masks_record(viewer, record.form_code, record.village_id):
        return masked_view(item)
    return item


def conflict_for_viewer(viewer: Actor, obj: Any, item: dict[str, Any]) -> dict[str, Any]:
    """A conflict card as `viewer` may see it: tags without the sensitive ones; a sensitive
    record's card with its form neutral and no values."""
    conflict = item["conflict"]
    if obj is None or sees_sensitive(viewer, conflict.village_id):
        return item
    if isinstance(obj, ServiceRecord) and masks_record(viewer, obj.form_code, obj.village_id):
        hidden = dict.fromkeys(CONFLICT_VALUES)
        return {**item, **hidden, "label": "data", "form_title": masked_form_title()}
    if conflict.field == "tags":
        return {
            k: shown_tags(v, False) if k in CONFLICT_VALUES and v else v for k, v in item.items()
        }
    return item


def typed_value_kept(viewer: Actor, obj: Any, field: str, value: Any) -> Any:
    """A value typed by someone shown the field masked keeps what they could not see."""
    if field == "tags" and isinstance(value, list) and not sees_sensitive(viewer, obj.village_id):
        return with_hidden_tags(obj.tags, value)
    return value
