"""Spans the server writes (the register's list, staff decisions) enter the pull feed.

Phones receive spans as the read-only synced entity `resident_tag`; server/synced.py hands its
spec here (`use_spec`) once it is registered. Writers note each span they open or change
(`note_written`); at commit, the new ones are published as `publish_created` does for an
import and the changed ones through `server_write`, so every write of a synced row has its feed
entry, version snapshot and audit row, however many flushes it took. Without a spec nothing is
published (the spans are still stored and read by the server).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from server.domain.registry.model import ResidentTag
from sync.changes import publish_created, server_write

_KEY = "tag_spans_written"
_SPEC: list[Any] = [None]


def use_spec(spec: Any) -> None:
    """The `resident_tag` entity spans are published as (None: not synced)."""
    _SPEC[0] = spec


def note_written(session: Session, span: ResidentTag, created: bool) -> None:
    """Remember a span written in this transaction (a new one stays new until published)."""
    written = session.info.setdefault(_KEY, {})
    before = written.get(id(span))
    written[id(span)] = (span, created or (before is not None and before[1]))


@event.listens_for(Session, "before_commit")
def _publish(session: Session) -> None:
    written = session.info.pop(_KEY, None)
    spec = _SPEC[0]
    if not written or spec is None:
        return
    session.flush()
    live = [(span, new) for span, new in written.values() if inspect(span).persistent]
    publish_created(
        session,
        [(spec, span, span.confirmed_by_id or span.ended_by_id) for span, new in live if new],
        comment="tag span",
    )
    for span, new in live:
        if not new:
            actor = span.ended_by_id or span.confirmed_by_id
            server_write(session, spec, span, actor_id=actor, action="update")
    session.flush()


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_KEY, None)
