"""Security headers on every answer, and the client's address behind trusted proxies.

Why each header is there, and what a deployment must add in front of the app, is in
docs/security.md ("Response headers").
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.serving import WSGIRequestHandler

# The PWA loads only its own files: no inline script or style, no third-party origin, never
# framed (the workspace's approve and password-reset buttons cannot be clickjacked).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "font-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

FIXED_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
# API answers carry personal data (names, ID numbers, health records): no browser or proxy
# cache may keep them; the phone keeps what it needs in IndexedDB, on its own terms.
API_CACHE_CONTROL = "no-store"


def hsts_value(https: bool, seconds: int) -> str | None:
    """The Strict-Transport-Security value, or None when the deployment is not HTTPS.

    Sent only when the operator says so: HSTS on a plain-HTTP deployment (a test server on a
    LAN address) would make browsers refuse it for months once TLS is tried there.
    """
    if not https or seconds <= 0:
        return None
    return f"max-age={seconds}; includeSubDomains"


def add_security_headers(response: Response) -> Response:
    """`after_request` hook: the fixed headers, no-store on the API, HSTS when configured."""
    for name, value in FIXED_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.path.startswith("/api"):
        response.headers["Cache-Control"] = API_CACHE_CONTROL
        response.headers["Pragma"] = "no-cache"
    hsts = hsts_value(bool(current_app.config["HTTPS"]), int(current_app.config["HSTS_SECONDS"]))
    if hsts:
        response.headers["Strict-Transport-Security"] = hsts
    # The app names no server or framework; the WSGI server in front may (docs/security.md).
    response.headers.pop("Server", None)
    response.headers.pop("X-Powered-By", None)
    return response


class TrustedProxies:
    """WSGI middleware: with `TRUSTED_PROXIES` = n > 0, the client address and scheme are read
    from the X-Forwarded-For / X-Forwarded-Proto that the n proxies in front appended.

    With 0 (the default) the headers are ignored: anyone can send them, and trusting them
    without a proxy that overwrites them would let an attacker pick the address the sign-in
    throttle counts. The setting is read per request so a test can change it.
    """

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.wsgi_app = app.wsgi_app

    def __call__(self, environ, start_response):
        hops = int(self.app.config.get("TRUSTED_PROXIES") or 0)
        if hops <= 0:
            return self.wsgi_app(environ, start_response)
        return ProxyFix(self.wsgi_app, x_for=hops, x_proto=hops)(environ, start_response)


def init_app(app: Flask) -> None:
    app.wsgi_app = TrustedProxies(app)  # type: ignore[method-assign]
    app.after_request(add_security_headers)


class QuietRequestHandler(WSGIRequestHandler):
    """werkzeug's development server (the README's `demo --serve`) without its version in
    `Server`: nothing tells a scanner which framework and Python answer."""

    def version_string(self) -> str:
        return "vha"
