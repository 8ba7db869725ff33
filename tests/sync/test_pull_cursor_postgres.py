"""PostgreSQL: a sequence taken by a slower transaction never hides behind a cursor."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from server.core.org import OrgUnit
from server.domain.accounts.model import User
from server.extensions import db
from server.synced import REGISTRY
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
    server_write(session, REGISTRY.of(household), household, actor_id=None, action="create")
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
        first = pull(reader, REGISTRY, reader.get_one(User, world.users["asst1"].id))
    slow.commit()
    slow.close()
    fast.join()
    with Session(db.engine) as reader:
        rest = pull(
            reader, REGISTRY, reader.get_one(User, world.users["asst1"].id), first["cursor"]
        )

    pulled = [c["id"] for c in first["changes"] + rest["changes"]]
    assert sorted(pulled) == sorted([slow_id, *fast_ids])
    assert pulled == [slow_id, *fast_ids]  # sequence order is commit order


def test_a_reader_pulling_while_writers_commit_out_of_order_misses_nothing(app, world):
    """Four writers commit overlapping transactions (sequences taken early, commits late) while a
    reader follows the cursor in small pages; afterwards it holds every committed row, once."""
    village_id = world.units["V1a"].id
    user_id = world.users["asst1"].id
    engine = db.engine  # threads have no app context
    failures: list[BaseException] = []
    committed: list[str] = []
    lock = threading.Lock()
    writers_done = threading.Event()
    seen: list[str] = []

    def recorded(work):
        def run(*args) -> None:
            try:
                work(*args)
            except BaseException as error:  # reported by the assertions below
                failures.append(error)
                writers_done.set()

        return run

    @recorded
    def writer(seed: int) -> None:
        for n in range(20):
            with Session(engine) as session:
                ids = [write_household(session, village_id) for _ in range(1 + (seed + n) % 3)]
                time.sleep(0.002 * ((seed * 7 + n) % 5))  # hold the sequences a while
                session.commit()
            with lock:
                committed.extend(ids)

    @recorded
    def reader() -> None:
        cursor = None
        while True:
            finished = writers_done.is_set()
            with Session(engine) as session:
                page = pull(session, REGISTRY, session.get_one(User, user_id), cursor, limit=7)
            seen.extend(c["id"] for c in page["changes"])
            cursor = page["cursor"]
            if finished and not page["has_more"]:
                return

    threads = [threading.Thread(target=writer, args=(seed,)) for seed in range(4)]
    follower = threading.Thread(target=reader)
    follower.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    writers_done.set()
    follower.join(timeout=60)

    assert failures == []
    assert not follower.is_alive()
    assert len(committed) > 100
    assert sorted(seen) == sorted(committed)
