"""Review screens for a viewer who does not care for the resident: a record of a sensitive form
(severe mental disorder, tuberculosis) shows as a neutral follow-up, with no answers, marks or
changed values; everything else about it (village, date, author, status) stays, so the queue
still counts and orders it (server/domain/registry/privacy.py decides who sees what)."""

from __future__ import annotations

from typing import Any

from server.core.scope import Actor
from server.domain.records.model import ServiceRecord
from server.domain.registry.privacy import MASKED_FORM_CODE, masked_form_title, masks_record


def masked_view(item: dict[str, Any]) -> dict[str, Any]:
    """A queue row or record detail with the sensitive form and its answers taken out."""
    out = {**item, "form_code": MASKED_FORM_CODE, "form_title": masked_form_title(), "marks": []}
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
    item = {**item, "form_code": record.form_code}
    if masks_record(viewer, record.form_code, record.village_id):
        return masked_view(item)
    return item
