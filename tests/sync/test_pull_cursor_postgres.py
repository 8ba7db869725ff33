"""PostgreSQL: a sequence taken by a slower transaction never hides behind a cursor."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from server.extensions import db
from server.models import OrgUnit, User
from sync.changes import server_write
from sync.pull import pull
from tests.factories import make_household

pytestmark = pytest.mark.postgres


def someone_waits_on_a_lock() -> bool:
    with db.engine.connect() as conn:
        waiting = conn.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        )
    return bool(waiting)


def write_household(session: Session, village_id: int) -> str:
    household = make_household(session, session.get_one(OrgUnit, village_id))
    server_write(session, household, actor_id=None, action="create")
    return str(household.id)


def test_a_change_committed_late_with_a_lower_sequence_is_still_pulled(app, world):
    village_id = world.units["V1a"].id
    engine = db.engine
    slow = Session(engine)
    slow_id = write_household(slow, village_id)  # holds its sequence, not yet committed
    fast_ids: list[str] = []

    def fast_writer() -> None:
        with Session(engine) as session:
            fast_ids.append(write_household(session, village_id))
            session.commit()

    fast = threading.Thread(target=fast_writer)
    fast.start()
    while fast.is_alive() and not someone_waits_on_a_lock():
        time.sleep(0.01)  # until the fast writer has committed or is waiting for the slow one

    with Session(db.engine) as reader:
        first = pull(reader, reader.get_one(User, world.users["asst1"].id))
    slow.commit()
    slow.close()
    fast.join()
    with Session(db.engine) as reader:
        rest = pull(reader, reader.get_one(User, world.users["asst1"].id), first["cursor"])

    pulled = [c["id"] for c in first["changes"] + rest["changes"]]
    assert sorted(pulled) == sorted([slow_id, *fast_ids])
    assert pulled == [slow_id, *fast_ids]  # sequence order is commit order
