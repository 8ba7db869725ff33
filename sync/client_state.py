"""The reference client's durable state and the pure rules it applies to it.

The outbox, rejected mutations, local copy and cursor (`ClientState`), written to disk whole
(`StateFile`); how a patch folds into the local copy (`apply_patch`); and the base a
`stale_version` edit is sent again with (`rebased_base`).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

WIRE_KEYS = ("mutation_id", "entity", "op", "id", "base_version", "data", "client_time")
MAX_REBASES = 8  # a stale_version edit is rebased at most this often (see `rebased_base`)


@dataclass
class ClientState:
    """Everything the client must not forget; plain JSON so it survives restarts."""

    outbox: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    local: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    cursor: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "outbox": self.outbox,
            "rejected": self.rejected,
            "local": self.local,
            "cursor": self.cursor,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> ClientState:
        return cls(raw["outbox"], raw["rejected"], raw["local"], raw["cursor"])


class StateFile:
    """Keeps `ClientState` in a JSON file, replaced atomically so a crash leaves old or new."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def load(self) -> ClientState:
        if not self.path.exists():
            return ClientState()
        return ClientState.from_json(json.loads(self.path.read_text()))

    def save(self, state: ClientState) -> None:
        tmp = self.path.with_suffix(self.path.suffix + ".tmp")
        with open(tmp, "w") as fh:
            json.dump(state.to_json(), fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)


@dataclass
class PushReport:
    """What one `push()` did, mutation ids grouped by the server's answer."""

    by_status: dict[str, list[str]] = field(default_factory=dict)
    requests: int = 0

    def add(self, status: str, mutation_id: str) -> None:
        self.by_status.setdefault(status, []).append(mutation_id)

    def count(self, status: str) -> int:
        return len(self.by_status.get(status, []))


@dataclass
class PullReport:
    changes: int = 0
    pages: int = 0
    resets: int = 0


def apply_patch(entity: str, data: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """An update carries changed fields only, and a JSON object in it only its changed keys.

    The server merges such fields key by key (a spec's `nested` fields); the local view does
    the same, whatever the entity.
    """
    merged = {**data, **patch}
    for name, value in patch.items():
        held = data.get(name)
        if isinstance(value, dict) and (held is None or isinstance(held, dict)):
            merged[name] = {**(held or {}), **value}
    return merged


def rebased_base(
    *,
    rejected_base: int,
    confirmed: int | None,
    server_version: int | None,
    ahead: int,
    rebases: int,
) -> int | None:
    """The base_version to send a `stale_version` edit again with, or None to set it aside.

    The base is the record's version as last confirmed to this phone (by a pull or a push
    answer), never above the server's version named in the answer (`server_version`, which
    also stands in when the phone holds no confirmed version, e.g. the PWA after a local
    delete), plus our own writes to the record still queued ahead of the edit. The confirmed
    version comes first because a base that includes other phones' unseen edits would let
    this edit overwrite them without a conflict. The PWA (pwa/js/rebase.js) follows the
    same rule. The edit is set aside when that base is the one just turned down (nothing
    moved, so sending it again would only be turned down again) or after MAX_REBASES tries.
    """
    if rebases >= MAX_REBASES:
        return None
    known = confirmed or server_version
    if known is None:
        return None
    if server_version is not None:
        known = min(known, server_version)
    base = known + ahead
    if base < 1 or base == rejected_base:
        return None
    return base


def wire(mutation: dict[str, Any]) -> dict[str, Any]:
    """A mutation as sent: the outbox may keep notes of its own beside it."""
    return {key: mutation[key] for key in WIRE_KEYS}


def first_int(values: dict[str, Any], names: tuple[str, ...]) -> int | None:
    for name in names:
        value = values.get(name)
        if isinstance(value, int) and value > 0:
            return value
        if isinstance(value, list) and value and isinstance(value[0], int):
            return value[0]
    return None
