"""Field app (PWA) budgets of issue 5, measured in headless Debian Chromium on this machine.

One run, in this order, against a live server thread on 127.0.0.1 with its own SQLite file (a
temporary directory), seeded with the test world plus one village (V1a, assistant `asst1`) of
2,000 residents and 20,000 service records whose change-feed rows are inserted in bulk:

1. shell size: the files the service worker precaches that are HTML, CSS, JS or the manifest
   (plus `sw.js` itself), bytes as served uncompressed; icons are listed but not counted;
2. first full sync: sign in online in a fresh profile; from the tap on "sign in" until the first
   sync round has stored every household, resident and record in IndexedDB (`last_sync` set);
3. offline cold start: offline, reload; time from navigation start to the home screen being
   interactive (rendered with its numbers, tabs shown); median of `--runs`. Also a browser
   restart offline (new process, same profile): to the unlock screen, and unlock to home;
4. saving a form: offline, a health record through the summary screen; time from the tap on
   Save to the commit of the IndexedDB transaction that put it in the outbox; median of `--saves`;
5. an outbox of 5,000: service records queued through the app's own `outbox.js` (in chunks),
   time to render the Records screen with them, then online: time until the outbox is empty,
   and the server is checked to hold exactly those records.

    .venv/bin/python -m bench.pwa_bench                 # about 2-3 minutes
    .venv/bin/python -m bench.pwa_bench --runs 9 --saves 30

Prints a table of budget vs measured; writes nothing into the repository.
"""

from __future__ import annotations

import argparse
import logging
import random
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from faker import Faker
from sqlalchemy import func, select
from werkzeug.serving import make_server

from server.app import create_app
from server.core.db import Base
from server.demo.build import _publish
from server.demo.people import build_people
from server.demo.records import eligible, sample_data
from server.domain.records.catalogue import current_definitions, load_definitions
from server.domain.records.model import ServiceRecord
from server.domain.registry.model import Household, Resident
from server.extensions import db
from server.web import PWA_DIR, shell_of
from tests.factories import PASSWORD, make_world

CHROMIUM = "/usr/bin/chromium"
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
SHELL_KINDS = (".html", ".css", ".js", ".webmanifest")
KB = 1024

# Tap on Save -> commit of the transaction that added to the outbox, in page time.
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
class Row:
    metric: str
    budget: str
    measured: str
    ok: bool | None = None


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, metric: str, budget: str, measured: str, ok: bool | None = None) -> None:
        self.rows.append(Row(metric, budget, measured, ok))
        print(f"  {metric}: {measured}", flush=True)

    def print(self) -> None:
        widths = [max(len(r.metric) for r in self.rows), 10]
        widths.append(max(len(r.measured) for r in self.rows))
        join = " | ".join
        head = ("metric", "budget", "measured")
        print()
        print(" | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + " | ok")
        print("-+-".join("-" * w for w in widths) + "-+---")
        for r in self.rows:
            verdict = "" if r.ok is None else ("yes" if r.ok else "NO")
            cells = (r.metric, r.budget, r.measured)
            print(join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + f" | {verdict}")
        for note in self.notes:
            print(note)


# --- shell -----------------------------------------------------------------------------------


def shell_size(report: Report) -> None:
    """Bytes of the precached shell files that are HTML, CSS, JS or the manifest, plus sw.js."""
    shell = shell_of(PWA_DIR)
    counted: list[tuple[str, int]] = [("/sw.js", (PWA_DIR / "sw.js").stat().st_size)]
    other: list[tuple[str, int]] = []
    for url in shell.files:
        size = (PWA_DIR / url.lstrip("/")).stat().st_size
        (counted if url.endswith(SHELL_KINDS) else other).append((url, size))
    total = sum(size for _, size in counted)
    print(f"shell files counted ({len(counted)}):")
    for url, size in sorted(counted):
        print(f"  {size:>7,}  {url}")
    print(f"  {total:>7,}  total; not counted: " + ", ".join(f"{u} {s:,}" for u, s in other))
    report.add(
        "shell size (HTML+CSS+JS+manifest)",
        "<= 150 KB",
        f"{total / KB:.1f} KB ({total:,} B, {len(counted)} files)",
        total <= 150 * KB,
    )


# --- server ----------------------------------------------------------------------------------


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
    per_person = [[d for d in forms if eligible(d, p, today)] or forms for p in people]
    made: list[ServiceRecord] = []
    for i in range(records):
        person = people[i % len(people)]
        definition = rng.choice(per_person[i % len(people)])
        visit = today - timedelta(days=rng.randint(1, 700))
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


# --- browser ---------------------------------------------------------------------------------


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


def _median_ms(values: list[float]) -> str:
    return f"{statistics.median(values):.0f} ms (min {min(values):.0f}, max {max(values):.0f})"


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


def first_sync(page, live: Live, report: Report, budget_s: float) -> None:
    page.goto(live.url + "/")
    page.fill("input[name=username]", USERNAME)
    page.fill("input[name=password]", PASSWORD)
    started = time.perf_counter()
    page.click("form button[type=submit]")
    until(page, SYNCED, timeout=300)
    took = time.perf_counter() - started
    local = page.evaluate(LOCAL_COUNTS)
    remote = server_counts(live)
    complete = all(local[k] == remote[k] for k in remote)
    report.add(
        f"first full sync ({remote['residents']:,} residents, {remote['records']:,} records)",
        f"< {budget_s:.0f} s",
        f"{took:.2f} s",
        took < budget_s and complete,
    )
    report.notes.append(
        f"first sync stored locally {local} vs server {remote}: "
        + ("complete" if complete else "INCOMPLETE")
    )
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60_000)


