"""What one pushed batch carries through the engine: who, from where, and what it read ahead."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from server.core.scope import Actor
from sync.spec import Registry


@dataclass
class PushContext:
    session: Session
    registry: Registry
    user: Actor
    device_id: int | None
    villages: set[int]
    today: date
    # Rows loaded ahead for the whole batch; held here so the session's (weak) identity map
    # keeps them and `session.get` answers without a query.
    preloaded: list[Any] = field(default_factory=list)
    # Whatever a spec's hooks keep for the length of the batch (a form look-up cache).
    memo: dict[str, Any] = field(default_factory=dict)

    def batch_value(self, key: str, make: Callable[[], Any]) -> Any:
        """`make()` once per batch, kept under `key`."""
        if key not in self.memo:
            self.memo[key] = make()
        return self.memo[key]
