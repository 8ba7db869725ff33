"""The authorization matrix: every API endpoint, each role, inside and outside its scope.

Callers are asst1 (village V1a), sup1 (township T1) and admin (the county). "Inside" targets live
in V1a; "outside" targets live in V2a of township T2, beyond asst1's and sup1's reach (the admin
reaches both); "far" targets live in another county, beyond everyone's reach, the admin's too (a
provincial server holds many counties). A role the endpoint does not serve gets 403; a target out
of scope gets 404, exactly as if it did not exist; and no successful answer mentions people the
caller may not see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.server.access_scene import FAR_MARKERS, OUTSIDE_MARKERS, Scene, build_scene

ALL = ("assistant", "supervisor", "admin")
STAFF = ("supervisor", "admin")
CALLERS = {"assistant": "asst1", "supervisor": "sup1", "admin": "admin"}
PUBLIC = {"/api/health", "/api/auth/login", "/api/auth/refresh", "/api/openapi.json"}


@dataclass
class Endpoint:
    method: str
    rule: str
    roles: tuple[str, ...]
    params: Callable[[Scene, str], dict[str, Any]] | None = None
    body: Callable[[Scene, str], Any] | None = None
    ok: int = 200
    scoped: bool = True
    out: int = 404

    @property
    def name(self) -> str:
        return f"{self.method} {self.rule}"


def by(key: str, name: str | None = None):
    return lambda scene, side: {name or f"{key}_id": scene[f"{key}_{side}"]}


ENDPOINTS = [
    Endpoint("GET", "/api/me", ALL, scoped=False),
    Endpoint(
        "POST",
        "/api/me/password",
        ALL,
        body=lambda s, _: {"current_password": "secret-pass-1", "new_password": "a-new-pass-22"},
        scoped=False,
    ),
    Endpoint("POST", "/api/auth/logout", ALL, scoped=False),
    Endpoint("GET", "/api/org-units", ALL, scoped=False),
    Endpoint("GET", "/api/org-units/<int:unit_id>", ALL, by("village", "unit_id")),
    Endpoint("GET", "/api/forms", ALL, scoped=False),
    Endpoint("POST", "/api/forms", ("admin",), body=lambda s, _: {}, ok=422, scoped=False),
    Endpoint("GET", "/api/users", STAFF, scoped=False),
    Endpoint(
        "POST",
        "/api/users",
        STAFF,
        body=lambda s, side: {
            "username": f"new-{side}",
            "role": "assistant",
            "org_unit_id": s[f"village_{side}"],
            "password": "a-new-pass-22",
        },
        ok=201,
        out=422,
    ),
    Endpoint("GET", "/api/users/<int:user_id>", STAFF, by("user")),
    Endpoint(
        "PATCH",
        "/api/users/<int:user_id>",
        STAFF,
        by("user"),
        body=lambda s, _: {"full_name": "改名"},
    ),
    Endpoint(
        "POST",
        "/api/users/<int:user_id>/password",
        STAFF,
        by("user"),
        body=lambda s, _: {"password": "a-new-pass-22"},
    ),
    Endpoint("POST", "/api/users/<int:user_id>/deactivate", STAFF, by("user")),
    Endpoint("POST", "/api/users/<int:user_id>/activate", STAFF, by("user")),
    Endpoint("GET", "/api/users/<int:user_id>/devices", STAFF, by("user")),
    Endpoint(
        "POST",
        "/api/users/<int:user_id>/devices/<int:device_id>/revoke",
        STAFF,
        lambda s, side: {"user_id": s[f"user_{side}"], "device_id": s[f"device_{side}"]},
    ),
    Endpoint("GET", "/api/residents", STAFF, scoped=False),
    Endpoint("POST", "/api/residents/search", STAFF, body=lambda s, _: {"q": "zsf"}, scoped=False),
    Endpoint("GET", "/api/residents/<uuid:resident_id>", STAFF, by("resident")),
    Endpoint(
        "POST",
        "/api/residents/duplicates",
        ALL,
        body=lambda s, _: {"name": "无此人", "birth_date": "1990-01-01"},
        scoped=False,
    ),
    Endpoint(
        "POST",
        "/api/residents/<uuid:keep_id>/merge",
        STAFF,
        lambda s, side: {"keep_id": s[f"resident_{side}"]},
        body=lambda s, side: {"duplicate_id": str(s[f"duplicate_{side}"])},
    ),
    Endpoint(  # the scene's residents are active: reached, and told there is nothing to restore
        "POST", "/api/residents/<uuid:resident_id>/restore", STAFF, by("resident"), ok=409
    ),
    Endpoint("GET", "/api/tags/to-confirm", STAFF, scoped=False),
    Endpoint(
        "POST",
        "/api/residents/<uuid:resident_id>/tags/<tag>/confirm",
        STAFF,
        lambda s, side: {"resident_id": s[f"resident_{side}"], "tag": "hypertension"},
    ),
    Endpoint(  # the scene's residents hold no diabetes: reached, and told so
        "POST",
        "/api/residents/<uuid:resident_id>/tags/<tag>/remove",
        STAFF,
        lambda s, side: {"resident_id": s[f"resident_{side}"], "tag": "diabetes"},
        body=lambda s, _: {"note": "核实无此病"},
        ok=409,
    ),
    Endpoint("GET", "/api/households", STAFF, scoped=False),
    Endpoint("GET", "/api/households/<uuid:household_id>", STAFF, by("household")),
    Endpoint("GET", "/api/review/records", STAFF, scoped=False),
    Endpoint("GET", "/api/review/records/<uuid:record_id>", STAFF, by("record")),
    Endpoint("GET", "/api/review/records/<uuid:record_id>/neighbours", STAFF, by("record")),
    Endpoint("GET", "/api/review/counts", STAFF, scoped=False),
    # Without the record it asks about, the phone's own lost values are a 422 for every role.
    Endpoint("GET", "/api/conflicts/mine", ALL, ok=422, scoped=False),
    Endpoint("GET", "/api/duplicates", STAFF, scoped=False),
    *(  # the scene holds no suspected pair: staff reach the endpoint and find nothing
        Endpoint(
            "POST",
            f"/api/duplicates/<int:pair_id>/{action}",
            STAFF,
            lambda s, side: {"pair_id": 999_999},
            body=body,
            ok=404,
            scoped=False,
        )
        for action, body in [
            ("merge", lambda s, side: {"keep_id": str(s[f"resident_{side}"])}),
            ("dismiss", None),
        ]
    ),
    Endpoint(
        "POST",
        "/api/review/records/<uuid:record_id>/approve",
        STAFF,
        by("record"),
        body=lambda s, _: {"version": 1},
    ),
    Endpoint(
        "POST",
        "/api/review/records/<uuid:record_id>/return",
        STAFF,
        by("record"),
        body=lambda s, _: {"version": 1, "comment": "请补充血压"},
    ),
    Endpoint(
        "POST",
        "/api/review/records/<uuid:record_id>/reject",
        STAFF,
        by("record"),
        body=lambda s, _: {"version": 1, "reason": "重复录入"},
    ),
    Endpoint(
        "POST",
        "/api/review/records/approve",
        STAFF,
        body=lambda s, side: {"items": [{"id": str(s[f"record_{side}"]), "version": 1}]},
        out=200,  # answered per item: the out-of-scope one is refused as not_found
    ),
    Endpoint("GET", "/api/conflicts", STAFF, scoped=False),
    Endpoint(
        "POST",
        "/api/conflicts/<int:conflict_id>/resolve",
        STAFF,
        by("conflict"),
        body=lambda s, _: {"choice": "client"},
    ),
    Endpoint("GET", "/api/overview", STAFF, scoped=False),
    Endpoint("GET", "/api/exports/records.csv", STAFF, scoped=False),
    Endpoint("GET", "/api/exports/records.xlsx", STAFF, scoped=False),
    # Setting up a county: empty bodies are refused by the schema (422) once role allows.
    Endpoint("POST", "/api/org-units", ("admin",), body=lambda s, _: {}, ok=422, scoped=False),
    Endpoint(
        "PATCH",
        "/api/org-units/<int:unit_id>",
        ("admin",),
        by("village", "unit_id"),
        body=lambda s, side: {"name": f"改名村{side}"},
    ),
    Endpoint("GET", "/api/org-units/<int:unit_id>/settings", STAFF, by("village", "unit_id")),
    Endpoint(
        "PATCH",
        "/api/org-units/<int:unit_id>/settings",
        ("admin",),
        by("village", "unit_id"),
        body=lambda s, _: {"nip_version": "nip_2021"},
    ),
    Endpoint(  # the scene's villages hold people: reached, and refused as not empty
        "DELETE", "/api/org-units/<int:unit_id>", ("admin",), by("village", "unit_id"), ok=409
    ),
    *(
        Endpoint("POST", rule, roles, body=lambda s, _: {}, ok=422, scoped=False)
        for rule, roles in [
            ("/api/org-units/import", ("admin",)),
            ("/api/org-units/import/preview", ("admin",)),
            ("/api/users/import", ("admin",)),
            ("/api/users/import/preview", ("admin",)),
            ("/api/residents/import", STAFF),
            ("/api/residents/import/preview", STAFF),
        ]
    ),
    Endpoint("GET", "/api/audit", STAFF, scoped=False),
    Endpoint("GET", "/api/audit/export.csv", STAFF, scoped=False),
    Endpoint("GET", "/api/audit/export.xlsx", STAFF, scoped=False),
    Endpoint("GET", "/api/sync/pull", ALL, scoped=False),
    Endpoint(
        "POST",
        "/api/sync/push",
        ALL,
        body=lambda s, _: {"device_id": "matrix-phone", "mutations": []},
        scoped=False,
    ),
]


def _api_rules(app) -> set[str]:
    names = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api") or rule.rule in PUBLIC:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            names.add(f"{method} {rule.rule}")
    return names


def _url(endpoint: Endpoint, scene: Scene, side: str) -> str:
    path = endpoint.rule
    for key, value in (endpoint.params(scene, side) if endpoint.params else {}).items():
        head, _, tail = path.partition("<")
        converter, _, rest = tail.partition(">")
        assert converter.split(":")[-1] == key, (endpoint.rule, key)
        path = f"{head}{value}{rest}"
    return path


def _call(client, endpoint: Endpoint, scene: Scene, side: str, headers: dict[str, str]):
    body = endpoint.body(scene, side) if endpoint.body else None
    return client.open(
        _url(endpoint, scene, side), method=endpoint.method, json=body, headers=headers
    )


def test_every_api_endpoint_is_in_the_matrix(app):
    assert _api_rules(app) == {e.name for e in ENDPOINTS}


def test_every_non_public_endpoint_asks_for_a_token(app, client, world):
    scene = build_scene(world)
    for endpoint in ENDPOINTS:
        response = _call(client, endpoint, scene, "in", {})
        assert response.status_code == 401, endpoint.name
        assert response.get_json()["code"] == "missing_token"


CASES = [
    pytest.param(endpoint, role, side, id=f"{endpoint.name}-{role}-{side}")
    for endpoint in ENDPOINTS
    for role in ALL
    for side in (("in", "out", "far") if endpoint.scoped else ("in",))
]


def expected_status(endpoint: Endpoint, role: str, side: str) -> int:
    if role not in endpoint.roles:
        return 403
    if side == "far" or (side == "out" and role != "admin"):
        return endpoint.out
    return endpoint.ok


@pytest.mark.parametrize(("endpoint", "role", "side"), CASES)
def test_role_and_scope_decide_the_answer(client, world, auth, endpoint, role, side):
    scene = build_scene(world)
    headers = auth.headers(CALLERS[role], device_id="matrix-phone")
    response = _call(client, endpoint, scene, side, headers)
    assert response.status_code == expected_status(endpoint, role, side), response.data[:300]
    if (
        response.status_code < 300
        and response.mimetype in ("application/json", "text/csv")
        and endpoint.name != "POST /api/residents/duplicates"
    ):
        text = response.get_data(as_text=True)
        hidden = FAR_MARKERS + (OUTSIDE_MARKERS if role != "admin" else ())
        leaked = [marker for marker in hidden if marker in text]
        assert leaked == [], f"{endpoint.name} showed {leaked} to {role}"
