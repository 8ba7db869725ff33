"""Tag spans as the sync engine sees them: read-only rows, one per span of a stored tag.

The register's tag list, forms' effects (episodes/refresh.py) and staff decisions write spans
on the server; phones pull them to show a tag's source and dates, and never push one.
"""

from __future__ import annotations

from server.domain.registry.model import ResidentTag
from server.domain.registry.synced import RESIDENT
from sync.shapes import columns
from sync.spec import EntitySpec, server_made

SPAN_FIELDS = (
    "resident_id",
    "village_id",
    "tag",
    "source",
    "origin",
    "start_on",
    "end_on",
    "record_id",
)


RESIDENT_TAG = EntitySpec(
    name="resident_tag",
    model=ResidentTag,
    fields={},
    pushable=False,
    parent=("resident_id", RESIDENT),
    server_only=(*SPAN_FIELDS, "confirmed_by_id", "confirmed_at", "ended_by_id", "note"),
    build=server_made,
    # Privacy (issue 17 §3): mask a SENSITIVE_TAGS span in the shape for viewers that
    # `server.domain.registry.privacy.sees_sensitive(viewer, row.village_id)` refuses.
    shape=columns(SPAN_FIELDS),
)
