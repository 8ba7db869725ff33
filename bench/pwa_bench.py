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
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench.pwa_live import (
    HOME_READY,
    LOCAL_COUNTS,
    SEED_OUTBOX,
    SYNCED,
    USERNAME,
    Live,
    _launch,
    live_server,
    server_counts,
    server_record_ids,
    until,
)
from bench.pwa_report import Report, _median_ms, shell_size
from tests.factories import PASSWORD

# Tap on Save -> commit of the transaction that added to the outbox, in page time.


# --- shell -----------------------------------------------------------------------------------


# --- server ----------------------------------------------------------------------------------


# --- browser ---------------------------------------------------------------------------------


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
