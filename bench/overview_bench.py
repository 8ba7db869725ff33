"""The supervisor's screens on a township of 300,000 service records: overview, queue, counts.

Seeds one township (30 villages, 30 assistants, 60,000 residents, N records over twelve months,
a third of them pending) in bulk, then times what a supervisor's screen asks of the database,
through the Flask test client with a real signed-in supervisor (HTTP parsing and JSON included):

- `GET /api/overview?month=…`   the overview (counts per form and village, per assistant,
  the review backlog, silent assistants);
- `GET /api/review/records?status=pending`   the queue's first page (marks included);
- `GET /api/review/records/<id>/neighbours?status=pending`   previous / next of a record;
- `GET /api/review/counts`   the menu's counts (pending, conflicts, duplicates);
- `GET /api/residents?tag=hypertension`   the register filtered by a tag (its SQL is the
  denominators' too);
- `GET /api/tags/to-confirm`   the "confirm with the centre" list.

One resident in six is told to have hypertension and one in ten diabetes, stored both as the
tag list and as the spans migration 0011 makes of it (an older server reads only the list).

Each is run `--repeat` times after one warm-up; prints the median and the slowest wall-clock
ms and the median CPU ms of the bench process (the load-independent figure on SQLite).

```sh
.venv/bin/python -m bench.overview_bench                     # SQLite, 300,000 records
.venv/bin/python -m bench.overview_bench --records 50000     # quicker
.venv/bin/python -m bench.overview_bench --database-url postgresql://postgres@127.0.0.1/bench_ov
```
A PostgreSQL database must exist and be empty; the bench creates the tables and drops them.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from server import create_app
from server.config import normalise_database_url
from server.core.db import Base
from server.core.plain_insert import insert_rows
from server.domain.accounts.model import User
from server.domain.accounts.passwords import hash_password
from server.domain.orgs.tree import add_unit
from server.domain.records.catalogue import load_definitions
from server.domain.records.model import ServiceRecord
from server.domain.registry.model import Resident, ResidentTag
from server.extensions import db

PASSWORD = "bench-pass-1"
VILLAGES = 30
RESIDENTS = 60_000
MONTH = date(2026, 6, 1)


def _told(n: int) -> list[str]:
    return [tag for tag, every in (("hypertension", 6), ("diabetes", 10)) if n % every == 0]


def seed(records: int) -> None:
    """The township, its people and `records` service records, inserted in bulk."""
    county = add_unit(db.session, None, "county", "BC", "基准县", 300000)
    town = add_unit(db.session, county, "township", "BT", "基准镇", 30000)
    villages = [
        add_unit(db.session, town, "village", f"BV{i}", f"村{i}", 1000) for i in range(VILLAGES)
    ]
    hashed = hash_password(PASSWORD)
    db.session.add(
        User(username="bench_sup", role="supervisor", org_unit=town, password_hash=hashed)
    )
    authors = [
        User(username=f"bench_a{i}", role="assistant", org_unit=v, password_hash=hashed)
        for i, v in enumerate(villages)
    ]
    db.session.add_all(authors)
    db.session.flush()
    load_definitions(db.session)
    now = datetime.now(UTC)
    residents = [
        {
            "id": uuid.uuid4(),
            "village_id": villages[n % VILLAGES].id,
            "name": f"居民{n}",
            "name_pinyin": f"jumin{n}",
            "name_initials": "jm",
            "sex": "FM"[n % 2],
            "birth_date": date(1940, 1, 1) + timedelta(days=n % 20000),
            "tags": _told(n),
            "version": 1,
            "deleted": False,
            "created_at": now,
            "updated_at": now,
        }
        for n in range(RESIDENTS)
    ]
    for i in range(0, len(residents), 5000):
        insert_rows(db.session, Resident.__table__, residents[i : i + 5000])
    spans = [
        {
            "id": uuid.uuid4(),
            "resident_id": r["id"],
            "village_id": r["village_id"],
            "tag": tag,
            "source": "reported",
            "origin": "legacy",
            "start_on": None,
            "end_on": None,
            "version": 1,
            "deleted": False,
            "created_at": now,
            "updated_at": now,
        }
        for r in residents
        for tag in r["tags"]
    ]
    for i in range(0, len(spans), 5000):
        insert_rows(db.session, ResidentTag.__table__, spans[i : i + 5000])
    statuses = ("pending", "approved", "approved")
    batch = []
    for n in range(records):
        resident = residents[n % RESIDENTS]
        village = resident["village_id"]
        batch.append(
            {
                "id": uuid.uuid4(),
                "resident_id": resident["id"],
                "village_id": village,
                "form_code": "hypertension_followup",
                "form_version": 1,
                "data": {
                    "visit_method": "home",
                    "bp_source": "measured",
                    "medication": "regular",
                    "complaints": ["none"],
                    "blood_pressure": {"systolic": 120 + n % 70, "diastolic": 70 + n % 45},
                },
                "visit_date": date(2025, 7, 1) + timedelta(days=n % 365),
                "author_id": authors[(village - villages[0].id) % VILLAGES].id,
                "review_status": statuses[n % 3],
                "version": 1,
                "deleted": False,
                "created_at": now - timedelta(seconds=records - n),
                "updated_at": now,
            }
        )
        if len(batch) == 5000:
            db.session.execute(insert(ServiceRecord), batch)
            batch = []
    if batch:
        db.session.execute(insert(ServiceRecord), batch)
    db.session.commit()


def timed(client, headers, url: str, repeat: int) -> tuple[float, float, float]:
    """Median and slowest wall-clock ms, and the median CPU ms of this process (SQLite runs
    in-process, so on a shared machine the CPU time is the figure that does not depend on load)."""
    client.get(url, headers=headers)  # warm-up
    times, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url, headers=headers)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, response.get_json()
    return statistics.median(times), max(times), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{Path(tmp.name) / 'bench.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": normalise_database_url(url), "TESTING": True})
    with app.app_context():
        Base.metadata.create_all(db.engine)
        start = time.perf_counter()
        seed(args.records)
        took = time.perf_counter() - start
        print(f"seeded {args.records:,} records in {took:.1f} s ({url.split(':')[0]})")
        client = app.test_client()
        token = client.post(
            "/api/auth/login",
            json={"username": "bench_sup", "password": PASSWORD, "device_id": "bench-desk-1"},
        ).get_json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        first = client.get("/api/review/records?status=pending&per_page=1", headers=headers)
        record_id = first.get_json()["items"][0]["id"]
        rows = [
            ("overview (month)", f"/api/overview?month={MONTH:%Y-%m}"),
            ("queue, first page of 待审核", "/api/review/records?status=pending&per_page=20"),
            (
                "record neighbours in 待审核",
                f"/api/review/records/{record_id}/neighbours?status=pending",
            ),
            ("menu counts", "/api/review/counts"),
            ("residents with a tag, first page", "/api/residents?tag=hypertension&per_page=20"),
            ("confirm with the centre, first page", "/api/tags/to-confirm?per_page=20"),
        ]
        print("| request | median ms | slowest ms | median CPU ms |\n| --- | --- | --- | --- |")
        for name, path in rows:
            if client.get(path, headers=headers).status_code == 404:
                print(f"| {name} | — | — | — |")  # an older server without the endpoint
                continue
            median, slowest, cpu = timed(client, headers, path, args.repeat)
            print(f"| {name} | {median:.0f} | {slowest:.0f} | {cpu:.0f} |")
        if args.database_url:
            db.session.remove()
            Base.metadata.drop_all(db.engine)
        db.engine.dispose()
    tmp.cleanup()


if __name__ == "__main__":
    main()
