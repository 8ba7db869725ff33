"""Settings, read from the environment once at start-up.

Every setting is documented in the README; defaults suit a single county on SQLite.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path

from server.core import jsoncodec


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def load_or_create_secrets(instance_path: str | Path) -> dict[str, str]:
    """Secrets generated once per installation and kept in `instance/`, never in the code.

    Several workers may start at once on a fresh instance (gunicorn without preload, or two
    services): each writes its candidate whole to a temporary file and links it into place,
    which succeeds for exactly one; everyone then reads back the file that won. A reader
    never sees a half-written file, and nobody crashes because another got there first.
    """
    path = Path(instance_path) / "secrets.json"
    if path.exists():
        return json.loads(path.read_text())
    path.parent.mkdir(parents=True, exist_ok=True)
    values = {"SECRET_KEY": secrets.token_urlsafe(48), "JWT_SECRET_KEY": secrets.token_urlsafe(48)}
    fd, temp = tempfile.mkstemp(prefix=".secrets-", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as fh:  # mkstemp's file is mode 600 already
            json.dump(values, fh)
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(FileExistsError):  # another worker won: read theirs
            os.link(temp, path)  # atomic, and fails if the file exists: one worker wins
    finally:
        os.unlink(temp)
    return json.loads(path.read_text())


def build_config(instance_path: str | Path) -> dict[str, object]:
    """The app's configuration from environment variables, with generated secrets as fallback."""
    generated = load_or_create_secrets(instance_path)
    default_db = f"sqlite:///{Path(instance_path) / 'vha.sqlite3'}"
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY") or generated["SECRET_KEY"],
        "JWT_SECRET_KEY": os.environ.get("JWT_SECRET_KEY") or generated["JWT_SECRET_KEY"],
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(
            os.environ.get("DATABASE_URL") or default_db
        ),
        "JWT_ACCESS_TOKEN_EXPIRES": timedelta(minutes=_int("ACCESS_TOKEN_MINUTES", 15)),
        "JWT_REFRESH_TOKEN_EXPIRES": timedelta(days=_int("REFRESH_TOKEN_DAYS", 30)),
        "MAX_CONTENT_LENGTH": _int("MAX_UPLOAD_BYTES", 8 * 1024 * 1024),
        "SYNC_MAX_MUTATIONS": _int("SYNC_MAX_MUTATIONS", 1000),
        "SYNC_MAX_BYTES": _int("SYNC_MAX_BYTES", 4 * 1024 * 1024),
        "PHONE_RETENTION_DAYS": _int("PHONE_RETENTION_DAYS", 90),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # Several installations (or a test run) sharing one Redis keep their counts apart.
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", "vha"),
        # Failed sign-ins per address, whatever the usernames (generous: a clinic behind one NAT).
        "LOGIN_FAILURE_LIMIT": os.environ.get("LOGIN_FAILURE_LIMIT", "50 per 10 minutes"),
        # Per (username, address): free failures, then a wait doubling from the first delay.
        "LOGIN_FREE_FAILURES": _int("LOGIN_FREE_FAILURES", 5),
        "LOGIN_FIRST_DELAY_SECONDS": _int("LOGIN_FIRST_DELAY_SECONDS", 30),
        "LOGIN_MAX_DELAY_SECONDS": _int("LOGIN_MAX_DELAY_SECONDS", 900),
        "LOGIN_FAILURE_MEMORY_SECONDS": _int("LOGIN_FAILURE_MEMORY_SECONDS", 24 * 3600),
        # Proxies in front that append X-Forwarded-For/-Proto (0: the headers are ignored).
        "TRUSTED_PROXIES": _int("TRUSTED_PROXIES", 0),
        # The deployment is served over HTTPS: send HSTS for HSTS_SECONDS.
        "HTTPS": _flag("HTTPS"),
        "HSTS_SECONDS": _int("HSTS_SECONDS", 31536000),
        "PASSWORD_HASH_COST": os.environ.get("PASSWORD_HASH_COST", "standard"),
        "DUPLICATE_LOOKUP_LIMIT": os.environ.get("DUPLICATE_LOOKUP_LIMIT", "60 per hour"),
        "DATABASE_BUSY_TIMEOUT_MS": _int("DATABASE_BUSY_TIMEOUT_MS", 5000),
        "RATELIMIT_HEADERS_ENABLED": True,
        "JWT_TOKEN_LOCATION": ["headers"],
        "API_TITLE": "Village Health Assistant API",
        "API_VERSION": "1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "openapi.json",
        "JSON_SORT_KEYS": False,
        "SQLALCHEMY_ENGINE_OPTIONS": {
            # Database errors and echo logs would otherwise print the bound values (full ID
            # numbers among them) into server logs: docs/security.md, "ID numbers".
            "hide_parameters": True,
            "json_serializer": jsoncodec.dumps,
            "json_deserializer": jsoncodec.loads,
        },
    }


def engine_options(config: dict[str, object]) -> dict[str, object]:
    """SQLAlchemy engine options for the configured database, with the lock wait applied.

    A write waits up to `DATABASE_BUSY_TIMEOUT_MS` for another transaction's lock (SQLite's
    busy timeout, PostgreSQL's lock_timeout) and then fails as "database busy" (503), instead
    of waiting forever (PostgreSQL's default) or failing at once.
    """
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    wait_ms = int(config.get("DATABASE_BUSY_TIMEOUT_MS", 5000))  # type: ignore[call-overload]
    url = str(config["SQLALCHEMY_DATABASE_URI"])
    connect_args = dict(options.get("connect_args") or {})  # type: ignore[call-overload]
    if url.startswith("sqlite"):
        connect_args.setdefault("timeout", wait_ms / 1000)
    elif url.startswith("postgresql"):
        connect_args.setdefault("options", f"-c lock_timeout={wait_ms}")
    options["connect_args"] = connect_args
    return options


def normalise_database_url(url: str) -> str:
    """Accept plain `postgresql://` URLs and use the psycopg 3 driver for them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


SHARED_LIMITER_SCHEMES = (
    "redis://",
    "rediss://",
    "redis+sentinel://",
    "redis+cluster://",
    "memcached://",
)


def limiter_storage_warning(workers: int, storage_uri: str) -> str | None:
    """Why a start with several worker processes and per-process limiter storage is unsafe.

    With `memory://` every worker counts sign-in failures on its own, so the limit is
    multiplied by the worker count (20 failures a minute got through under 4 workers).
    Threads of one process share its memory; only processes need shared storage.
    """
    if workers <= 1 or storage_uri.startswith(SHARED_LIMITER_SCHEMES):
        return None
    return (
        f"{workers} worker processes with RATELIMIT_STORAGE_URI={storage_uri!r}: each worker "
        f"counts failed sign-ins on its own, so the sign-in limit is {workers} times too "
        "generous. Install the redis extra (pip install -e '.[redis]') and set "
        "RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0, or run one worker with threads "
        "(docs/deploy.md)."
    )
