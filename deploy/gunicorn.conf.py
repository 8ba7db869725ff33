"""gunicorn settings for the Village Health Assistant: `gunicorn -c deploy/gunicorn.conf.py`.

Read by gunicorn from the repository root (the systemd unit's WorkingDirectory). Every value
can be changed without editing this file: gunicorn's own command line (`-b`, `-w`) and
`GUNICORN_CMD_ARGS` win over it, and the environment variables below set its defaults.
docs/deploy.md explains the choices; tests/deploy/test_gunicorn.py starts the server with it.
"""

from __future__ import annotations

import os

_database = os.environ.get("DATABASE_URL", "")
_sqlite = not _database.startswith(("postgres://", "postgresql"))

wsgi_app = "wsgi:app"

# Behind nginx on the same machine: never reachable from the network directly.
bind = os.environ.get("VHA_BIND", "127.0.0.1:8000")

# SQLite takes one writer at a time: one process with threads queues its writers in-process
# (server/transactions.py). PostgreSQL: several processes, each with a few threads; the sign-in
# limiter then needs shared storage (Redis), which `when_ready` below checks.
workers = int(os.environ.get("WEB_CONCURRENCY") or (1 if _sqlite else 4))
worker_class = "gthread"
threads = int(os.environ.get("VHA_THREADS") or (8 if _sqlite else 4))

# A sync push of 1,000 records or an export of a county can take seconds on a busy box; a
# request still running after `timeout` seconds means a stuck worker, which gunicorn restarts.
timeout = int(os.environ.get("VHA_TIMEOUT") or 60)
graceful_timeout = 30
keepalive = 5  # nginx keeps its upstream connections open (deploy/nginx.conf)

# Import the app once in the master before forking: `instance/secrets.json` is created once,
# not raced by the workers (3 of 40 simultaneous starts used to crash), and a broken
# configuration fails the start instead of every worker.
preload_app = True

# nginx on 127.0.0.1 is the only proxy whose X-Forwarded-* gunicorn believes; the app's own
# ProxyFix (TRUSTED_PROXIES) decides what the app sees as the client address.
forwarded_allow_ips = "127.0.0.1"

accesslog = "-"  # to the journal; query strings carry no ID digits (docs/security.md)
errorlog = "-"
loglevel = os.environ.get("VHA_LOG_LEVEL", "info")
proc_name = "vha"


def post_fork(server, worker):
    """Each worker opens its own database connections, never the master's (preload)."""
    from server.extensions import db

    app = server.app.wsgi()
    with app.app_context():
        db.engine.dispose(close=False)


def when_ready(server):
    """Warn loudly when several workers would each keep their own sign-in failure counts."""
    from server.config import limiter_storage_warning

    if server.cfg.preload_app:
        storage = str(server.app.wsgi().config["RATELIMIT_STORAGE_URI"])
    else:
        storage = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    warning = limiter_storage_warning(server.cfg.workers, storage)
    if warning:
        banner = "!" * 78
        server.log.warning(banner)
        server.log.warning("UNSAFE SIGN-IN LIMIT: %s", warning)
        server.log.warning(banner)
