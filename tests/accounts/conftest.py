"""Sign-in from chosen client addresses, for the throttling and audit tests."""

from __future__ import annotations

import uuid

import pytest

from server.domain.accounts.throttle import pair_key
from server.extensions import limiter
from tests.factories import PASSWORD


class SignIn:
    """POST /api/auth/login as a client at `address` (the peer address the server sees)."""

    def __init__(self, client) -> None:
        self.client = client

    def __call__(self, username: str, password: str = PASSWORD, address: str = "10.0.0.1", **kw):
        body = {
            "username": username,
            "password": password,
            "device_id": kw.pop("device_id", f"dev-{uuid.uuid4().hex[:12]}"),
            "device_label": "test phone",
        }
        return self.client.post(
            "/api/auth/login", json=body, environ_overrides={"REMOTE_ADDR": address}, **kw
        )

    def wait_out(self, username: str, address: str) -> None:
        """What the passing of the current wait does (its key expires), without sleeping."""
        prefix = self.client.application.config["RATELIMIT_KEY_PREFIX"]
        limiter.storage.clear(f"{prefix}/{pair_key(username, address)}/wait")


@pytest.fixture
def sign_in(client) -> SignIn:
    return SignIn(client)
