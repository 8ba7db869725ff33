"""Duplicate look-ups per user: each answer says which village holds a person, so an account
that asks too often is told to wait (429 `duplicate_lookups_limited`, with Retry-After).

The count lives in the rate limiter's storage (`RATELIMIT_STORAGE_URI`), shared by workers
when that is Redis. The limit is `DUPLICATE_LOOKUP_LIMIT` ("60 per hour" by default).
"""

from __future__ import annotations

import math
import time

from flask import current_app
from limits import parse

from server.core.problems import DUPLICATE_LOOKUPS_LIMITED, Problem
from server.extensions import limiter


def check_duplicate_lookups(user_id: int) -> None:
    """Count one look-up for `user_id`; refuse it when the limit is already used up."""
    text = current_app.config["DUPLICATE_LOOKUP_LIMIT"]
    item = parse(text)
    strategy = limiter.limiter
    if strategy.hit(item, "duplicate_lookup", str(user_id)):
        return
    reset_at, _ = strategy.get_window_stats(item, "duplicate_lookup", str(user_id))
    wait = max(1, math.ceil(reset_at - time.time()))
    raise Problem(
        DUPLICATE_LOOKUPS_LIMITED,
        headers={"Retry-After": str(wait)},
        limit=text,
        retry_after=wait,
    )
