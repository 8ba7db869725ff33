"""Signing in and sending with retries: the reference client's connection to the server.

Transport errors, 5xx and 429 are retried with exponential backoff and full jitter; a 401
refreshes the access token once (docs/sync-protocol.md, "Client rules").
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any

from sync.client_state import PushReport
from sync.transport import (
    AuthError,
    HttpRequest,
    HttpResponse,
    SyncError,
    Transport,
    TransportError,
)

MAX_ATTEMPTS = 6
AWAY = (502, 503, 504)  # a gateway's answers: the server is away, the request is not at fault
BACKOFF_BASE = 0.5
BACKOFF_CAP = 30.0


class Connection:
    """A device's signed-in link to the server."""

    def __init__(
        self,
        transport: Transport,
        *,
        device_id: str,
        access_token: str | None = None,
        refresh_token: str | None = None,
        max_attempts: int = MAX_ATTEMPTS,
        sleep: Callable[[float], None] = time.sleep,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self.transport = transport
        self.device_id = device_id
        self.access_token = access_token
        self.refresh_token = refresh_token
        self.max_attempts = max_attempts
        self.sleep = sleep
        self.rand = rand

    # -- signing in ---------------------------------------------------------------------------

    def login(self, username: str, password: str, label: str = "reference client") -> None:
        """Sign in as this device and keep the token pair."""
        body = {"username": username, "password": password, "device_id": self.device_id}
        request = HttpRequest("POST", "/api/auth/login", {**body, "device_label": label})
        answer = self._send(request)
        for attempt in range(1, self.max_attempts):
            if answer.status != 503 or answer.retry_after() is None:
                break
            self.sleep(retry_delay(answer, attempt, self.rand()))  # busy: same sign-in again
            answer = self._send(request)
        if answer.status != 200:
            raise AuthError(f"login failed ({answer.status})", answer)
        self._take_tokens(answer.body)

    def _take_tokens(self, body: dict[str, Any]) -> None:
        self.access_token = body["access_token"]
        self.refresh_token = body.get("refresh_token", self.refresh_token)

    def _refresh(self) -> bool:
        if not self.refresh_token:
            return False
        headers = {"Authorization": f"Bearer {self.refresh_token}"}
        answer = self._send(HttpRequest("POST", "/api/auth/refresh", headers=headers))
        if answer.status != 200:
            return False
        self._take_tokens(answer.body)
        return True

    # -- HTTP with retries and token refresh --------------------------------------------------

    def _send(self, request: HttpRequest) -> HttpResponse:
        return self.transport(request)

    def _authorised(self, request: HttpRequest) -> HttpRequest:
        headers = dict(request.headers)
        if self.access_token:
            headers["Authorization"] = f"Bearer {self.access_token}"
        return HttpRequest(request.method, request.path, request.json, request.params, headers)

    def _request_with_retries(
        self, request: HttpRequest, report: PushReport | None, split_after: int | None = None
    ) -> HttpResponse:
        """Send until an answer that is not a transient failure; refresh the token once on 401.

        With `split_after`, after that many server errors (a 5xx other than the gateway's
        502/503/504, which mean the server is away) the answer is returned instead of retried:
        the request itself may be what the server cannot take.

        Retries wait as `retry_delay` says: what the server asked for on a 503 or 429 with
        `Retry-After` (the database was busy: the same request goes again, and its mutation ids
        make it land once), otherwise an exponential backoff with jitter.
        """
        refreshed = False
        attempt = 0
        server_errors = 0
        while True:
            if report is not None:
                report.requests += 1
            try:
                answer = self._send(self._authorised(request))
            except TransportError as error:
                failure: Exception | HttpResponse = error
            else:
                if answer.status == 401 and not refreshed:
                    refreshed = True
                    if self._refresh():
                        continue
                    raise AuthError("the session has ended; sign in again", answer)
                if answer.status == 401:
                    raise AuthError("still unauthorised after refreshing the token", answer)
                if answer.status < 500 and answer.status != 429:
                    return answer
                if answer.status >= 500 and answer.status not in AWAY:
                    server_errors += 1
                    if split_after is not None and server_errors >= split_after:
                        return answer
                failure = answer
            attempt += 1
            if attempt >= self.max_attempts:
                response = failure if isinstance(failure, HttpResponse) else None
                raise SyncError(f"gave up after {attempt} attempts: {failure}", response)
            self.sleep(retry_delay(failure, attempt, self.rand()))


def retry_delay(failure: Exception | HttpResponse, attempt: int, rand: float) -> float:
    """Seconds before retry number `attempt` (1 = first) of a request that failed so.

    Without a `Retry-After`: up to `BACKOFF_BASE * 2**attempt` (capped), scaled by `rand`
    (full jitter) so phones that lost the network together do not return together. With one:
    at least the time asked, plus up to as much again of jitter, so the phones the server
    turned away together do not all come back in the same instant.
    """
    asked = failure.retry_after() if isinstance(failure, HttpResponse) else None
    if asked is not None:
        return min(BACKOFF_CAP, asked * (1 + rand))
    return rand * min(BACKOFF_CAP, BACKOFF_BASE * 2**attempt)
