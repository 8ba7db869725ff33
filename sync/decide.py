"""What becomes of a pushed mutation, decided apart from storage.

Pure functions of plain values: the row's state at the phone's base, its state now, the
patch, the per-field policy and the facts of the row (version, deleted, locked). `sync.apply`
reads those from the database, asks here, and writes what was decided. The statuses are the
protocol's (docs/sync-protocol.md): applied, merged, conflict, rejected, duplicate.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from sync.merge import flatten
from sync.rejection import Rejection, invalid, not_found, rejected

DELETED = "_deleted"
ALREADY_DELETED = "Already deleted."
NOT_DELETED = "Not deleted: changed since the phone's copy (a conflict)."
KEPT_AS_CONFLICTS = "Nothing changed: the phone's values were kept as conflicts."
ALREADY_HELD = "Nothing changed: the phone sent the values already held."
_MISSING = object()


@dataclass(frozen=True)
class FieldConflict:
    field: str
    server_value: Any
    client_value: Any


@dataclass(frozen=True)
class RowFacts:
    """What a decision needs to know of a stored row besides its values."""

    version: int
    deleted: bool = False
    locked: Rejection | None = None  # the spec's refusal of any change (an approved record)


@dataclass(frozen=True)
class Link:
    """A row another row links to: enough to place the child and judge the link."""

    id: Any
    village_id: int
    deleted: bool = False


@dataclass
class Decision:
    status: str  # applied | merged | conflict
    apply: dict[str, Any] = field(default_factory=dict)  # flat field -> the value to store
    conflicts: list[FieldConflict] = field(default_factory=list)
    delete: bool = False
    comment: str | None = None  # the audit note of a write that changes no value


def refuse_write(row: RowFacts, base_version: int) -> None:
    """Raise why an update or delete of `row` cannot land whatever its values, if it cannot.

    The lock comes before the base: an edit of an approved record can never land, so a phone
    must not rebase it (nor the edits queued behind it) only to hear this answer later.
    """
    if row.locked is not None:
        raise row.locked
    if base_version > row.version:
        raise Rejection(
            "stale_version",
            f"base_version {base_version} is newer than the server's {row.version}.",
            {"base_version": ["Newer than the server's version."]},
            {"server_version": row.version},
        )


def refuse_create(exists: bool) -> None:
    """A create names its id; one already taken (even by a deleted row) is refused."""
    if exists:
        raise Rejection("conflict", "This id is already taken.", {"id": ["Already exists."]})


def merge_fields(
    base: dict[str, Any] | None,
    current: dict[str, Any],
    patch: dict[str, Any],
    policy: Callable[[str], str] = lambda _field: "three_way",
    nested: Collection[str] = (),
) -> tuple[dict[str, Any], list[FieldConflict]]:
    """Each patched field (nested ones key by key): the value to store, or a conflict.

    A field nobody else changed since `base` takes the phone's value. One changed on both
    sides to different values follows its policy: `three_way` keeps the server's value and
    reports the phone's as a conflict, `server_wins` keeps the server's silently,
    `client_wins` takes the phone's. `base` None (unknown, or the row was deleted) counts
    every differing field as changed on both sides.
    """
    apply: dict[str, Any] = {}
    conflicts: list[FieldConflict] = []
    flat_base = flatten(base, nested) if base is not None else None
    flat_current = flatten(current, nested)
    for name, client in flatten(patch, nested).items():
        server = flat_current.get(name)
        if client == server:
            continue
        before = flat_base.get(name) if flat_base is not None else _MISSING
        if before is not _MISSING and server == before:
            apply[name] = client
            continue
        rule = policy(name)
        if rule == "client_wins":
            apply[name] = client
        elif rule == "three_way":
            conflicts.append(FieldConflict(name, server, client))
    return apply, conflicts


def decide_update(
    row: RowFacts,
    base_version: int,
    base: dict[str, Any] | None,
    current: dict[str, Any],
    patch: dict[str, Any],
    policy: Callable[[str], str] = lambda _field: "three_way",
    nested: Collection[str] = (),
) -> Decision:
    """An update that passed `refuse_write`: applied, merged past a newer version, or conflict.

    Every such update is accepted (and advances the version), even one that changes nothing.
    """
    apply, conflicts = merge_fields(None if row.deleted else base, current, patch, policy, nested)
    status = "conflict" if conflicts else "merged" if base_version < row.version else "applied"
    comment = None
    if not apply:
        comment = KEPT_AS_CONFLICTS if conflicts else ALREADY_HELD
    return Decision(status, apply, conflicts, comment=comment)


def decide_delete(
    row: RowFacts, base_version: int, base: dict[str, Any] | None, current: dict[str, Any]
) -> Decision:
    """A delete: fulfilled already, a conflict with a change since the base, or applied."""
    if row.deleted:
        return Decision("applied", comment=ALREADY_DELETED)
    refuse_write(row, base_version)
    if base is None or {**base, "deleted": False} != current:
        return Decision(
            "conflict", conflicts=[FieldConflict(DELETED, False, True)], comment=NOT_DELETED
        )
    return Decision("applied", delete=True)


def resolve_link(
    field_name: str,
    label: str,
    parent: Link | None,
    successor: Link | None,
    villages: Collection[int],
    elsewhere: Callable[[str], Rejection] | None = None,
) -> Link:
    """The row a create or update really links to, or why it cannot.

    Out of scope looks exactly like missing. A deleted parent that lives on as another row
    (a merge while the phone was offline) is replaced by that `successor` when it lies in the
    caller's villages; elsewhere the spec's `elsewhere` refusal says so.
    """
    if parent is not None and parent.village_id not in villages:
        parent = None
    if parent is not None and parent.deleted:
        if successor is None or successor.deleted:
            parent = None
        elif successor.village_id not in villages:
            if elsewhere is not None:
                raise elsewhere(field_name)
            parent = None
        else:
            parent = successor
    if parent is None:
        raise not_found(field_name, label)
    return parent


def decide_village(
    requested: int | None, linked: int | None, own_unit: int | None, villages: Collection[int]
) -> int:
    """The village a new row lives in: its parent's, the one named, or the creator's own."""
    if requested is not None and requested not in villages:
        raise not_found("village_id", "village")
    if linked is not None:
        if requested is not None and requested != linked:
            raise invalid({"village_id": ["Differs from the village of the linked record."]})
        return linked
    if requested is not None:
        return requested
    if own_unit in villages:
        return own_unit  # type: ignore[return-value]
    raise invalid({"village_id": ["Say which village this belongs to."]})


def replay(
    first: dict[str, Any], same_payload: bool, same_user: bool, mutation: dict[str, Any]
) -> dict[str, Any]:
    """The answer to a mutation id seen before: the first answer again, or a reuse refusal."""
    if not (same_payload and same_user):
        return rejected(
            mutation,
            "mutation_id_reused",
            "This mutation_id was already used for a different change; nothing was written.",
            {"mutation_id": ["Already used for a different change."]},
        )
    return {**first, "status": "duplicate", "first_status": first["status"]}
