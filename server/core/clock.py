"""The calendar day and the clock the users live in (China Standard Time by default).

"Not in the future", ages, "today" and month boundaries must agree between the phone, the form
rules and the sync engine; between 16:00 and 24:00 UTC the server's UTC date is a day behind
the villages. `TIME_ZONE` (an IANA name) sets the zone per deployment.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo(os.environ.get("TIME_ZONE") or "Asia/Shanghai")


def local_today(now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(LOCAL_TZ).date()


def local_time(moment: datetime) -> datetime:
    """An instant on the users' clock, for screens and exports (naive values are UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_TZ)
