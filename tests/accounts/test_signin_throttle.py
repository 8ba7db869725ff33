"""Sign-in throttling: a doubling wait per (username, address), a generous limit per address.

The account is never locked: wrong passwords from one address slow only that address down for
that username, so nobody elsewhere can lock a supervisor out, and one address still cannot
guess more than a handful of passwords an hour.
"""

from __future__ import annotations

import itertools
import uuid

import pytest
from limits.storage import MemoryStorage, storage_from_string

from server.domain.accounts.throttle import (
    SignInThrottle,
    ThrottlePolicy,
    delay_after,
    pair_key,
)

POLICY = ThrottlePolicy(free_failures=5, first_delay=30, max_delay=900, memory=86400)
ATTACKER, OFFICE = "203.0.113.66", "198.51.100.7"
WRONG = "not-her-password"


@pytest.mark.parametrize(
    ("failures", "wait"),
    [
        (0, 0),
        (1, 0),
        (4, 0),
        (5, 30),
        (6, 60),
        (7, 120),
        (8, 240),
        (9, 480),
        (10, 900),
        (11, 900),
        (500, 900),
    ],
)
def test_the_wait_doubles_after_the_free_failures_up_to_the_cap(failures, wait):
    assert delay_after(failures, POLICY) == wait


@pytest.mark.parametrize(
    ("policy", "failures", "wait"),
    [
        (ThrottlePolicy(free_failures=1, first_delay=2, max_delay=10), 1, 2),
        (ThrottlePolicy(free_failures=1, first_delay=2, max_delay=10), 3, 8),
        (ThrottlePolicy(free_failures=1, first_delay=2, max_delay=10), 4, 10),
        (ThrottlePolicy(free_failures=3, first_delay=0, max_delay=10), 9, 0),
    ],
)
def test_the_wait_follows_the_settings(policy, failures, wait):
    assert delay_after(failures, policy) == wait


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (("sup1", "10.0.0.1"), ("sup1", "10.0.0.1"), True),
        (("Sup1 ", "10.0.0.1"), ("sup1", "10.0.0.1"), True),
        (("sup1", "10.0.0.1"), ("sup1", "10.0.0.2"), False),
        (("sup1", "10.0.0.1"), ("sup2", "10.0.0.1"), False),
    ],
)
def test_pairs_are_counted_by_username_and_address(a, b, same):
    assert (pair_key(*a) == pair_key(*b)) is same


def fail(throttle: SignInThrottle, times: int, username: str, address: str) -> list[int]:
    return [throttle.failed(username, address) for _ in range(times)]


def test_a_pair_waits_after_its_free_failures():
    throttle = SignInThrottle(MemoryStorage(), POLICY)
    assert fail(throttle, 4, "sup1", ATTACKER) == [0, 0, 0, 0]
    assert throttle.wait("sup1", ATTACKER) == 0
    assert fail(throttle, 1, "sup1", ATTACKER) == [30]
    assert 29 <= throttle.wait("sup1", ATTACKER) <= 30


def test_another_address_of_the_same_username_does_not_wait():
    throttle = SignInThrottle(MemoryStorage(), POLICY)
    fail(throttle, 9, "sup1", ATTACKER)
    assert throttle.wait("sup1", ATTACKER) > 0
    assert throttle.wait("sup1", OFFICE) == 0


def test_a_success_forgets_the_failures():
    throttle = SignInThrottle(MemoryStorage(), POLICY)
    fail(throttle, 6, "sup1", OFFICE)
    throttle.succeeded("sup1", OFFICE)
    assert throttle.wait("sup1", OFFICE) == 0
    assert fail(throttle, 1, "sup1", OFFICE) == [0]


def test_an_address_meets_its_limit_across_usernames():
    policy = ThrottlePolicy(address_limit="3 per 10 minutes")
    throttle = SignInThrottle(MemoryStorage(), policy)
    for name in ("asst1", "asst2", "asst3"):
        assert throttle.address_wait(ATTACKER) == 0
        throttle.failed(name, ATTACKER)
    assert 590 <= throttle.address_wait(ATTACKER) <= 600
    assert throttle.address_wait(OFFICE) == 0


