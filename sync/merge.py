"""Flattening a row's state for a field-by-field merge, and folding the result back.

A nested field (a JSON object the spec names, merged key by key) is spread into
`<field>.<key>` entries, so two phones editing different keys of it both keep their value.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any


def flatten(values: dict[str, Any], nested: Collection[str] = ()) -> dict[str, Any]:
    """Column fields as they are; nested fields spread into `<field>.<key>` entries."""
    flat: dict[str, Any] = {}
    for name, value in values.items():
        if name in nested and isinstance(value, dict):
            for key, inner in value.items():
                flat[f"{name}.{key}"] = inner
        else:
            flat[name] = value
    return flat


def unflatten(
    flat: dict[str, Any], current: dict[str, Any], nested: Collection[str] = ()
) -> dict[str, Any]:
    """Column values to set, with `<field>.<key>` entries folded into new nested dicts."""
    out: dict[str, Any] = {}
    folded: dict[str, dict[str, Any]] = {}
    for name, value in flat.items():
        head, _, key = name.partition(".")
        if key and head in nested:
            if head not in folded:
                folded[head] = dict(current.get(head) or {})
            folded[head][key] = value
        else:
            out[name] = value
    out.update(folded)
    return out
