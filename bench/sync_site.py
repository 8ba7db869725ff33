"""The benchmark's site: a database of either kind, the app on a free port, seeded rows."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import requests
from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

from server.app import create_app
from server.config import normalise_database_url
from server.core.db import Base
from server.domain.accounts.model import User
from server.domain.accounts.passwords import hash_password
from server.domain.orgs.tree import add_unit
from server.domain.records.catalogue import load_definitions
from server.domain.registry.model import Resident
from server.extensions import db
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
