"""Browser tests: a real server in a thread and Chromium driven by Playwright (sync API).

Every test here is marked `browser`. Without Chromium the tests are skipped on a workstation but
FAIL in CI (CI=true), so a broken CI image never passes silently.
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from server import create_app
from server.core.db import Base
from server.domain.records.catalogue import load_definitions
from server.extensions import db
from server.transactions import writing
from tests.factories import PASSWORD, make_world

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 360, "height": 640}
REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", REPO / "test-artifacts" / "browser"))


# Chromium may drop a static file's download half-way (a page closed, a precache cut short);
# werkzeug's development server then leaves that file of pwa/ to the garbage collector, and
# the ResourceWarning would fail whichever test runs at that moment. Only those files.
LEFT_OPEN_BY_AN_ABORTED_DOWNLOAD = pytest.mark.filterwarnings(
    r"ignore:Exception ignored in. <_io.FileIO name='[^']*/pwa/"
    ":pytest.PytestUnraisableExceptionWarning"
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(LEFT_OPEN_BY_AN_ABORTED_DOWNLOAD)


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"Chromium is required in CI but {CHROMIUM} is missing")
    pytest.skip(f"{CHROMIUM} not installed")


@dataclass
class LiveServer:
    """A running server: its base URL, its app (for database checks) and the world's usernames."""

    url: str
    app: Flask
    password: str = PASSWORD
    users: dict[str, int] = field(default_factory=dict)
    units: dict[str, int] = field(default_factory=dict)

    def session(self):
        """Use as `with live.db() as s:` to query the server's database from the test."""
        return _DbSession(self.app)


class _DbSession:
    """The server's database from the test: its transactions take SQLite's write lock first,
    as a writing request's do, so a write after a read never meets SQLITE_BUSY at once while
    the phone syncs (server/transactions.py)."""

    def __init__(self, app: Flask) -> None:
        self._ctx = app.app_context()
        self._writing = writing()

    def __enter__(self):
        self._ctx.push()
        self._writing.__enter__()
        return db.session

    def __exit__(self, *exc) -> None:
        db.session.remove()
        self._writing.__exit__(None, None, None)
        self._ctx.pop()


@dataclass(frozen=True)
class _Template:
    """The test world in an SQLite file, built once per session and copied for each server."""

    path: Path
    users: dict[str, int]
    units: dict[str, int]


def _app(database: Path, pwa_dir: Path | None, config: dict) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "LOGIN_FAILURE_LIMIT": "1000 per minute",
            "PWA_DIR": str(pwa_dir) if pwa_dir else None,
            **config,
        }
    )


@pytest.fixture(scope="session")
def _world_template(tmp_path_factory: pytest.TempPathFactory) -> _Template:
    path = tmp_path_factory.mktemp("template") / "world.sqlite3"
    app = _app(path, None, {})
    with app.app_context():
        Base.metadata.create_all(db.engine)
        world = make_world(db.session)
        load_definitions(db.session)
        db.session.commit()
        users = {name: user.id for name, user in world.users.items()}
        units = {code: unit.id for code, unit in world.units.items()}
        db.session.remove()
        db.engine.dispose()
    return _Template(path, users, units)


def _start(
    template: _Template, tmp_path: Path, pwa_dir: Path | None, config: dict
) -> tuple[LiveServer, Callable]:
    database = tmp_path / f"live-{uuid.uuid4().hex[:8]}.sqlite3"
    shutil.copyfile(template.path, database)
    app = _app(database, pwa_dir, config)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    live = LiveServer(
        f"http://127.0.0.1:{server.server_port}",
        app,
        users=dict(template.users),
        units=dict(template.units),
    )

    def stop() -> None:
        server.shutdown()
        thread.join(5)
        server.server_close()
        with app.app_context():
            db.engine.dispose()

    return live, stop


@pytest.fixture
def live_server_factory(
    _world_template: _Template, tmp_path: Path
) -> Iterator[Callable[..., LiveServer]]:
    """Starts servers on 127.0.0.1 (random port, own SQLite file, the test world)."""
    stops: list[Callable] = []

    def start(pwa_dir: Path | None = None, **config) -> LiveServer:
        live, stop = _start(_world_template, tmp_path, pwa_dir, config)
        stops.append(stop)
        return live

    yield start
    for stop in stops:
        stop()


@pytest.fixture
def live_server(live_server_factory) -> LiveServer:
    return live_server_factory()


@pytest.fixture(scope="module")
def module_live_server(
    _world_template: _Template, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """One server for a whole module whose tests never change server state (JS unit tests)."""
    live, stop = _start(_world_template, tmp_path_factory.mktemp("live"), None, {})
    yield live
    stop()


@pytest.fixture
def pwa_copy(tmp_path: Path) -> Path:
    """A private copy of pwa/ that a test may change to simulate a new deploy."""
    target = tmp_path / "pwa"
    shutil.copytree(REPO / "pwa", target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


@pytest.fixture
def tab(browser, module_live_server):
    """A tab of its own per test on the module's server: a fresh context, so a fresh IndexedDB,
    and no app code running (the manifest is not a page script)."""
    ctx = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    tab = ctx.new_page()
    tab.goto(module_live_server.url + "/manifest.webmanifest")
    yield tab
    ctx.close()


@pytest.fixture(scope="session")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport=VIEWPORT, locale="zh-CN", service_workers="allow")
    yield ctx
    ctx.close()


@pytest.fixture
def network(context):
    """Offline and back online for the whole context, service worker included (see Network)."""
    from tests.browser.fieldapp import Network

    return Network(context)


@pytest.fixture
def page(context):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
