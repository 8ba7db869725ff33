"""What a phone receives for each synced row (pull feed and push answers).

The row's `data` is its spec's `shape` for this viewer: the spec decides what is masked or
left out (the engine sends nothing of a deleted row but its id and version).
"""

from __future__ import annotations

from typing import Any

from sync.spec import EntitySpec


def feed_item(spec: EntitySpec, obj: Any, viewer: Any) -> dict[str, Any]:
    """One change as the pull feed and push answers carry it."""
    deleted = bool(getattr(obj, "deleted", False))
    return {
        "entity": spec.name,
        "id": str(obj.id),
        "op": "delete" if deleted else "upsert",
        "version": obj.version,
        "data": {} if deleted else spec.shape(obj, viewer),
    }
