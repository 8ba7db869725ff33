"""Dates are judged on the villages' calendar (UTC+8), not the server's."""

from datetime import UTC, date, datetime

from server.core.clock import local_today


def test_the_evening_in_utc_is_already_tomorrow_in_china():
    assert local_today(datetime(2026, 11, 23, 17, 0, tzinfo=UTC)) == date(2026, 11, 24)


def test_the_morning_in_utc_is_the_same_day_in_china():
    assert local_today(datetime(2026, 11, 23, 15, 59, tzinfo=UTC)) == date(2026, 11, 23)
