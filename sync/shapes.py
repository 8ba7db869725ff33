"""What a phone receives for each synced row (pull feed and push answers).

The row's `data` is its spec's `shape` for this viewer: the spec decides what is masked or
left out (the engine sends nothing of a deleted row but its id and version).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sync.entities import to_json
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


def columns(names: tuple[str, ...]) -> Callable[[Any, Any], dict[str, Any]]:
    """A `shape` sending these columns of the row as they are (JSON-ready), to any viewer."""

    def shape(obj: Any, viewer: Any) -> dict[str, Any]:
        return {name: to_json(getattr(obj, name)) for name in names}

    return shape
