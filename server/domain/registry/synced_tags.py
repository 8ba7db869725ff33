"""Tag spans as the sync engine sees them: read-only rows, one per span of a stored tag.

The register's tag list, forms' effects (episodes/refresh.py) and staff decisions write spans
on the server; phones pull them to show a tag's source and dates, and never push one.
"""

from __future__ import annotations

from server.domain.registry.model import SENSITIVE_TAGS, ResidentTag
from server.domain.registry.privacy import masked_columns
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
    # Spans of SMD and TB are blanked for viewers who do not care for the resident.
    shape=masked_columns(
        columns(SPAN_FIELDS),
        lambda row: row.tag in SENSITIVE_TAGS,
        ("tag", "source", "origin", "start_on", "end_on", "record_id"),
    ),
)
