"""The PWA benchmark's fixtures: a seeded live server, a Chromium profile, page probes."""

from __future__ import annotations

import logging
import random
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from faker import Faker
from sqlalchemy import func, select
from werkzeug.serving import make_server

from server.app import create_app
from server.core.db import Base
from server.demo.answers import sample_data
from server.demo.build import _publish
from server.demo.people import build_people
from server.domain.records.catalogue import current_definitions, eligible, load_definitions
from server.domain.records.model import ServiceRecord
from server.domain.registry.model import Household, Resident
from server.extensions import db
from tests.factories import make_world

CHROMIUM = "/usr/bin/chromium"
RECENT_DAYS = 85


SAVE_PROBE = """
(() => {
  document.addEventListener('click', (e) => {
    if (e.target.closest && e.target.closest('#confirm-save')) window.__tapAt = performance.now();
  }, true);
  const add = IDBObjectStore.prototype.add;
  IDBObjectStore.prototype.add = function (...args) {
    if (this.name === 'outbox') {
      const done = () => { window.__savedAt = performance.now(); };
      this.transaction.addEventListener('complete', done);
    }
    return add.apply(this, args);
  };
})();
"""


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


VIEWPORT = {"width": 360, "height": 640}


USERNAME = "asst1"


VILLAGE = "V1a"


HOME_READY = """() => {
  const tabs = document.querySelector('#tabs');
  return document.querySelector('#stat-waiting') && tabs && !tabs.hidden ? performance.now() : 0;
}"""


SYNCED = """async () => {
  const db = await import('/js/db.js');
  return Boolean(await db.getMeta('last_sync'));
}"""


LOCAL_COUNTS = """async () => {
  const db = await import('/js/db.js');
  const out = {};
  const stores = ['households', 'residents', 'records', 'forms', 'outbox'];
  for (const s of stores) out[s] = await db.count(s);
  return out;
}"""


SEED_OUTBOX = """async ({ residents, n, chunk, day }) => {
  const outbox = await import('/js/outbox.js');
  const ids = [];
  for (let start = 0; start < n; start += chunk) {
    const items = [];
    for (let i = start; i < Math.min(n, start + chunk); i += 1) {
      const resident = residents[i % residents.length];
      const full = { resident_id: resident, form_code: 'health_record', form_version: 1,
        visit_date: day,
        data: { action: 'register', residence_type: 'registered', consent_given: true } };
      const id = crypto.randomUUID();
      ids.push(id);
      items.push({ entity: 'service_record', op: 'create', data: full,
        row: { ...full, id, review_status: 'pending', author_id: null,
               created_at: new Date().toISOString(), resident_name: null } });
    }
    await outbox.queueAll(items);
  }
  return ids;
}"""


@dataclass
class Live:
    url: str
    app: Any
    village_id: int
    resident_ids: list[str]


def _seed_village(session, village, assistant, residents: int, records: int) -> list[str]:
    """`residents` people in households and about `records` valid service records, all published."""
    today = date.today()
    rng = random.Random(2026)
    fake = Faker("zh_CN")
    fake.seed_instance(2026)
    people = build_people(session, rng, fake, [village], [assistant], residents, today)
    forms = [d for d in current_definitions(session) if d.get("subject", "resident") == "resident"]
    per_person = [
        [d for d in forms if eligible(d, p.birth_date, today, p.sex, p.tags)] or forms
        for p in people
    ]
    made: list[ServiceRecord] = []
    for i in range(records):
        person = people[i % len(people)]
        definition = rng.choice(per_person[i % len(people)])
        # Within the phone's retention (90 days), so the first sync keeps every record, and
        # written on the day of the visit, as a phone's records are: not all "today's work".
        visit = today - timedelta(days=rng.randint(1, RECENT_DAYS))
        written = datetime.combine(visit, datetime.min.time(), UTC) + timedelta(hours=2)
        made.append(
            ServiceRecord(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                resident_id=person.id,
                village_id=village.id,
                form_code=definition["code"],
                form_version=definition["version"],
                data=sample_data(rng, definition, visit, people[:50]),
                visit_date=visit,
                author_id=assistant.id,
                review_status=rng.choices(["pending", "approved"], [30, 70])[0],
                created_at=written,
                updated_at=written,
            )
        )
    session.add_all(made)
    session.flush()
    _publish(session, people, made)
    return [str(p.id) for p in people]


@contextmanager
def live_server(workdir: Path, residents: int, records: int) -> Iterator[Live]:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'bench.sqlite3'}",
            "LOGIN_FAILURE_LIMIT": "1000 per minute",
            "RATELIMIT_ENABLED": False,
        }
    )
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    started = time.perf_counter()
    with app.app_context():
        Base.metadata.create_all(db.engine)
        world = make_world(db.session)
        load_definitions(db.session)
        village = world.units[VILLAGE]
        ids = _seed_village(db.session, village, world.users[USERNAME], residents, records)
        db.session.commit()
        village_id = village.id
        db.session.remove()
    print(f"seeded {residents:,} residents, {records:,} records in "
          f"{time.perf_counter() - started:.1f} s", flush=True)  # fmt: skip
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Live(f"http://127.0.0.1:{server.server_port}", app, village_id, ids)
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


def server_counts(live: Live) -> dict[str, int]:
    with live.app.app_context():
        s = db.session
        out = {
            name: s.scalar(select(func.count()).select_from(model).where(model.village_id == vid))
            for name, model, vid in (
                ("households", Household, live.village_id),
                ("residents", Resident, live.village_id),
                ("records", ServiceRecord, live.village_id),
            )
        }
        db.session.remove()
        return out


def server_record_ids(live: Live, ids: list[str]) -> int:
    """How many of `ids` the server holds (each exactly once: the id is the primary key)."""
    with live.app.app_context():
        wanted = [uuid.UUID(i) for i in ids]
        found = 0
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            found += db.session.scalar(
                select(func.count()).select_from(ServiceRecord).where(ServiceRecord.id.in_(chunk))
            )
        db.session.remove()
        return found


def until(page, predicate: str, *, timeout: float = 60.0, every: float = 0.05) -> Any:
    """Polls an async page predicate (Playwright's wait_for_function takes a Promise as truthy)."""
    deadline = time.perf_counter() + timeout
    while True:
        value = page.evaluate(predicate)
        if value:
            return value
        if time.perf_counter() > deadline:
            raise TimeoutError(f"still false after {timeout} s: {predicate[:80]}")
        time.sleep(every)


def _launch(pw, profile: Path, *, offline: bool = False):
    ctx = pw.chromium.launch_persistent_context(
        str(profile),
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        headless=True,
        viewport=VIEWPORT,
        locale="zh-CN",
        service_workers="allow",
        offline=offline,
    )
    ctx.add_init_script(SAVE_PROBE)
    return ctx
