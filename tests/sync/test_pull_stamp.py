"""How often a pull writes the device's "last synced" time (a read must stay a read)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sync.pull import sync_stamp_due

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("last", "due"),
    [
        (None, True),
        (NOW - timedelta(seconds=30), False),
        (NOW - timedelta(seconds=59), False),
        (NOW - timedelta(minutes=1), True),
        (NOW - timedelta(days=3), True),
        ((NOW - timedelta(seconds=10)).replace(tzinfo=None), False),
        (NOW + timedelta(hours=1), True),
    ],
)
def test_a_pull_stamps_last_synced_at_most_once_a_minute(last, due: bool) -> None:
    assert sync_stamp_due(last, NOW) is due
