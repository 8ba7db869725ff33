"""Every API error answers one JSON shape: {"code", "message", "errors"}, never HTML."""

from __future__ import annotations

from server.api.health import routes as health_routes


def assert_error_shape(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"code", "message", "errors"}
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    assert "Traceback" not in response.get_data(as_text=True)
    return body


def test_malformed_json_is_a_400(client):
    response = client.post(
        "/api/auth/login", data="{not json", headers={"Content-Type": "application/json"}
    )
    assert_error_shape(response, 400, "bad_request")


def test_missing_token_is_a_401(client):
    assert_error_shape(client.get("/api/me"), 401, "missing_token")


def test_wrong_role_is_a_403(client, world, auth):
    response = client.get("/api/users", headers=auth.headers("asst1"))
    assert_error_shape(response, 403, "role_not_allowed")


def test_unknown_api_path_is_a_json_404(client):
    assert_error_shape(client.get("/api/no-such-thing"), 404, "not_found")


def test_object_out_of_scope_is_a_404(client, world, auth):
    other = world.users["sup2"].id
    response = client.get(f"/api/users/{other}", headers=auth.headers("sup1"))
    assert_error_shape(response, 404, "user_not_found")


def test_object_out_of_scope_answers_exactly_like_a_missing_one(client, world, auth):
    headers = auth.headers("sup1")
    outside = client.get(f"/api/users/{world.users['sup2'].id}", headers=headers)
    missing = client.get("/api/users/999999", headers=headers)
    assert (outside.status_code, outside.get_json()) == (missing.status_code, missing.get_json())


def test_wrong_method_is_a_405_naming_the_allowed_ones(client):
    response = client.delete("/api/health")
    assert_error_shape(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]


def test_duplicate_username_is_a_409(client, world, auth):
    response = client.post(
        "/api/users",
        json={
            "username": "asst2",
            "role": "assistant",
            "org_unit_id": world.units["V1a"].id,
            "password": "another-pass-9",
        },
        headers=auth.headers("sup1"),
    )
    body = assert_error_shape(response, 409, "username_taken")
    assert "username" in body["errors"]


def test_body_over_the_upload_limit_is_a_413(app, client):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.post(
        "/api/auth/login",
        data=b"x" * (limit + 1),
        headers={"Content-Type": "application/json"},
    )
    body = assert_error_shape(response, 413, "payload_too_large")
    assert body["errors"] == {
        "max_mutations": app.config["SYNC_MAX_MUTATIONS"],
        "max_bytes": min(app.config["SYNC_MAX_BYTES"], limit),
    }


def test_invalid_fields_are_a_422_listed_per_field(client):
    response = client.post("/api/auth/login", json={"username": "asst1"})
    body = assert_error_shape(response, 422, "validation_error")
    assert "password" in body["errors"]


def test_too_many_failed_logins_is_a_429(client, world, auth):
    for _ in range(5):
        assert auth.login("asst1", "wrong-wrong").status_code == 401
    assert_error_shape(auth.login("asst1", "wrong-wrong"), 429, "sign_in_delayed")


def test_too_many_failed_logins_from_one_address_is_a_429(app, client, world, auth, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_FAILURE_LIMIT", "3 per minute")
    for name in ("asst1", "asst2", "asst3"):
        assert auth.login(name, "wrong-wrong").status_code == 401
    assert_error_shape(auth.login("sup1", "wrong-wrong"), 429, "rate_limited")


def test_unexpected_failure_is_a_500_without_details(client, monkeypatch):
    def explode(*_args, **_kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(health_routes.Health, "get", lambda self: explode())
    response = client.get("/api/health")
    body = assert_error_shape(response, 500, "internal_error")
    assert "secret internals" not in body["message"]


def test_health_reports_app_and_database_up(client):
    assert client.get("/api/health").get_json() == {"status": "ok", "database": "ok"}
