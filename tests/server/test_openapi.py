"""The OpenAPI document at /api/openapi.json describes every endpoint, body and answer."""

from __future__ import annotations

import pytest

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def spec(client) -> dict:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def operations(spec: dict):
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", op


def test_every_api_route_is_documented(app, spec):
    documented = {(method.upper(), path) for path, item in spec["paths"].items() for method in item}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or rule.rule == "/api/openapi.json":
            continue
        path = rule.rule.replace("<uuid:", "{").replace("<int:", "{").replace("<", "{")
        path = path.replace(">", "}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (method, path) in documented, f"{method} {path} is not in the document"


def test_every_operation_documents_its_success_body(spec):
    missing = []
    for name, op in operations(spec):
        success = {code: r for code, r in op["responses"].items() if code.startswith("2")}
        if not any(code == "204" or r.get("content") for code, r in success.items()):
            missing.append(name)
    assert missing == []


def test_every_operation_documents_the_error_shape(spec):
    error_refs = {"#/components/responses/DEFAULT_ERROR", "#/components/schemas/Error"}
    undocumented = [
        name
        for name, op in operations(spec)
        if not any(
            r.get("$ref") in error_refs or "Error" in str(r.get("content", ""))
            for code, r in op["responses"].items()
            if not code.startswith("2")
        )
    ]
    assert undocumented == []


def test_forms_list_names_the_fields_of_a_definition(spec):
    listed = spec["components"]["schemas"]["ListedDefinition"]["properties"]
    assert {"code", "version", "title", "fields", "status"} <= set(listed)
