"""deploy/gunicorn.conf.py plus timers around the feed counter lock, for bench/feed_lock.py.

Each worker wraps `lock_feed` (as `sync.push` calls it) and `push_batch` (as the sync route
calls it) with `perf_counter` timers and writes its totals to `FEED_LOCK_OUT/<pid>.json` when
it exits. The engine itself is not changed: the wrappers are installed after the fork.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

_here = Path(__file__).resolve().parents[1] / "deploy" / "gunicorn.conf.py"
exec(compile(_here.read_text(), str(_here), "exec"))
_deploy_post_fork = post_fork  # type: ignore[name-defined]  # noqa: F821

TOTALS = {"pushes": 0, "lock_wait_s": 0.0, "push_s": 0.0, "max_wait_s": 0.0}


def _timed(function, key: str):
    def wrapper(*args, **kwargs):
        began = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            took = time.perf_counter() - began
            TOTALS[key] += took
            if key == "lock_wait_s":
                TOTALS["max_wait_s"] = max(TOTALS["max_wait_s"], took)
            else:
                TOTALS["pushes"] += 1

    return wrapper


def post_fork(server, worker):
    _deploy_post_fork(server, worker)
    import server.api.sync.routes as routes
    import sync.push as push

    push.lock_feed = _timed(push.lock_feed, "lock_wait_s")
    routes.push_batch = _timed(routes.push_batch, "push_s")


def worker_exit(server, worker):
    out = Path(os.environ["FEED_LOCK_OUT"])
    (out / f"{os.getpid()}.json").write_text(json.dumps(TOTALS))