@pytest.mark.parametrize(
    ("pair_failures", "address_failures", "code"),
    [
        (0, 0, None),
        (4, 0, None),
        (5, 0, "sign_in_delayed"),
        (0, 3, "rate_limited"),
        (5, 3, "rate_limited"),
    ],
)
def test_the_refusal_before_a_password_is_checked(pair_failures, address_failures, code):
    throttle = SignInThrottle(MemoryStorage(), ThrottlePolicy(address_limit="8 per hour"))
    fail(throttle, pair_failures, "sup1", ATTACKER)
    for n in range(address_failures):
        fail(throttle, 1, f"asst{n}", ATTACKER)
    # The address limit counts every failure from the address, the pair's among them.
    if address_failures:
        fail(throttle, 8 - pair_failures - address_failures, "someone", ATTACKER)
    refusal = throttle.refusal("sup1", ATTACKER)
    assert (refusal.code if refusal else None) == code
    if refusal:
        assert refusal.status == 429
        assert int(refusal.headers["Retry-After"]) > 0


def test_no_address_limit_when_the_setting_is_empty():
    throttle = SignInThrottle(MemoryStorage(), ThrottlePolicy(address_limit=""))
    fail(throttle, 100, "asst1", ATTACKER)
    assert throttle.address_wait(ATTACKER) == 0


