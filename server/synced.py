"""The synced entities, parents before children: the one list the sync engine is handed."""

from server.domain.episodes.synced import EPISODE
from server.domain.records.synced import SERVICE_RECORD
from server.domain.registry.synced import HOUSEHOLD, RESIDENT
from server.domain.registry.synced_tags import RESIDENT_TAG
from server.domain.registry.tagfeed import use_spec
from sync.spec import Registry

REGISTRY = Registry([HOUSEHOLD, RESIDENT, SERVICE_RECORD, EPISODE, RESIDENT_TAG])
# Spans the register and staff write reach the phones through the feed (docs/tags.md).
use_spec(RESIDENT_TAG)

__all__ = ["REGISTRY"]
