"""Every API error the suite provokes is checked against the error schema the API publishes.

`CheckingClient` is the app's test client class for the whole suite: a test whose request gets
an error body that leaves the shape in `/api/openapi.json` (or names a code outside the
catalogue, or a status other than the catalogue's) fails at that request. Push results are
checked too: a rejected mutation's code must be in the catalogue.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from server.core.problems import PROBLEMS

JSON_TYPES: dict[str, type | tuple[type, ...]] = {
    "string": str,
    "object": dict,
    "array": list,
    "integer": int,
    "boolean": bool,
}


def published_error_schema(app: Flask) -> dict[str, Any]:
    """The `Error` component of the app's OpenAPI document, fetched once per app."""
    if "published_error_schema" not in app.extensions:
        spec = FlaskClient(app, app.response_class).get("/api/openapi.json").get_json()
        app.extensions["published_error_schema"] = spec["components"]["schemas"]["Error"]
    return app.extensions["published_error_schema"]


def schema_violations(body: Any, schema: dict[str, Any]) -> list[str]:
    """What in `body` the (flat, object) JSON schema does not allow; empty when it conforms."""
    if not isinstance(body, dict):
        return [f"not a JSON object: {body!r}"]
    properties = schema.get("properties", {})
    found = [f"{name} is missing" for name in schema.get("required", []) if name not in body]
    if schema.get("additionalProperties") is False:
        found += [f"{name} is not in the schema" for name in body if name not in properties]
    for name, value in body.items():
        rule = properties.get(name, {})
        expected = JSON_TYPES.get(rule.get("type", ""))
        if expected and not isinstance(value, expected):
            found.append(f"{name} should be {rule['type']}, is {value!r}")
        if "enum" in rule and value not in rule["enum"]:
            found.append(f"{name} {value!r} is not one of the published values")
    return found


def error_violations(response: Any, schema: dict[str, Any]) -> list[str]:
    if response.mimetype != "application/json":
        return [f"answered {response.mimetype}, not JSON"]
    body = response.get_json()
    found = schema_violations(body, schema)
    kind = PROBLEMS.get(body.get("code")) if isinstance(body, dict) else None
    if kind is not None and kind.status != response.status_code:
        found.append(f"{kind.code} answered {response.status_code}, catalogue says {kind.status}")
    return found


def rejection_violations(response: Any) -> list[str]:
    results = (response.get_json(silent=True) or {}).get("results") or []
    return [
        f"rejected mutation with code {r.get('code')!r}, not in the catalogue"
        for r in results
        if r.get("status") == "rejected" and r.get("code") not in PROBLEMS
    ]


class CheckingClient(FlaskClient):
    """Flask's test client, failing the request whose error leaves the published shape."""

    def open(self, *args: Any, **kwargs: Any):  # type: ignore[override]
        response = super().open(*args, **kwargs)
        request = response.request
        if not request.path.startswith("/api") or request.method == "HEAD":
            return response
        if response.status_code >= 400:
            found = error_violations(response, published_error_schema(self.application))
        elif request.path == "/api/sync/push" and response.status_code == 200:
            found = rejection_violations(response)
        else:
            found = []
        assert not found, f"{request.method} {request.path} answered {found}"
        return response