def test_the_wait_is_measured_on_the_clock():
    now = itertools.count(1000.0, 0.0)
    storage = MemoryStorage()
    throttle = SignInThrottle(storage, POLICY, clock=lambda: next(now))
    fail(throttle, 5, "sup1", ATTACKER)
    expiry = storage.get_expiry(pair_key("sup1", ATTACKER) + "/wait")
    assert throttle.wait("sup1", ATTACKER) == max(1, int(-(-(expiry - 1000.0) // 1)))


@pytest.fixture
def redis_storage():
    storage = storage_from_string("redis://127.0.0.1:6379/15")
    try:
        storage.check() or pytest.skip("no Redis at 127.0.0.1:6379")
    except Exception:
        pytest.skip("no Redis at 127.0.0.1:6379")
    return storage


def test_two_workers_on_shared_redis_count_the_same_failures(redis_storage):
    """With RATELIMIT_STORAGE_URI=redis://, every worker sees one count per pair."""
    address = f"192.0.2.{uuid.uuid4().int % 250}"
    name = f"sup-{uuid.uuid4().hex[:8]}"
    first = SignInThrottle(redis_storage, POLICY)
    second = SignInThrottle(storage_from_string("redis://127.0.0.1:6379/15"), POLICY)
    try:
        assert fail(first, 3, name, address) + fail(second, 2, name, address) == [0, 0, 0, 0, 30]
        assert 29 <= first.wait(name, address) <= 30
        assert 29 <= second.wait(name, address) <= 30
        second.succeeded(name, address)
        assert first.wait(name, address) == 0
    finally:
        first.succeeded(name, address)


def test_installations_sharing_one_storage_keep_their_counts_apart():
    storage = MemoryStorage()
    county_a = SignInThrottle(storage, POLICY, prefix="county-a/")
    county_b = SignInThrottle(storage, POLICY, prefix="county-b/")
    fail(county_a, 6, "sup1", ATTACKER)
    assert county_a.wait("sup1", ATTACKER) > 0
    assert county_b.wait("sup1", ATTACKER) == 0


# -- On the wire ---------------------------------------------------------------------------------


def test_an_attacker_elsewhere_cannot_lock_a_supervisor_out(sign_in, world):
    answers = [sign_in("sup1", WRONG, ATTACKER).status_code for _ in range(12)]
    assert answers[:5] == [401] * 5
    assert set(answers[5:]) == {429}
    assert sign_in("sup1", address=OFFICE).status_code == 200


def test_people_behind_one_address_do_not_share_a_wait(sign_in, world):
    for _ in range(6):
        sign_in("asst1", WRONG, OFFICE)
    assert sign_in("asst1", address=OFFICE).status_code == 429
    for name in ("asst2", "asst3", "sup1"):
        assert sign_in(name, address=OFFICE).status_code == 200


def test_a_delayed_answer_is_a_coded_problem_with_retry_after(sign_in, world):
    for _ in range(5):
        sign_in("sup1", WRONG, ATTACKER)
    response = sign_in("sup1", WRONG, ATTACKER)
    assert response.status_code == 429
    body = response.get_json()
    assert body["code"] == "sign_in_delayed"
    assert body["errors"] == {}
    assert 29 <= int(response.headers["Retry-After"]) <= 30
    assert str(response.headers["Retry-After"]) in body["message"]


def test_while_it_waits_even_the_right_password_is_not_tried(sign_in, world):
    for _ in range(5):
        sign_in("sup1", WRONG, ATTACKER)
    assert sign_in("sup1", address=ATTACKER).get_json()["code"] == "sign_in_delayed"


def test_the_wait_grows_with_each_failure_after_the_last_wait(sign_in, world):
    waits = []
    for _ in range(5):
        sign_in("sup1", WRONG, ATTACKER)
    for _ in range(4):
        waits.append(int(sign_in("sup1", WRONG, ATTACKER).headers["Retry-After"]))
        sign_in.wait_out("sup1", ATTACKER)
        assert sign_in("sup1", WRONG, ATTACKER).status_code == 401
    assert [round(w, -1) for w in waits] == [30, 60, 120, 240]


def test_tries_during_a_wait_do_not_lengthen_it(sign_in, world):
    for _ in range(5):
        sign_in("sup1", WRONG, ATTACKER)
    for _ in range(10):
        sign_in("sup1", WRONG, ATTACKER)
    sign_in.wait_out("sup1", ATTACKER)
    sign_in("sup1", WRONG, ATTACKER)
    assert 59 <= int(sign_in("sup1", WRONG, ATTACKER).headers["Retry-After"]) <= 60


def test_after_the_wait_the_right_password_signs_in_and_the_count_starts_over(sign_in, world):
    for _ in range(6):
        sign_in("sup1", WRONG, OFFICE)
    sign_in.wait_out("sup1", OFFICE)
    assert sign_in("sup1", address=OFFICE).status_code == 200
    for _ in range(4):
        assert sign_in("sup1", WRONG, OFFICE).status_code == 401
    assert sign_in("sup1", address=OFFICE).status_code == 200


def test_the_wait_passes_by_itself(app, sign_in, world, monkeypatch):
    import time

    monkeypatch.setitem(app.config, "LOGIN_FREE_FAILURES", 1)
    monkeypatch.setitem(app.config, "LOGIN_FIRST_DELAY_SECONDS", 1)
    sign_in("sup1", WRONG, ATTACKER)
    assert sign_in("sup1", address=ATTACKER).status_code == 429
    time.sleep(1.2)
    assert sign_in("sup1", address=ATTACKER).status_code == 200


def test_many_usernames_from_one_address_meet_the_address_limit(app, sign_in, world, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_FAILURE_LIMIT", "4 per 10 minutes")
    for name in ("asst1", "asst2", "asst3", "sup1"):
        assert sign_in(name, WRONG, ATTACKER).status_code == 401
    refused = sign_in("sup2", WRONG, ATTACKER)
    assert refused.status_code == 429
    assert refused.get_json()["code"] == "rate_limited"
    assert int(refused.headers["Retry-After"]) > 0
    assert sign_in("sup2", address=OFFICE).status_code == 200


def test_a_successful_sign_in_carries_no_retry_after(sign_in, world):
    sign_in("sup1", WRONG, OFFICE)
    assert "Retry-After" not in sign_in("sup1", address=OFFICE).headers


def test_the_default_address_limit_is_generous(app):
    from limits import parse

    limit = parse(app.config["LOGIN_FAILURE_LIMIT"])
    per_ten_minutes = limit.amount * 600 / limit.get_expiry()
    assert per_ten_minutes >= 30
