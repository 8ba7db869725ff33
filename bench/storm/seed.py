"""The storm's county: one township per 50 villages, one assistant per village, a few people each.

Written in bulk (Core executemany, a block of feed sequences per table) because a province of
20,000 villages through the ORM would take longer than the storm. Each village gets
`households` households and `residents` residents (tagged hypertension, so follow-ups are
eligible) with their feed entries: the day's changes a phone pulls in the evening. Every
assistant has the same password (hashed once) and, for `--sign-in refresh`, a session made
through the domain's own `register_device` / `start_session`, whose refresh token the phone
presents as an installed phone does.
"""

from __future__ import annotations

import json
import random
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import insert, select, text, update

from server.core.org import OrgUnit
from server.domain.accounts.model import User
from server.domain.accounts.passwords import hash_password
from server.domain.registry.model import Household, Resident
from server.extensions import db
from sync.changes import COUNTER_ID, lock_feed
from sync.models import Change, FeedCounter

PASSWORD = "storm-pass-2026"
PER_TOWNSHIP = 50
CHUNK = 5000


def _units(session, phones: int) -> list[int]:
    """County, townships, villages with ids taken in order; returns the village ids."""
    now = datetime.now(UTC)
    start = (session.scalar(select(OrgUnit.id).order_by(OrgUnit.id.desc()).limit(1)) or 0) + 1
    rows: list[dict[str, Any]] = []
    county = start
    rows.append(_unit(county, None, "county", "SC", "Storm county", f"/{county}/", now))
    next_id, villages = county + 1, []
    for t in range((phones + PER_TOWNSHIP - 1) // PER_TOWNSHIP):
        township = next_id
        next_id += 1
        path = f"/{county}/{township}/"
        rows.append(_unit(township, county, "township", f"ST{t}", f"Township {t}", path, now))
        for v in range(min(PER_TOWNSHIP, phones - t * PER_TOWNSHIP)):
            n = t * PER_TOWNSHIP + v
            vpath = f"{path}{next_id}/"
            rows.append(_unit(next_id, township, "village", f"SV{n}", f"Village {n}", vpath, now))
            villages.append(next_id)
            next_id += 1
    _bulk(session, OrgUnit.__table__, rows)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT setval('org_unit_id_seq', (SELECT max(id) FROM org_unit))"))
    return villages


def _unit(i, parent, level, code, name, path, now) -> dict[str, Any]:
    return {"id": i, "parent_id": parent, "level": level, "code": code, "name": name,
            "population": 800, "path": path, "created_at": now, "updated_at": now}  # fmt: skip


def _bulk(session, table, rows: list[dict[str, Any]]) -> None:
    for i in range(0, len(rows), CHUNK):
        session.execute(insert(table), rows[i : i + CHUNK])


def _people(villages: list[int], households: int, residents: int, rng: random.Random):
    now = datetime.now(UTC)
    homes, people = [], []
    for village in villages:
        ids = [uuid.uuid4() for _ in range(households)]
        homes += [{"id": h, "village_id": village, "address": f"{village}号村 {k + 1}组",
                   "head_name": "", "low_income": False, "version": 1, "deleted": False,
                   "created_at": now, "updated_at": now} for k, h in enumerate(ids)]  # fmt: skip
        for k in range(residents):
            born = date(1940, 1, 1) + timedelta(days=rng.randrange(25_000))
            people.append({
                "id": uuid.uuid4(), "household_id": ids[k % households] if ids else None,
                "village_id": village, "name": f"居民{k}", "name_pinyin": f"jumin{k}",
                "name_initials": "jm", "sex": "MF"[k % 2], "birth_date": born,
                "tags": ["hypertension"], "version": 1, "deleted": False,
                "created_at": now, "updated_at": now,
            })  # fmt: skip
    return homes, people


def _feed(session, entity: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    lock_feed(session)
    last = session.execute(
        update(FeedCounter)
        .where(FeedCounter.id == COUNTER_ID)
        .values(value=FeedCounter.value + len(rows))
        .returning(FeedCounter.value)
    ).scalar_one()
    first = last - len(rows) + 1
    now = datetime.now(UTC)
    changes = [{"seq": first + i, "entity": entity, "entity_id": str(r["id"]),
                "village_id": r["village_id"], "version": 1, "op": "upsert",
                "changed_at": now} for i, r in enumerate(rows)]  # fmt: skip
    _bulk(session, Change.__table__, changes)


def seed(app: Flask, phones: int, households: int, residents: int, sessions: bool) -> list[dict]:
    """Build the county; the accounts the phones use (username, device, refresh token)."""
    from server.api.auth.routes import _mint
    from server.domain.accounts.auth import register_device, start_session

    rng = random.Random(14)
    accounts = []
    with app.app_context():
        session = db.session
        villages = _units(session, phones)
        hashed = hash_password(PASSWORD)
        now = datetime.now(UTC)
        users = [{"username": f"storm{n}", "full_name": f"助理员{n}", "role": "assistant",
                  "org_unit_id": v, "password_hash": hashed, "created_at": now,
                  "updated_at": now} for n, v in enumerate(villages)]  # fmt: skip
        _bulk(session, User.__table__, users)
        homes, people = _people(villages, households, residents, rng)
        _bulk(session, Household.__table__, homes)
        _bulk(session, Resident.__table__, people)
        _feed(session, "household", homes)
        _feed(session, "resident", people)
        session.commit()
        lifetime = app.config["JWT_REFRESH_TOKEN_EXPIRES"]
        for n in range(phones):
            device = f"storm-phone-{n:06d}"
            account = {"username": f"storm{n}", "device_id": device, "refresh_token": None}
            if sessions:
                with app.test_request_context():
                    user = session.scalars(select(User).where(User.username == f"storm{n}")).one()
                    dev = register_device(session, user, device, "storm phone")
                    account["refresh_token"] = start_session(
                        session, user, dev, lifetime, _mint
                    ).refresh_token
                if n % 500 == 499:
                    session.commit()
            accounts.append(account)
        session.commit()
        session.remove()
    return accounts


def write_accounts(path: Path, accounts: list[dict]) -> None:
    path.write_text(json.dumps({"password": PASSWORD, "accounts": accounts}))
