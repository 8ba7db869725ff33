"""What the engine needs to know about one synced entity, declared once by its domain package.

The engine names no entity: push, pull, the feed and the bulk writer read everything about a
row (its model, what a phone may write, what it links to, how it looks on the wire, which
domain rules refuse it) from an `EntitySpec` in the `Registry` they are handed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from sync.context import PushContext
    from sync.rejection import Rejection

Errors = dict[str, Any]
Parser = Callable[[Any, date], Any]
POLICIES = ("three_way", "server_wins", "client_wins")


def _no_check(ctx: PushContext, state: dict[str, Any]) -> Errors:
    return {}


def _as_is(state: dict[str, Any]) -> dict[str, Any]:
    return state


def server_made(values: dict[str, Any], ctx: PushContext) -> dict[str, Any]:
    """The `build` of a read-only entity: never called, as every push of one is refused first."""
    raise TypeError("a read-only entity is written on the server, never built from a push")


@dataclass(frozen=True)
class EntitySpec:
    """One synced entity.

    `fields` maps each field a phone may write to its parser (wire value and today's date ->
    model value, `FieldError` when unusable). `parent` is the link field and the spec of the
    row it links to: a row lives in the village of its parent. `pushable` False refuses every
    push (`read_only`); a tuple lets only those fields be pushed. `nested` fields (JSON
    objects) are patched and merged key by key, as `<field>.<key>`. `merge` names a policy
    per field (`three_way` unless named). Hooks:

    - `build(values, ctx)`: the entity's own columns of a new row (the engine adds id,
      village, version and `deleted`);
    - `shape(row, viewer)`: the row's `data` in the feed (masking lives here);
    - `check(ctx, state)`: errors of the row as it would be stored (JSON values);
    - `check_change(ctx, before, state)`: errors of facts checked only when they are set:
      `before` is None for a create, else the stored row's state (so a rule added later
      never makes an untouched stored row unchangeable); merged into `check`'s errors;
    - `audit(state)`: a snapshot as the audit trail keeps it;
    - `locked(row)`: a refusal for any update or delete of the row as it stands, or None;
    - `unmask(ctx, row, values)`: the parsed values of an update with what the spec's `shape`
      hid from this user put back (a masked list written back must not drop what it hid);
    - `guard(ctx, row, state)`: raise a `Rejection` for an update of the stored `row` (its
      values before the change) to `state`, when the change itself is refused;
    - `touched(row, actor_id)`: what an accepted change of a row also changes;
    - `successor(session, row)`: the live row a deleted one lives on as (a merge), or None;
      `elsewhere(field)` the refusal when that row lies outside the caller's villages;
    - `after_write(ctx, spec, row_id, op, state)`: after every push write, on the bulk and
      the single-row path alike;
    - `refers_to(ctx, data)`: ids of other rows a pushed create names besides its parent (a
      form field naming a row), so a batch writes its pending creates before `check` looks
      them up.
    """

    name: str
    model: type
    fields: Mapping[str, Parser]
    build: Callable[[dict[str, Any], PushContext], dict[str, Any]]
    shape: Callable[[Any, Any], dict[str, Any]]
    required: tuple[str, ...] = ()
    parent: tuple[str, EntitySpec] | None = None
    # Other fields naming rows the checks look up (not the parent): a create of such a row
    # earlier in the same batch is written first, so the check finds it.
    links: tuple[str, ...] = ()
    pushable: bool | tuple[str, ...] = True
    nested: frozenset[str] = frozenset()
    merge: Mapping[str, str] = field(default_factory=dict)
    server_only: tuple[str, ...] = ()
    check: Callable[[PushContext, dict[str, Any]], Errors] = _no_check
    check_change: Callable[[PushContext, dict[str, Any] | None, dict[str, Any]], Errors] | None = (
        None
    )
    audit: Callable[[dict[str, Any]], dict[str, Any]] = _as_is
    locked: Callable[[Any], Rejection | None] | None = None
    guard: Callable[[PushContext, Any, dict[str, Any]], None] | None = None
    unmask: Callable[[PushContext, Any, dict[str, Any]], dict[str, Any]] | None = None
    touched: Callable[[Any, int], None] | None = None
    successor: Callable[[Session, Any], Any] | None = None
    elsewhere: Callable[[str], Rejection] | None = None
    after_write: Callable[..., None] | None = None
    refers_to: Callable[[PushContext, Any], set[Any]] | None = None
    # Worked out from the above in __post_init__.
    writable: tuple[str, ...] = field(init=False)
    snapshot_fields: tuple[str, ...] = field(init=False)  # what version snapshots keep
    pushed: tuple[str, ...] = field(init=False)  # what a push may carry

    def __post_init__(self) -> None:
        unknown = set(self.merge.values()) - set(POLICIES)
        if unknown:
            raise ValueError(f"{self.name}: unknown merge policies {sorted(unknown)}")
        # Read for every mutation of a batch: worked out once.
        writable = tuple(self.fields)
        if isinstance(self.pushable, bool):
            pushable = writable if self.pushable else ()
        else:
            pushable = tuple(self.pushable)
        object.__setattr__(self, "writable", writable)
        object.__setattr__(self, "snapshot_fields", writable + tuple(self.server_only))
        object.__setattr__(self, "pushed", pushable)

    @property
    def label(self) -> str:
        return self.name.replace("_", " ")

    def pushable_fields(self) -> tuple[str, ...]:
        """The fields a push may carry: all writable ones, none, or the named few."""
        return self.pushed

    def policy(self, flat_field: str) -> str:
        """The merge policy of a field, or of the nested field a `<field>.<key>` lies in."""
        if flat_field in self.merge:
            return self.merge[flat_field]
        head = flat_field.split(".", 1)[0]
        return self.merge.get(head, "three_way")


class Registry(Mapping[str, EntitySpec]):
    """The synced entities by name, parents before children (the order rows are inserted in)."""

    def __init__(self, specs: Iterable[EntitySpec]) -> None:
        self._specs: dict[str, EntitySpec] = {}
        for spec in specs:
            if spec.name in self._specs:
                raise ValueError(f"{spec.name} is registered twice")
            if spec.parent is not None and spec.parent[1].name not in self._specs:
                raise ValueError(f"{spec.name} is registered before its parent")
            self._specs[spec.name] = spec
        self._by_model = {spec.model: spec for spec in self._specs.values()}

    def __getitem__(self, name: str) -> EntitySpec:
        return self._specs[name]

    def __contains__(self, name: object) -> bool:
        return name in self._specs

    def get(self, name: str, default: Any = None) -> Any:
        return self._specs.get(name, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)

    def of(self, obj: Any) -> EntitySpec:
        """The spec of a model instance."""
        return self._by_model[type(obj)]