def cold_starts(ctx, page, report: Report, runs: int) -> None:
    ctx.set_offline(True)
    times = []
    for _ in range(runs + 1):  # the first reload only warms the worker up; not counted
        page.reload(wait_until="commit")
        times.append(page.wait_for_function(HOME_READY, polling="raf", timeout=30_000).json_value())
    times = times[1:]
    report.add(
        f"offline cold start (reload) to interactive home, median of {runs}",
        "< 1 s",
        _median_ms(times),
        statistics.median(times) < 1000,
    )


def restart_offline(pw, profile: Path, live: Live, report: Report):
    """A new browser process on the same profile, offline: unlock screen, then home."""
    ctx = _launch(pw, profile, offline=True)
    page = ctx.pages[0] if ctx.pages else ctx.new_page()
    page.goto(live.url + "/", wait_until="commit")
    page.wait_for_selector("input[name=password]")
    to_unlock = page.evaluate("() => performance.now()")
    page.fill("input[name=password]", PASSWORD)
    t0 = page.evaluate("() => performance.now()")
    page.click("form button[type=submit]")
    home = page.wait_for_function(HOME_READY, polling="raf", timeout=30_000).json_value()
    report.add("restart offline: to the unlock screen", "-", f"{to_unlock:.0f} ms")
    report.add("restart offline: unlock (PBKDF2) to interactive home", "-", f"{home - t0:.0f} ms")
    return ctx, page


def saves(page, live: Live, report: Report, n: int) -> None:
    resident = live.resident_ids[0]
    times = []
    for _ in range(n):
        page.evaluate("r => { location.hash = r; }", f"/form/health_record?resident={resident}")
        page.wait_for_selector("#service-form")
        page.check("#service-form input[name=action][value=register]")
        page.check("#service-form input[name=residence_type][value=registered]")
        page.check("#service-form input[name=consent_given][value=yes]")
        page.click("#service-form button[type=submit]")
        page.wait_for_selector("#confirm-save")
        page.evaluate("() => { window.__savedAt = 0; window.__tapAt = 0; }")
        page.click("#confirm-save")
        took = page.wait_for_function(
            "() => window.__savedAt > window.__tapAt && window.__tapAt > 0"
            " ? window.__savedAt - window.__tapAt : 0",
            polling="raf",
        ).json_value()
        times.append(took)
        page.wait_for_selector("#timeline")
    report.add(
        f"save a form: tap Save to outbox commit, median of {n}",
        "< 50 ms",
        _median_ms(times),
        statistics.median(times) < 50,
    )


