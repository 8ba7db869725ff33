"""Episodes as the sync engine sees them: read-only rows the server derives from records.

Phones never push an episode (`pushable=False`): the server recomputes a resident's episodes
after every write or review of their records (refresh.py), and phones pull the result.
"""

from __future__ import annotations

from server.domain.episodes.model import Episode
from server.domain.registry.privacy import SENSITIVE_EPISODES, masked_columns
from server.domain.registry.synced import RESIDENT
from sync.shapes import columns
from sync.spec import EntitySpec, server_made

EPISODE_FIELDS = (
    "resident_id",
    "village_id",
    "kind",
    "condition",
    "status",
    "opened_on",
    "closed_on",
    "close_reason",
    "facts",
    "opened_by_record_id",
    "updated_by_record_id",
)


EPISODE = EntitySpec(
    name="episode",
    model=Episode,
    fields={},
    pushable=False,
    parent=("resident_id", RESIDENT),
    server_only=EPISODE_FIELDS,
    build=server_made,
    # TB and mental disorder episodes are blanked for viewers who do not care for the resident.
    shape=masked_columns(
        columns(EPISODE_FIELDS),
        lambda row: row.kind in SENSITIVE_EPISODES,
        (
            "kind",
            "condition",
            "status",
            "opened_on",
            "closed_on",
            "close_reason",
            "opened_by_record_id",
            "updated_by_record_id",
        ),
    ),
)
