"""Generated requests against the published OpenAPI document, as an assistant, a supervisor and
an administrator: no answer is a server error, and every answer matches what the document says.

Bounded: a few examples per operation (`FUZZ_EXAMPLES`, default 8), so the run takes minutes.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from server import create_app
from server.domain.records.catalogue import load_definitions
from server.extensions import db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
ROLES = ("asst1", "sup1", "admin")
# Ending the session or changing the password would sign the fuzzer itself out.
SKIPPED = {("POST", "/api/auth/logout"), ("POST", "/api/me/password")}


# The document only; requests go to the suite's app (SQLite or PostgreSQL) through `app=`.
schema = schemathesis.openapi.from_wsgi(
    "/api/openapi.json",
    create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"}),
)


@pytest.fixture
def tokens(client, world):
    load_definitions(db.session)
    db.session.commit()
    out = {}
    for username in ROLES:
        answer = client.post(
            "/api/auth/login",
            json={
                "username": username,
                "password": "secret-pass-1",
                "device_id": f"fuzz-{username}-device",
                "device_label": "fuzz",
            },
        )
        assert answer.status_code == 200, answer.get_json()
        out[username] = answer.get_json()["access_token"]
    return out


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
)
def test_no_generated_request_breaks_the_server_or_the_documented_shape(case, app, tokens):
    if (case.method.upper(), case.path) in SKIPPED:
        return
    for username, token in tokens.items():
        response = case.call(app=app, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code < 500, (username, response.status_code, response.text[:300])
        case.validate_response(
            response, checks=[content_type_conformance, response_schema_conformance]
        )
