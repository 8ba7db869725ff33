"""Sign-in throttling: a growing wait per (username, address), never a lockout of the account.

Counting failures per username alone let anyone lock a supervisor out from anywhere (five wrong
passwords a minute, and her right one got 429). Here the wrong passwords for one username from
one address make *that pair* wait, longer after each failure: the real user at her own address
is not slowed by an attacker elsewhere, and a guesser at one address gets a handful of tries an
hour. A generous limit on failures per address, across usernames, stops one address from
spraying passwords over many accounts. docs/security.md, "Sign-in throttling".

The counters live in the rate limiter's storage (`memory://` in one process, `redis://` shared
by every worker), through the calls the `limits` storages have in common.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from limits import RateLimitItem, parse
from limits.strategies import FixedWindowRateLimiter

from server.core.problems import RATE_LIMITED, SIGN_IN_DELAYED, Problem

MAX_KEY_USERNAME = 64


class CounterStorage(Protocol):
    """What a `limits` storage offers (MemoryStorage, RedisStorage, ...)."""

    def incr(self, key: str, expiry: int, amount: int = 1) -> int: ...

    def get(self, key: str) -> int: ...

    def get_expiry(self, key: str) -> float: ...

    def clear(self, key: str) -> None: ...


@dataclass(frozen=True)
class ThrottlePolicy:
    """`free_failures` wrong passwords cost nothing; the next make the pair wait `first_delay`
    seconds, doubling with each failure up to `max_delay`. Failures are forgotten `memory`
    seconds after the first of them, or at once on a successful sign-in."""

    free_failures: int = 5
    first_delay: int = 30
    max_delay: int = 900
    memory: int = 24 * 3600
    # Failed sign-ins per address, whatever the usernames ("" for none): a `limits` string.
    address_limit: str = "50 per 10 minutes"


def delay_after(failures: int, policy: ThrottlePolicy) -> int:
    """Seconds the pair must wait after its `failures`-th failure in a row (0: may try again)."""
    if failures < policy.free_failures or policy.first_delay <= 0:
        return 0
    doublings = min(failures - policy.free_failures, 32)
    return min(policy.max_delay, policy.first_delay * 2**doublings)


def pair_key(username: str, address: str) -> str:
    """The storage key of one (username, address): usernames compared as sign-in compares them,
    but case-folded, so `Sup1` and `sup1` share their count."""
    name = username.strip().casefold()[:MAX_KEY_USERNAME]
    return f"signin/{address}/{name}"


class SignInThrottle:
    """The waits of every (username, address) pair, kept in a shared counter storage."""

    def __init__(
        self,
        storage: CounterStorage,
        policy: ThrottlePolicy,
        clock: Callable[[], float] = time.time,
        prefix: str = "",
    ) -> None:
        self.storage = storage
        self.policy = policy
        self.clock = clock
        # Installations (or test runs) sharing one Redis keep their counts apart.
        self.prefix = prefix
        self.address_limit: RateLimitItem | None = (
            parse(policy.address_limit) if policy.address_limit else None
        )
        self._windows = FixedWindowRateLimiter(storage)  # type: ignore[arg-type]

    @property
    def _address_key(self) -> str:
        return f"{self.prefix}signin-address"

    def _pair(self, username: str, address: str) -> str:
        return self.prefix + pair_key(username, address)

    def address_wait(self, address: str) -> int:
        """Whole seconds before this address may try any password again (0: it may now)."""
        limit = self.address_limit
        if limit is None or self._windows.test(limit, self._address_key, address):
            return 0
        reset = self._windows.get_window_stats(limit, self._address_key, address).reset_time
        return max(1, math.ceil(reset - self.clock()))

    def wait(self, username: str, address: str) -> int:
        """Whole seconds before this pair may try a password again; 0 when it may now."""
        key = self._pair(username, address) + "/wait"
        if self.storage.get(key) <= 0:
            return 0
        return max(1, math.ceil(self.storage.get_expiry(key) - self.clock()))

    def refusal(self, username: str, address: str) -> Problem | None:
        """The 429 this attempt gets before any password is checked, or None to go ahead."""
        wait = self.address_wait(address)
        if wait:
            headers = {"Retry-After": str(wait)}
            return Problem(RATE_LIMITED, headers=headers, limit=str(self.address_limit))
        wait = self.wait(username, address)
        if wait:
            return Problem(SIGN_IN_DELAYED, headers={"Retry-After": str(wait)}, retry_after=wait)
        return None

    def failed(self, username: str, address: str) -> int:
        """Count a wrong password for the pair; answers the wait it must now observe."""
        key = self._pair(username, address)
        if self.address_limit is not None:
            self._windows.hit(self.address_limit, self._address_key, address)
        failures = self.storage.incr(key + "/failures", self.policy.memory)
        delay = delay_after(failures, self.policy)
        if delay > 0:
            # A fresh key, so its expiry is this delay (storages set it on the first increment).
            self.storage.clear(key + "/wait")
            self.storage.incr(key + "/wait", delay)
        return delay

    def succeeded(self, username: str, address: str) -> None:
        """The right password: the pair's failures are forgotten."""
        key = self._pair(username, address)
        self.storage.clear(key + "/failures")
        self.storage.clear(key + "/wait")
