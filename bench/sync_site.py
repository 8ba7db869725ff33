"""The benchmark's site: a database of either kind, the app on a free port, seeded rows."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import requests
from flask import Flask
from sqlalchemy import func, insert, select, update
from werkzeug.serving import WSGIRequestHandler, make_server

from server.app import create_app
from server.config import normalise_database_url
from server.core.db import Base
from server.domain.accounts.model import User
from server.domain.accounts.passwords import hash_password
from server.domain.orgs.tree import add_unit
from server.domain.records.catalogue import load_definitions
from server.domain.records.model import ServiceRecord
from server.domain.registry.model import Resident
from server.extensions import db
from sync.changes import COUNTER_ID
from sync.models import Change, FeedCounter
from sync.pull import encode_cursor
from tests import pgdb

USERNAME = "bench_asst"


PASSWORD = "bench-pass-123"


VILLAGES = 4  # seeded rows are spread over these; the puller works in the first


RESIDENTS = 200


FORM = "hypertension_followup"


NEW_CHANGES = 100


class _QuietHandler(WSGIRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a phone's HTTP stack would use

    def log_request(self, *args: object, **kwargs: object) -> None:
        pass


@dataclass
class Site:
    """A running app over one database, with the bench assistant signed in."""

    app: Flask
    base_url: str
    http: requests.Session
    device_id: str
    village_id: int
    village_ids: list[int]
    user_id: int
    residents: list[str]


@contextmanager
def database(kind: str, pg_admin: str | None, tmp: Path) -> Iterator[str]:
    """A new empty database of `kind`, removed afterwards."""
    if kind == "sqlite":
        path = tmp / f"bench-{uuid.uuid4().hex[:8]}.sqlite3"
        yield f"sqlite:///{path}"
        path.unlink(missing_ok=True)
        return
    assert pg_admin is not None
    name = f"sync_bench_{uuid.uuid4().hex[:8]}"
    url = pgdb.create(pg_admin, name)
    try:
        yield url
    finally:
        pgdb.drop(pg_admin, name)


@contextmanager
def site(database_url: str) -> Iterator[Site]:
    """Schema, forms, four villages, 200 residents, one assistant; the server on a free port."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
            "SYNC_MAX_MUTATIONS": 1000,
            "SYNC_MAX_BYTES": 8 * 1024 * 1024,
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        Base.metadata.create_all(db.engine)
        load_definitions(db.session)
        county = add_unit(db.session, None, "county", "BC", "Bench county", 1)
        township = add_unit(db.session, county, "township", "BT", "Bench township", 1)
        villages = [
            add_unit(db.session, township, "village", f"BV{n}", f"Bench village {n}", 1)
            for n in range(VILLAGES)
        ]
        user = User(
            username=USERNAME,
            role="assistant",
            org_unit_id=villages[0].id,
            password_hash=hash_password(PASSWORD),
        )
        db.session.add(user)
        residents = [
            Resident(
                id=uuid.uuid4(),
                village_id=villages[0].id,
                name=f"居民{n}",
                sex="MF"[n % 2],
                birth_date=date(1950 + n % 40, 1 + n % 12, 1 + n % 28),
                tags=["hypertension"],
            )
            for n in range(RESIDENTS)
        ]
        db.session.add_all(residents)
        db.session.commit()
        village_id, user_id = villages[0].id, user.id
        village_ids = [v.id for v in villages]
        resident_ids = [str(r.id) for r in residents]
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    http = requests.Session()
    device_id = f"bench-{uuid.uuid4().hex[:8]}"
    base_url = f"http://127.0.0.1:{server.server_port}"
    answer = http.post(
        f"{base_url}/api/auth/login",
        json={
            "username": USERNAME,
            "password": PASSWORD,
            "device_id": device_id,
            "device_label": "bench",
        },
    )
    answer.raise_for_status()
    http.headers["Authorization"] = f"Bearer {answer.json()['access_token']}"
    try:
        yield Site(app, base_url, http, device_id, village_id, village_ids, user_id, resident_ids)
    finally:
        http.close()
        server.shutdown()
        thread.join()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


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


def push(s: Site, batch: list[dict[str, Any]]) -> float:
    """Send one batch; seconds taken. Fails loudly unless every record was applied."""
    body = json.dumps({"device_id": s.device_id, "mutations": batch})
    started = time.perf_counter()
    answer = s.http.post(
        f"{s.base_url}/api/sync/push", data=body, headers={"Content-Type": "application/json"}
    )
    seconds = time.perf_counter() - started
    answer.raise_for_status()
    statuses = {r["status"] for r in answer.json()["results"]}
    if statuses != {"applied"}:
        raise SystemExit(f"push answered {statuses}: {answer.json()['results'][:2]}")
    return seconds
