"""HTTP for the reference client: request and answer records and the transports that carry them.

A transport is any callable from `HttpRequest` to `HttpResponse`: `UrllibTransport` talks to a
live server, `TestClientTransport` to a Flask test client (duck-typed: no Flask import), tests
use fakes. `TransportError` means the answer never arrived.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass
class HttpRequest:
    method: str
    path: str
    json: Any = None
    params: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class HttpResponse:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)  # names in lower case

    def retry_after(self) -> float | None:
        """Seconds the server asked us to wait (`Retry-After` in seconds), if it said."""
        value = self.headers.get("retry-after", "")
        try:
            seconds = float(value)
        except ValueError:
            return None
        return seconds if seconds >= 0 else None


class TransportError(Exception):
    """The request may or may not have reached the server; the answer never arrived."""


class SyncError(Exception):
    """The server refused the whole request, or kept failing after every retry."""

    def __init__(self, message: str, response: HttpResponse | None = None) -> None:
        super().__init__(message)
        self.response = response


class AuthError(SyncError):
    """Still 401 after refreshing the access token: the user must sign in again."""


Transport = Callable[[HttpRequest], HttpResponse]


class UrllibTransport:
    """Real HTTP against a running server, standard library only."""

    def __init__(self, base_url: str, timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def __call__(self, request: HttpRequest) -> HttpResponse:
        url = self.base_url + request.path
        params = {k: v for k, v in request.params.items() if v is not None}
        if params:
            url += "?" + urllib.parse.urlencode(params)
        body = None if request.json is None else json.dumps(request.json).encode()
        headers = {"Content-Type": "application/json", **request.headers}
        req = urllib.request.Request(url, data=body, method=request.method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as answer:
                return HttpResponse(
                    answer.status, _json_or_none(answer.read()), _lower(answer.headers)
                )
        except urllib.error.HTTPError as error:
            return HttpResponse(error.code, _json_or_none(error.read()), _lower(error.headers))
        except (urllib.error.URLError, OSError) as error:
            raise TransportError(str(error)) from error


class _TestClient(Protocol):
    def open(self, path: str, **kwargs: Any) -> Any: ...


class TestClientTransport:
    """Adapter over a Flask (werkzeug) test client, duck-typed so this module needs no Flask.

    `context` (e.g. `app.app_context`) is entered around each request so every request gets its
    own database session, as it would in production; an exception escaping the app becomes a
    `TransportError`, which is what a phone sees when the server dies mid-request.
    """

    __test__ = False  # not a pytest test class

    def __init__(self, client: _TestClient, context: Callable[[], Any] | None = None) -> None:
        self.client = client
        self.context = context

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            if self.context is None:
                return self._send(request)
            with self.context():
                return self._send(request)
        except TransportError:
            raise
        except Exception as error:
            raise TransportError(f"server failed: {error!r}") from error

    def _send(self, request: HttpRequest) -> HttpResponse:
        params = {k: v for k, v in request.params.items() if v is not None}
        answer = self.client.open(
            request.path,
            method=request.method,
            json=request.json,
            headers=request.headers,
            query_string=params,
        )
        return HttpResponse(
            answer.status_code, answer.get_json(silent=True), _lower(answer.headers)
        )


def _lower(headers: Any) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def _json_or_none(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None
