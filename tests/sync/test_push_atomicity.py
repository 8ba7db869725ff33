"""A crash in the middle of a batch leaves every mutation whole: applied entirely or not at all."""

from __future__ import annotations

from sqlalchemy import func, select

from server.core import audit
from server.core.audit import AuditEntry
from server.domain.registry.model import Household
from server.extensions import db
from sync.models import AppliedMutation, Change, EntityVersion
from tests.sync.conftest import new_household

TABLES = (Household, AppliedMutation, Change, EntityVersion, AuditEntry)


def counts() -> dict[str, int]:
    """Rows the push wrote, per table (the phone's sign-in, audited as auth.*, is not the push)."""
    db.session.expire_all()

    def count(model: type) -> int:
        query = select(func.count()).select_from(model)
        if model is AuditEntry:
            query = query.where(AuditEntry.action.not_like("auth.%"))
        return db.session.scalar(query)

    return {m.__tablename__: count(m) for m in TABLES}


def crash_on_audit_number(monkeypatch, n: int) -> None:
    """The n-th audit write of the request dies after its row, feed and ledger were written."""
    real = audit.audit_row  # every audit write, bulk or one at a time, builds its row here
    calls = {"n": 0}

    def audit_row(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == n:
            raise RuntimeError("power cut")
        return real(*args, **kwargs)

    monkeypatch.setattr(audit, "audit_row", audit_row)


def test_a_crash_mid_batch_writes_nothing_of_any_mutation(phone, monkeypatch):
    asst1 = phone("asst1")
    batch = [new_household(), new_household(), new_household()]
    crash_on_audit_number(monkeypatch, 2)

    response = asst1.push_response(*batch)
    db.session.rollback()  # the request's transaction ends with it, as on a real server

    assert response.status_code == 500
    assert set(counts().values()) == {0}


def test_the_retry_after_a_crash_applies_each_mutation_once(phone, monkeypatch):
    asst1 = phone("asst1")
    batch = [new_household(), new_household(), new_household()]
    crash_on_audit_number(monkeypatch, 2)
    assert asst1.push_response(*batch).status_code == 500
    db.session.rollback()
    monkeypatch.undo()

    results = asst1.push(*batch)

    assert [r["status"] for r in results] == ["applied"] * 3
    assert counts() == {
        "household": 3,
        "sync_mutation": 3,
        "sync_change": 3,
        "sync_entity_version": 3,
        "audit_entry": 3,
    }
