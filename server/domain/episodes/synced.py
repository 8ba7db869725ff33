"""Episodes as the sync engine sees them: read-only rows the server derives from records.

Phones never push an episode (`pushable=False`): the server recomputes a resident's episodes
after every write or review of their records (refresh.py), and phones pull the result.
"""

from __future__ import annotations

from server.domain.episodes.model import Episode
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
    # Privacy (issue 17 §3): tb_treatment and smd_management are sensitive; mask them in the shape
    # for viewers `server.domain.registry.privacy.sees_sensitive(viewer, row.village_id)` refuses.
    shape=columns(EPISODE_FIELDS),
)
