"""The field app's one way to the API (pwa/js/api.js `apiFetch`): the bearer token, one refresh on
a 401 with the rotated refresh token, one retry, and one error shape; exports use it too."""

from __future__ import annotations

import json
import re
from email.utils import formatdate

import pytest

from tests.browser.conftest import REPO

SESSION = {"access_token": "old-access", "refresh_token": "old-refresh", "user": {"id": 1}}
DISPOSITION = 'attachment; filename="r.csv"'
ROTATED = {"access_token": "new-access", "refresh_token": "new-refresh", "user": {"id": 1}}

CALL = """async ({ fn, args }) => {
  const api = await import('/js/api.js');
  try {
    const out = await api[fn](...args);
    if (out && out.blob) return { name: out.name, text: await out.blob.text() };
    return { out };
  } catch (err) {
    return { error: { cls: err.constructor.name, status: err.status, code: err.code,
      message: err.message, errors: err.errors, retryAfter: err.retryAfter } };
  }
}"""


def _json(route, status: int, body: dict, headers: dict | None = None) -> None:
    route.fulfill(
        status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
        body=json.dumps(body),
    )


@pytest.fixture
def signed_in(tab):
    """The tab with a session whose access token the fake server takes for expired."""
    tab.evaluate("async (s) => (await import('/js/db.js')).setMeta('session', s)", SESSION)
    refreshes: list[str] = []

    def refresh(route):
        refreshes.append(route.request.headers.get("authorization", ""))
        _json(route, 200, ROTATED)

    tab.route("**/api/auth/refresh", refresh)
    tab.refreshes = refreshes
    return tab


def _only_fresh_token(handler):
    def serve(route):
        if route.request.headers.get("authorization") != f"Bearer {ROTATED['access_token']}":
            _json(route, 401, {"code": "token_expired", "message": "expired", "errors": {}})
        else:
            handler(route)

    return serve


def test_a_401_is_retried_once_with_the_refreshed_token(signed_in):
    signed_in.route("**/api/probe", _only_fresh_token(lambda r: _json(r, 200, {"ok": True})))
    got = signed_in.evaluate(CALL, {"fn": "request", "args": ["GET", "/api/probe"]})
    assert got == {"out": {"ok": True}}
    assert signed_in.refreshes == [f"Bearer {SESSION['refresh_token']}"]


def test_the_rotated_refresh_token_is_kept(signed_in):
    signed_in.route("**/api/probe", _only_fresh_token(lambda r: _json(r, 200, {})))
    signed_in.evaluate(CALL, {"fn": "request", "args": ["GET", "/api/probe"]})
    session = signed_in.evaluate("async () => (await import('/js/db.js')).getMeta('session')")
    assert session["refresh_token"] == ROTATED["refresh_token"]


def test_a_refused_call_carries_the_servers_error_status_and_retry_after(signed_in):
    problem = {"code": "rate_limited", "message": "too many", "errors": {"batch": ["slow down"]}}
    signed_in.route("**/api/probe", lambda r: _json(r, 429, problem, {"Retry-After": "30"}))
    got = signed_in.evaluate(CALL, {"fn": "request", "args": ["POST", "/api/probe", {}]})
    assert got["error"] == {"cls": "ApiError", "status": 429, **problem, "retryAfter": 30}


def test_a_refusal_without_retry_after_has_none(signed_in):
    signed_in.route("**/api/probe", lambda r: _json(r, 422, {"code": "validation_error"}))
    got = signed_in.evaluate(CALL, {"fn": "request", "args": ["GET", "/api/probe"]})
    assert (got["error"]["code"], got["error"]["retryAfter"]) == ("validation_error", None)


def test_an_unreachable_server_is_status_0(signed_in):
    signed_in.route("**/api/probe", lambda r: r.abort())
    got = signed_in.evaluate(CALL, {"fn": "request", "args": ["GET", "/api/probe"]})
    assert (got["error"]["status"], got["error"]["code"]) == (0, "network")


def test_a_download_refreshes_like_any_call_and_gives_the_file_and_its_name(signed_in):
    def csv(route):
        route.fulfill(
            status=200,
            headers={
                "Content-Type": "text/csv",
                "Content-Disposition": 'attachment; filename="r.csv"',
            },
            body="a,b\n1,2\n",
        )

    signed_in.route("**/api/exports/records.csv*", _only_fresh_token(csv))
    got = signed_in.evaluate(CALL, {"fn": "download", "args": ["/api/exports/records.csv?x=1"]})
    assert got == {"name": "r.csv", "text": "a,b\n1,2\n"}


def test_a_refused_download_is_the_same_error(signed_in):
    problem = {"code": "forbidden", "message": "no", "errors": {}}
    signed_in.route("**/api/exports/records.xlsx", lambda r: _json(r, 403, problem))
    got = signed_in.evaluate(CALL, {"fn": "download", "args": ["/api/exports/records.xlsx"]})
    assert got["error"] == {"cls": "ApiError", "status": 403, **problem, "retryAfter": None}


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120),
        (" 7 ", 7),
        (formatdate(1_000_090, usegmt=True), 90),
        ("soon", None),
        ("", None),
    ],
)
def test_retry_after_is_read_as_seconds_or_as_a_date(tab, header, seconds):
    got = tab.evaluate(
        "async (h) => (await import('/js/api.js')).retryAfterSeconds(h, 1000000000)", header
    )
    assert got == seconds


def test_only_the_api_client_calls_fetch():
    callers = sorted(
        path.relative_to(REPO / "pwa").as_posix()
        for path in (REPO / "pwa" / "js").rglob("*.js")
        if re.search(r"\bfetch\(", path.read_text(encoding="utf-8"))
    )
    assert callers == ["js/api.js"]