def _timed_route(page, route: str, selector: str, count: int) -> float:
    """Milliseconds from setting the route until `selector` shows data-count == count."""
    page.evaluate("r => { window.__t0 = performance.now(); location.hash = r; }", route)
    try:
        return _wait_count(page, selector, count)
    except Exception:
        where = "s => [location.hash, document.querySelector(s)?.dataset.count]"
        shown = page.evaluate(where, selector)
        states = page.evaluate(
            "async () => (await (await import('/js/outbox.js')).all())"
            ".map((m) => `${m.state} ${m.code} ${JSON.stringify(m.errors)}`)"
        )
        problem = f"{route}: shows {shown}, outbox {len(states)}: {set(states[:3])}"
        raise RuntimeError(problem) from None


def _wait_count(page, selector: str, count: int) -> float:
    return page.wait_for_function(
        """([sel, n]) => document.querySelector(sel)?.dataset.count === String(n)
            ? performance.now() - window.__t0 : 0""",
        arg=[selector, count],
        polling="raf",
        timeout=60_000,
    ).json_value()


def big_outbox(ctx, page, live: Live, report: Report, n: int, already: int) -> None:
    # Yesterday by the server's clock: in the hours when China has reached tomorrow but the
    # server's (UTC) calendar has not, the server refuses today's CST date as a future visit.
    visit_day = (date.today() - timedelta(days=1)).isoformat()
    print(f"queueing {n:,} records in the outbox", flush=True)
    started = time.perf_counter()
    seed = {"residents": live.resident_ids, "n": n, "chunk": 500, "day": visit_day}
    ids = page.evaluate(SEED_OUTBOX, seed)
    seeded = time.perf_counter() - started
    report.notes.append(f"outbox seeded with {n:,} records in {seeded:.1f} s")
    # Playwright's offline mode does not reach the service worker, whose Background Sync may
    # have uploaded the saved forms already: count what actually waits.
    expected = page.evaluate("async () => (await (await import('/js/outbox.js')).waiting()).length")
    if expected != n + already:
        report.notes.append(f"{n + already - expected} saved forms left early by Background Sync")
    page.evaluate("() => { location.hash = '/home'; }")
    page.wait_for_selector("#stat-waiting")
    listed = _timed_route(page, "/records", "#outbox-count", expected)
    report.add(f"outbox of {expected:,}: Records screen listed", "lists", f"{listed:.0f} ms", True)
    home = _timed_route(page, "/home", "#stat-waiting b", expected)
    report.add(f"outbox of {expected:,}: home screen drawn", "-", f"{home:.0f} ms")
    print("online: uploading", flush=True)
    started = time.perf_counter()
    ctx.set_offline(False)
    until(
        page,
        "async () => (await (await import('/js/db.js')).count('outbox')) === 0",
        timeout=600,
        every=0.25,
    )
    uploaded = time.perf_counter() - started
    held = server_record_ids(live, ids)
    report.add(
        f"outbox of {expected:,}: upload until empty",
        "uploads",
        f"{uploaded:.1f} s; server holds {held:,}/{n:,} seeded",
        held == n,
    )


def run(args: argparse.Namespace) -> Report:
    from playwright.sync_api import sync_playwright

    report = Report()
    shell_size(report)
    with tempfile.TemporaryDirectory(prefix="pwa-bench-") as tmp:
        workdir = Path(tmp)
        with live_server(workdir, args.residents, args.records) as live, sync_playwright() as pw:
            profile = workdir / "profile"
            ctx = _launch(pw, profile)
            page = ctx.pages[0] if ctx.pages else ctx.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            first_sync(page, live, report, args.sync_budget)
            cold_starts(ctx, page, report, args.runs)
            ctx.close()
            ctx, page = restart_offline(pw, profile, live, report)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            saves(page, live, report, args.saves)
            big_outbox(ctx, page, live, report, args.outbox, already=args.saves)
            ctx.close()
            if errors:
                report.notes.append(f"page errors: {errors[:5]}")
    return report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="offline reloads (median)")
    parser.add_argument("--saves", type=int, default=20, help="forms saved (median)")
    parser.add_argument("--outbox", type=int, default=5000, help="records queued offline")
    parser.add_argument("--residents", type=int, default=2000)
    parser.add_argument("--records", type=int, default=20000)
    parser.add_argument("--sync-budget", type=float, default=10.0, help="seconds")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    report = run(args)
    report.print()
    print(f"\nbench run took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
