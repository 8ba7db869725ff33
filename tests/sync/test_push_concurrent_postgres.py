"""PostgreSQL: the same mutations pushed by several requests at once are applied once."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.core.audit import AuditEntry
from server.domain.registry.model import Household
from server.extensions import db
from sync.models import AppliedMutation
from tests.sync.conftest import new_household

pytestmark = pytest.mark.postgres

THREADS = 4


def test_one_batch_pushed_from_several_threads_at_once_is_applied_once(app, phone):
    asst1 = phone("asst1")
    batch = [new_household() for _ in range(5)]
    body = {"device_id": asst1.device_id, "mutations": batch}
    start = threading.Barrier(THREADS)
    answers: list[tuple[int, dict]] = []

    def send() -> None:
        client = app.test_client()
        start.wait()
        response = client.post("/api/sync/push", json=body, headers=asst1.headers)
        answers.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=send) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [status for status, _ in answers] == [200] * THREADS
    for position, mutation in enumerate(batch):
        statuses = Counter(body["results"][position]["status"] for _, body in answers)
        assert statuses == {"applied": 1, "duplicate": THREADS - 1}, mutation["mutation_id"]
    with Session(db.engine) as session:
        for model in (Household, AppliedMutation, AuditEntry):
            query = select(func.count()).select_from(model)
            if model is AuditEntry:  # the push's rows, not the phone's sign-in (auth.*)
                query = query.where(AuditEntry.action.not_like("auth.%"))
            assert session.scalar(query) == len(batch)
