"""The catalogue of problems: one code per refusal, published, documented and sent as written."""

from __future__ import annotations

import ast
import http
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from server.core import problems
from server.core.problems import PROBLEMS, Problem, catalogue
from server.extensions import db
from tests.factories import make_record, make_resident
from tests.problem_check import schema_violations

ROOT = Path(__file__).resolve().parents[2]
SNAKE = re.compile(r"^[a-z]+(_[a-z]+)*$")
KINDS = sorted(PROBLEMS.values(), key=lambda kind: kind.code)


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.code)
def test_a_code_is_snake_case(kind):
    assert SNAKE.match(kind.code)


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.code)
def test_a_status_is_a_client_or_server_error(kind):
    assert 400 <= kind.status < 600
    assert http.HTTPStatus(kind.status)


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.code)
def test_a_message_is_a_sentence_that_fills_with_its_parameters(kind):
    filled = kind.message.format(**{name: "x" for name in kind.params})
    assert filled[0].isupper()
    assert kind.message.endswith((".", "}"))


def test_every_constant_of_the_module_is_its_catalogue_entry():
    constants = {v.code: v for v in vars(problems).values() if isinstance(v, problems.ProblemType)}
    assert constants == PROBLEMS


def test_a_code_cannot_be_defined_twice():
    with pytest.raises(ValueError, match="defined twice"):
        problems._define("not_found", 404, "Again.")
    assert PROBLEMS["not_found"].message == "Not found."


def test_a_problem_takes_the_catalogue_message_filled_with_its_parameters():
    problem = Problem(problems.SEARCH_TOO_SHORT, min_digits=4)
    assert (problem.code, problem.status, problem.message) == (
        "search_too_short",
        422,
        "Type at least 4 digits.",
    )


def test_an_unknown_code_is_refused_where_it_is_raised():
    with pytest.raises(KeyError, match="not in the catalogue"):
        Problem("no_such_problem")


def _named_problems(path: Path):
    """(line, first argument) of every Problem(...) and Rejection(...) call in a source file."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in {
            "Problem",
            "Rejection",
        }:
            yield node.lineno, node.args[0] if node.args else None


SOURCES = sorted([*(ROOT / "server").rglob("*.py"), *(ROOT / "sync").rglob("*.py")])
# These pass on a problem their caller chose (a scope 404, an HTTP status, a rejection's code).
PASSING_ON = {"problems.py", "problemtype.py", "rejection.py", "scope.py", "errors.py"}


def test_every_raise_in_server_and_sync_names_a_catalogue_problem():
    unnamed = []
    for path in SOURCES:
        for line, first in _named_problems(path):
            named = (isinstance(first, ast.Name) and first.id in vars(problems)) or (
                isinstance(first, ast.Attribute) and first.attr in vars(problems)
            )
            if isinstance(first, ast.Constant):
                named = first.value in PROBLEMS
            if not named and path.name not in PASSING_ON:
                unnamed.append(f"{path.relative_to(ROOT)}:{line}")
    assert unnamed == []


def test_the_command_line_prints_the_catalogue_for_the_pwa():
    printed = subprocess.run(
        [sys.executable, "-m", "server.core.problems"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    exported = json.loads(printed)
    assert exported == catalogue()
    assert exported["search_too_short"] == {
        "status": 422,
        "message": "Type at least {min_digits} digits.",
        "params": ["min_digits"],
    }


def test_docs_list_every_code_with_its_status():
    text = (ROOT / "docs" / "problems.md").read_text(encoding="utf-8")
    listed = dict(re.findall(r"^\| `([a-z_]+)` \| (\d{3}) \|", text, flags=re.MULTILINE))
    assert listed == {code: str(kind.status) for code, kind in PROBLEMS.items()}


# -- The published schema ------------------------------------------------------------------------


@pytest.fixture
def spec(client) -> dict:
    return client.get("/api/openapi.json").get_json()


def test_the_published_error_schema_is_the_shape_sent(spec):
    schema = spec["components"]["schemas"]["Error"]
    assert set(schema["properties"]) == {"code", "message", "errors"}
    assert sorted(schema["required"]) == ["code", "message"]
    assert schema["additionalProperties"] is False
    assert schema["properties"]["code"] == {
        "type": "string",
        "enum": sorted(PROBLEMS),
        "description": schema["properties"]["code"]["description"],
    }


def test_every_documented_error_response_uses_the_published_schema(spec):
    error = {"$ref": "#/components/schemas/Error"}
    for name, response in spec["components"]["responses"].items():
        assert response["content"]["application/json"]["schema"] == error, name
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            for status, response in operation["responses"].items():
                if status.startswith(("2", "3")) or "$ref" in response:
                    continue
                assert response["content"]["application/json"]["schema"] == error, (
                    f"{method} {path} {status}"
                )


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ({"code": 404, "status": "Not Found"}, "code should be string"),
        ({"code": "not_found"}, "message is missing"),
        ({"code": "nope", "message": "x", "errors": {}}, "'nope' is not one of"),
        ({"code": "not_found", "message": "x", "errors": []}, "errors should be object"),
        ({"code": "not_found", "message": "x", "detail": "y"}, "detail is not in the schema"),
    ],
)
def test_the_suite_wide_check_refuses_a_body_off_the_schema(spec, body, complaint):
    found = schema_violations(body, spec["components"]["schemas"]["Error"])
    assert any(complaint in text for text in found), found


# -- A few specific codes on the wire ------------------------------------------------------------


def test_a_record_reviewed_twice_is_record_already_reviewed(client, world, auth):
    resident = make_resident(db.session, world.units["V1a"])
    record = make_record(db.session, resident, world.users["asst1"])
    db.session.commit()
    headers = auth.headers("sup1")
    url = f"/api/review/records/{record.id}/approve"
    assert client.post(url, json={"version": 1}, headers=headers).status_code == 200
    again = client.post(url, json={"version": 2}, headers=headers).get_json()
    assert again["code"] == "record_already_reviewed"
    assert again["message"].startswith("This record is already approved")


def test_a_forged_pull_cursor_is_cursor_invalid(client, world, auth):
    response = client.get("/api/sync/pull?since=not-a-cursor", headers=auth.headers("asst1"))
    assert response.status_code == 422
    body = response.get_json()
    assert (body["code"], list(body["errors"])) == ("cursor_invalid", ["since"])


def test_merging_a_resident_into_itself_is_merge_same_resident(client, world, auth):
    resident = make_resident(db.session, world.units["V1a"])
    db.session.commit()
    response = client.post(
        f"/api/residents/{resident.id}/merge",
        json={"duplicate_id": str(resident.id)},
        headers=auth.headers("sup1"),
    )
    assert (response.status_code, response.get_json()["code"]) == (422, "merge_same_resident")


def test_an_org_unit_out_of_scope_is_org_unit_not_found(client, world, auth):
    response = client.get(f"/api/org-units/{world.units['T2'].id}", headers=auth.headers("sup1"))
    assert (response.status_code, response.get_json()["code"]) == (404, "org_unit_not_found")


def test_a_too_short_password_names_the_rule(client, world, auth):
    response = client.post(
        "/api/users",
        json={
            "username": "newbie",
            "role": "assistant",
            "org_unit_id": world.units["V1a"].id,
            "password": "short",
        },
        headers=auth.headers("sup1"),
    )
    body = response.get_json()
    assert (response.status_code, body["code"]) == (422, "password_too_short")
    assert list(body["errors"]) == ["password"]
