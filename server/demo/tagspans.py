"""The demo's tag spans: most reported conditions already confirmed by the centre, the rest
waiting on each township supervisor's "confirm with the centre" list."""

from __future__ import annotations

import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.core.db import utcnow
from server.domain.accounts.model import User
from server.domain.registry.model import CONFIRMABLE_TAGS, ResidentTag

CONFIRMED_SHARE = 0.7


def confirm_most(session: Session, seed: int, supervisor_of: dict[int, User]) -> int:
    """Confirm about 70% of the demo's confirmable spans, by the village's supervisor; how many."""
    rng = random.Random(seed)  # its own stream: the people and records stay as they were
    session.flush()  # the register spans of the people just added
    spans = session.scalars(
        select(ResidentTag)
        .where(ResidentTag.tag.in_(CONFIRMABLE_TAGS), ResidentTag.source == "reported")
        .order_by(ResidentTag.resident_id, ResidentTag.tag)
    ).all()
    now, confirmed = utcnow(), 0
    for span in spans:
        if rng.random() < CONFIRMED_SHARE:
            span.source, span.confirmed_at = "confirmed", now
            span.confirmed_by_id = supervisor_of[span.village_id].id
            confirmed += 1
    return confirmed
