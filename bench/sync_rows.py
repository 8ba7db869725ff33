"""The benchmark's rows: pushed mutations, bulk-seeded records and feed entries."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update

from bench.sync_site import FORM, NEW_CHANGES, Site, push
from server.domain.records.model import ServiceRecord
from server.extensions import db
from sync.changes import COUNTER_ID
from sync.models import Change, FeedCounter
from sync.pull import encode_cursor


def form_data(n: int) -> dict[str, Any]:
    """A valid hypertension follow-up, varied a little so rows are not all identical."""
    return {
        "visit_method": ("home", "phone")[n % 2],
        "bp_source": "measured",
        "blood_pressure": {"systolic": 120 + n % 40, "diastolic": 70 + n % 20},
        "heart_rate": 60 + n % 30,
        "medication": "regular",
        "complaints": ["none"],
        "notes": f"bench visit {n}",
    }


def visit_day(n: int) -> date:
    return date(2024, 1, 1) + timedelta(days=n % 365)


def mutations(s: Site, start: int, count: int) -> list[dict[str, Any]]:
    now = datetime.now(UTC).isoformat()
    return [
        {
            "mutation_id": str(uuid.uuid4()),
            "entity": "service_record",
            "op": "create",
            "id": str(uuid.uuid4()),
            "base_version": None,
            "data": {
                "resident_id": s.residents[n % len(s.residents)],
                "form_code": FORM,
                "form_version": 1,
                "visit_date": visit_day(n).isoformat(),
                "data": form_data(n),
            },
            "client_time": now,
        }
        for n in range(start, start + count)
    ]


def record_rows(
    village_ids: list[int], residents: list[str] | None, author_id: int, start: int, count: int
) -> list[dict[str, Any]]:
    """service_record rows as a raw insert or seed writes them (version 1, pending review)."""
    now = datetime.now(UTC)
    return [
        {
            "id": uuid.uuid4(),
            "resident_id": uuid.UUID(residents[n % len(residents)]) if residents else None,
            "village_id": village_ids[n % len(village_ids)],
            "form_code": FORM,
            "form_version": 1,
            "data": form_data(n),
            "visit_date": visit_day(n),
            "author_id": author_id,
            "review_status": "pending",
            "version": 1,
            "deleted": False,
            "created_at": now,
            "updated_at": now,
        }
        for n in range(start, start + count)
    ]


def seed(s: Site, upto: int) -> None:
    """Bulk-insert service records (and their feed rows) until the table holds `upto`."""
    with s.app.app_context():
        have = db.session.scalar(select(func.count()).select_from(ServiceRecord)) or 0
        villages = s.village_ids
        postgres = db.engine.dialect.name == "postgresql"
        chunk = 50_000 if postgres else 20_000
        while have < upto:
            count = min(chunk, upto - have)
            rows = record_rows(villages, None, s.user_id, have, count)
            with db.engine.begin() as conn:
                last = conn.execute(
                    update(FeedCounter)
                    .where(FeedCounter.id == COUNTER_ID)
                    .values(value=FeedCounter.value + count)
                    .returning(FeedCounter.value)
                ).scalar_one()
                changes = [
                    {
                        "seq": last - count + 1 + i,
                        "entity": "service_record",
                        "entity_id": str(row["id"]),
                        "village_id": row["village_id"],
                        "version": 1,
                        "op": "upsert",
                        "changed_at": row["created_at"],
                    }
                    for i, row in enumerate(rows)
                ]
                if postgres:
                    _copy(conn, ServiceRecord.__table__.name, rows)
                    _copy(conn, Change.__table__.name, changes)
                else:
                    conn.execute(insert(ServiceRecord.__table__), rows)
                    conn.execute(insert(Change.__table__), changes)
            have += count
        if postgres:
            with db.engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE")
                conn.commit()


def _copy(conn: Any, table: str, rows: list[dict[str, Any]]) -> None:
    """COPY rows into a PostgreSQL table (JSON columns sent as text)."""
    columns = list(rows[0])
    raw = conn.connection.driver_connection
    names = ", ".join(columns)
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(
                [json.dumps(v) if isinstance(v, dict | list) else v for v in row.values()]
            )


def new_changes(s: Site) -> str:
    """Push 100 new records; the cursor just before them."""
    with s.app.app_context():
        after = db.session.scalar(select(func.max(Change.seq))) or 0
        db.session.rollback()
    push(s, mutations(s, 10**7 + after, NEW_CHANGES))
    return encode_cursor(after, s.village_id)
