"""The calendar day the users live in (China Standard Time), whatever the server's own zone.

"Not in the future" and ages must agree between the phone, the form rules and the sync engine;
between 16:00 and 24:00 UTC the server's UTC date is a day behind the villages.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

LOCAL_TZ = timezone(timedelta(hours=8), "CST")


def local_today(now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(LOCAL_TZ).date()
