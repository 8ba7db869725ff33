"""The project's flask-smorest Blueprint: request bodies read with orjson, text checked.

webargs parses JSON bodies with the standard library, bypassing Flask's JSON provider; on a
pushed batch (250 KB) that was a noticeable part of the request. Invalid JSON still reaches
webargs' own handler (orjson's error is a `json.JSONDecodeError`), so the error answer is
unchanged. A body nested deeper than either parser can follow is invalid JSON too (400), not a
crash.

Text no database can store (server/core/inputrules.py) is a 422 naming the field, in a body or a
query string, before any view reads it. The sync push opts out: it answers such a mutation
`rejected` on its own so the rest of the batch goes through.
"""

from __future__ import annotations

import json
from typing import Any

import flask
import flask_smorest
from webargs import core
from webargs.flaskparser import FlaskParser, abort, is_json_request

from server.core import jsoncodec
from server.core.inputrules import nest_errors, value_problems


class JSONBodyParser(FlaskParser):
    check_text = True

    def _raw_load_json(self, req: flask.Request) -> Any:
        if not is_json_request(req):
            return core.missing
        body = req.get_data(cache=True)
        try:
            value = jsoncodec.loads(body)
        except RecursionError:
            raise json.JSONDecodeError("Nested too deeply", "(body)", 0) from None
        if self.check_text:
            _refuse_unstorable(value)
        return value

    def load_querystring(self, req: flask.Request, schema: Any) -> Any:
        _refuse_unstorable(req.args.to_dict(flat=False))
        return super().load_querystring(req, schema)


def _refuse_unstorable(value: Any) -> None:
    problems = value_problems(value)
    if problems:
        errors = nest_errors([(path[:1] if path else path, message) for path, message in problems])
        abort(422, messages=errors)


class PushBodyParser(JSONBodyParser):
    check_text = False


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = JSONBodyParser()


class SyncBlueprint(Blueprint):
    """For the sync push, which judges each mutation's text on its own."""

    ARGUMENTS_PARSER = PushBodyParser()
