"""The filtered audit trail as a spreadsheet: one row per entry, times in China Standard Time.

Rows come from the same query as `GET /api/audit` (scope first, then the filters), streamed
with `yield_per`; ID numbers are already masked in every stored row, and every cell goes
through `safe_cell` so a stored value cannot run as a spreadsheet formula.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.orm import Session

from server.core.clock import local_time
from server.core.jsoncodec import dumps
from server.domain.accounts.model import User
from server.domain.audit.labels import action_label, entity_label
from server.domain.audit.trail import AuditFilters, audit_query, shown_states
from server.domain.review.exports import BATCH, safe_cell

HEADERS = [
    "时间(北京时间)",
    "操作人",
    "账号",
    "操作",
    "操作代码",
    "对象类型",
    "对象编号",
    "设备",
    "说明",
    "修改前",
    "修改后",
]


def audit_rows(session: Session, user: User, filters: AuditFilters) -> Iterator[list[str]]:
    """The header row, then one row per visible entry, newest first."""
    yield HEADERS
    names: dict[int, User | None] = {}
    stmt = audit_query(user, filters).execution_options(yield_per=BATCH)
    for entry in session.scalars(stmt):
        actor = None
        if entry.actor_id is not None:
            if entry.actor_id not in names:
                names[entry.actor_id] = session.get(User, entry.actor_id)
            actor = names[entry.actor_id]
        before, after = shown_states(user, entry)
        row = [
            local_time(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
            (actor.full_name or actor.username) if actor else "",
            actor.username if actor else "",
            action_label(entry.action),
            entry.action,
            entity_label(entry.entity),
            entry.entity_id,
            str(entry.device_id or ""),
            entry.comment or "",
            dumps(before) if before is not None else "",
            dumps(after) if after is not None else "",
        ]
        yield [safe_cell(text) for text in row]
