"""Security headers on every answer: CSP without inline code, no framing, no caching of the API."""

from __future__ import annotations

import pytest

from server.headers import CONTENT_SECURITY_POLICY, hsts_value

PATHS = ["/", "/sw.js", "/js/main.js", "/manifest.webmanifest", "/api/health", "/api/nothing-here"]


def headers_of(client, path: str):
    response = client.get(path)
    response.close()  # a file answer holds the file open until closed
    return response.headers


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.mark.parametrize("path", PATHS)
def test_every_answer_carries_the_security_headers(client, path):
    headers = headers_of(client, path)
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize(
    ("directive", "expected"),
    [
        ("script-src", ["'self'"]),
        ("style-src", ["'self'"]),
        ("connect-src", ["'self'"]),
        ("img-src", ["'self'", "data:", "blob:"]),
        ("frame-ancestors", ["'none'"]),
        ("base-uri", ["'none'"]),
        ("form-action", ["'self'"]),
        ("object-src", ["'none'"]),
        ("default-src", ["'self'"]),
    ],
)
def test_the_content_security_policy_allows_only_the_apps_own_files(directive, expected):
    assert directives(CONTENT_SECURITY_POLICY)[directive] == expected


def test_the_policy_allows_no_inline_code_or_eval():
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "unsafe-eval" not in CONTENT_SECURITY_POLICY


def test_api_answers_are_never_stored(client, auth, world):
    headers = auth.headers("asst1")
    for response in (
        client.get("/api/me", headers=headers),
        client.get("/api/health"),
        auth.login("asst1", "wrong-password-9"),
    ):
        assert response.headers["Cache-Control"] == "no-store"


def test_the_sign_in_answer_with_tokens_is_never_stored(auth, world):
    assert auth.login("asst1").headers["Cache-Control"] == "no-store"


def test_the_app_names_no_server_or_framework(client):
    headers = client.get("/api/health").headers
    assert "Server" not in headers
    assert "X-Powered-By" not in headers


def test_no_hsts_unless_the_deployment_says_it_is_https(client):
    assert "Strict-Transport-Security" not in headers_of(client, "/")


def test_hsts_is_sent_when_the_deployment_is_https(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "HTTPS", True)
    monkeypatch.setitem(app.config, "HSTS_SECONDS", 15552000)
    for path in ("/", "/api/health"):
        hsts = headers_of(client, path)["Strict-Transport-Security"]
        assert hsts == "max-age=15552000; includeSubDomains"


@pytest.mark.parametrize(
    ("https", "seconds", "expected"),
    [
        (False, 31536000, None),
        (True, 31536000, "max-age=31536000; includeSubDomains"),
        (True, 0, None),
        (True, 300, "max-age=300; includeSubDomains"),
    ],
)
def test_hsts_value(https, seconds, expected):
    assert hsts_value(https, seconds) == expected


def test_the_development_server_names_no_framework_or_version(app):
    import threading
    import urllib.request

    from werkzeug.serving import make_server

    from server.headers import QuietRequestHandler

    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/api/health") as answer:
            assert answer.headers["Server"] == "vha"
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()
