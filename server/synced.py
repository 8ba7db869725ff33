"""The synced entities, parents before children: the one list the sync engine is handed."""

from server.domain.records.synced import SERVICE_RECORD
from server.domain.registry.synced import HOUSEHOLD, RESIDENT
from sync.spec import Registry

REGISTRY = Registry([HOUSEHOLD, RESIDENT, SERVICE_RECORD])

__all__ = ["REGISTRY"]
