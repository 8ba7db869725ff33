"""Serves the PWA's static files from `pwa/` at the site root, and its service worker.

The service worker is a template: the server fills in a version computed from the content of
the shell files and the list of files to precache. A deploy therefore changes `sw.js` exactly
when a shell file changed, and every phone moves to the new shell in one step.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, send_from_directory

PWA_DIR = Path(__file__).resolve().parent.parent / "pwa"
SW_FILE = "sw.js"
# Not part of the field app's shell: tooling, and the supervisor workspace (a separate page).
EXCLUDED_PREFIXES = ("js/workspace/", "icons/make_icons.py", "workspace")
EXCLUDED_SUFFIXES = (".py", ".md", ".map")
NO_CACHE = "no-cache"
# The kinds of file the client is made of: only these are served, so tooling kept beside the
# client (icons/make_icons.py), notes or editor files never leave the server.
SERVED_SUFFIXES = (".html", ".js", ".css", ".png", ".svg", ".ico", ".webmanifest", ".woff2")

bp = Blueprint("web", __name__)


@dataclass(frozen=True)
class Shell:
    """The precached shell: its content version and the URLs of its files."""

    version: str
    files: tuple[str, ...]


_lock = threading.Lock()
_cache: dict[Path, tuple[tuple, Shell]] = {}


def pwa_dir() -> Path:
    """The folder served at `/` (configurable so tests can deploy a changed copy)."""
    return Path(current_app.config.get("PWA_DIR") or PWA_DIR)


def _shell_paths(root: Path) -> list[Path]:
    paths = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if rel == SW_FILE or rel.startswith(EXCLUDED_PREFIXES) or rel.endswith(EXCLUDED_SUFFIXES):
            continue
        if not is_served(rel):
            continue
        if rel.startswith("css/workspace") or "/." in f"/{rel}" or "__pycache__" in rel:
            continue
        paths.append(path)
    return paths


def is_served(filename: str) -> bool:
    """Whether a path under `pwa/` is a file of the client (by its kind), not a hidden one."""
    parts = filename.split("/")
    hidden = any(part.startswith(".") or part == "__pycache__" for part in parts)
    return not hidden and filename.lower().endswith(SERVED_SUFFIXES)


def shell_of(root: Path) -> Shell:
    """Version and file list of the shell in `root`; rehashed only when a file's stat changed."""
    paths = _shell_paths(root)
    stamp = tuple((p.as_posix(), p.stat().st_mtime_ns, p.stat().st_size) for p in paths)
    stamp += ((root / SW_FILE).stat().st_mtime_ns,)
    with _lock:
        cached = _cache.get(root)
        if cached and cached[0] == stamp:
            return cached[1]
    digest = hashlib.sha256()
    for path in [*paths, root / SW_FILE]:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    files = tuple("/" + p.relative_to(root).as_posix() for p in paths)
    shell = Shell(version=digest.hexdigest()[:16], files=files)
    with _lock:
        _cache[root] = (stamp, shell)
    return shell


def _no_cache(response: Response) -> Response:
    response.headers["Cache-Control"] = NO_CACHE
    return response


@bp.get("/")
def index():
    """The app shell."""
    return _no_cache(send_from_directory(pwa_dir(), "index.html"))


@bp.get("/sw.js")
def service_worker():
    """The service worker with this deploy's version and precache list filled in."""
    root = pwa_dir()
    shell = shell_of(root)
    source = (root / SW_FILE).read_text(encoding="utf-8")
    source = source.replace("__VERSION__", shell.version).replace(
        "['__PRECACHE__']", json.dumps(list(shell.files))
    )
    response = Response(source, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache, no-store, must-revalidate"
    response.headers["X-Shell-Version"] = shell.version
    return response


@bp.get("/<path:filename>")
def static_file(filename: str):
    """A file of the client (`SERVED_SUFFIXES` only); `/api/...` never reaches here.

    Revalidated on every fetch.
    """
    if filename.startswith("api/") or not is_served(filename):
        abort(404)
    response = send_from_directory(pwa_dir(), filename)
    if filename.endswith(".webmanifest"):
        response.mimetype = "application/manifest+json"
    return _no_cache(response)
