"""Behind a reverse proxy: X-Forwarded-For names the client only when TRUSTED_PROXIES says
how many proxies append to it; otherwise anyone could pick the address the throttle counts."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.test import create_environ, run_wsgi_app

from server.core.audit import AuditEntry
from server.domain.accounts import auth_audit
from server.extensions import db
from server.headers import TrustedProxies

PROXY = "127.0.0.1"
WRONG = "guess-number-1"


def failed_addresses() -> list[str]:
    rows = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == auth_audit.SIGN_IN_FAILED)
    )
    return [row.after["address"] for row in rows]


def attempt(client, forwarded: str, proto: str | None = None):
    headers = {"X-Forwarded-For": forwarded}
    if proto:
        headers["X-Forwarded-Proto"] = proto
    body = {"username": "sup1", "password": WRONG, "device_id": "dev-00000001"}
    return client.post("/api/auth/login", json=body, headers=headers)


def test_forwarded_for_is_ignored_by_default(app, client, world):
    assert app.config["TRUSTED_PROXIES"] == 0
    attempt(client, "203.0.113.9")
    assert failed_addresses() == [PROXY]


def test_forwarded_for_is_ignored_for_the_throttle_by_default(client, world):
    """Without trusted proxies, a guesser who varies the header still meets her own wait."""
    for n in range(5):
        attempt(client, f"203.0.113.{n}")
    assert attempt(client, "203.0.113.77").status_code == 429


def test_with_one_trusted_proxy_the_client_address_is_honoured(app, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "TRUSTED_PROXIES", 1)
    attempt(client, "203.0.113.9")
    assert failed_addresses() == ["203.0.113.9"]


def test_only_the_hops_the_trusted_proxies_added_are_believed(app, client, world, monkeypatch):
    """A client's own X-Forwarded-For comes first; the one proxy appends the real peer."""
    monkeypatch.setitem(app.config, "TRUSTED_PROXIES", 1)
    attempt(client, "10.9.9.9, 203.0.113.9")
    assert failed_addresses() == ["203.0.113.9"]


def test_behind_a_trusted_proxy_each_client_has_its_own_wait(app, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "TRUSTED_PROXIES", 1)
    for _ in range(5):
        attempt(client, "203.0.113.66")
    assert attempt(client, "203.0.113.66").status_code == 429
    body = {"username": "sup1", "password": "secret-pass-1", "device_id": "dev-00000002"}
    office = client.post("/api/auth/login", json=body, headers={"X-Forwarded-For": "198.51.100.7"})
    assert office.status_code == 200


class Captured:
    """A WSGI app that remembers the environ it was called with, behind `TrustedProxies`."""

    def __init__(self, hops: int) -> None:
        self.config = {"TRUSTED_PROXIES": hops}
        self.wsgi_app = self.capture
        self.environ: dict = {}

    def capture(self, environ, start_response):
        self.environ = environ
        start_response("200 OK", [])
        return [b""]


@pytest.mark.parametrize(
    ("hops", "forwarded", "proto", "address", "scheme"),
    [
        (0, "203.0.113.9", "https", PROXY, "http"),
        (1, "203.0.113.9", "https", "203.0.113.9", "https"),
        (1, "10.9.9.9, 203.0.113.9", "https", "203.0.113.9", "https"),
        (2, "10.9.9.9, 203.0.113.9, 192.168.1.2", "https, http", "203.0.113.9", "https"),
    ],
)
def test_the_middleware_reads_the_trusted_hops_only(hops, forwarded, proto, address, scheme):
    inner = Captured(hops)
    headers = {"X-Forwarded-For": forwarded, "X-Forwarded-Proto": proto}
    environ = create_environ("/", headers=headers, environ_base={"REMOTE_ADDR": PROXY})
    run_wsgi_app(TrustedProxies(inner), environ)
    assert inner.environ["REMOTE_ADDR"] == address
    assert inner.environ["wsgi.url_scheme"] == scheme
