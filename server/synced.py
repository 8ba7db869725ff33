"""The synced entities, parents before children: the one list the sync engine is handed."""

from server.domain.records.synced import SERVICE_RECORD
from server.domain.registry.synced import HOUSEHOLD, RESIDENT
from server.domain.registry.tagfeed import use_spec
from sync.spec import Registry

REGISTRY = Registry([HOUSEHOLD, RESIDENT, SERVICE_RECORD])
# Spans the server writes reach the phones once the entity is synced (docs/tags.md).
use_spec(REGISTRY.get("resident_tag"))

__all__ = ["REGISTRY"]
