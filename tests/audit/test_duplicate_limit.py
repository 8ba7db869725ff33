"""Duplicate look-ups name a person's village, so each account may only make so many."""

from __future__ import annotations

import pytest

from tests.audit.conftest import OTHER_NUMBER


@pytest.fixture
def three_a_minute(app, monkeypatch):
    monkeypatch.setitem(app.config, "DUPLICATE_LOOKUP_LIMIT", "3 per minute")


def _look_up(client, headers):
    return client.post(
        "/api/residents/duplicates", json={"id_number": OTHER_NUMBER}, headers=headers
    )


def test_look_ups_past_the_limit_answer_429_with_retry_after(client, auth, people, three_a_minute):
    headers = auth.headers("asst1")
    answers = [_look_up(client, headers) for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert refused.get_json()["code"] == "duplicate_lookups_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60


def test_the_limit_is_per_account(client, auth, people, three_a_minute):
    first, second = auth.headers("asst1"), auth.headers("asst2")
    for _ in range(3):
        _look_up(client, first)

    assert _look_up(client, first).status_code == 429
    assert _look_up(client, second).status_code == 200


def test_the_default_limit_is_a_setting(app):
    assert app.config["DUPLICATE_LOOKUP_LIMIT"] == "60 per hour"
