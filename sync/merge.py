"""Three-way merge of a client's patch against the version it was based on.

Conflict policy (docs/sync-protocol.md): when a field changed on the server since the client's
base and the client changed it to something else, the server's value stays and the client's
value is kept in a Conflict row for a supervisor. Fields the server did not touch take the
client's value. A service record's form `data` merges per form field (`data.<name>`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DATA_PREFIX = "data."
_MISSING = object()


@dataclass
class FieldConflict:
    field: str
    server_value: Any
    client_value: Any


@dataclass
class MergeOutcome:
    apply: dict[str, Any] = field(default_factory=dict)
    conflicts: list[FieldConflict] = field(default_factory=list)


def flatten(values: dict[str, Any]) -> dict[str, Any]:
    """Column fields as they are; form `data` spread into `data.<field>` keys."""
    flat: dict[str, Any] = {}
    for name, value in values.items():
        if name == "data" and isinstance(value, dict):
            for key, inner in value.items():
                flat[DATA_PREFIX + key] = inner
        else:
            flat[name] = value
    return flat


def unflatten(flat: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """Column values to set, with `data.<field>` keys folded into a new form data dict."""
    out: dict[str, Any] = {}
    data: dict[str, Any] | None = None
    for name, value in flat.items():
        if name.startswith(DATA_PREFIX):
            if data is None:
                data = dict(current.get("data") or {})
            data[name[len(DATA_PREFIX) :]] = value
        else:
            out[name] = value
    if data is not None:
        out["data"] = data
    return out


def three_way(
    base: dict[str, Any] | None, current: dict[str, Any], patch: dict[str, Any]
) -> MergeOutcome:
    """Decide each patched field: take the client's value, keep the server's, or conflict.

    All three are JSON-shaped snapshots. `base` None means the base version is unknown, so any
    field where server and client now differ is treated as changed on both sides.
    """
    outcome = MergeOutcome()
    flat_base = flatten(base) if base is not None else None
    flat_current = flatten(current)
    for name, client in flatten(patch).items():
        server = flat_current.get(name)
        if client == server:
            continue
        before = flat_base.get(name) if flat_base is not None else _MISSING
        if before is not _MISSING and server == before:
            outcome.apply[name] = client
        else:
            outcome.conflicts.append(FieldConflict(name, server, client))
    return outcome
