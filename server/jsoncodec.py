"""JSON for database columns, request bodies and answers: orjson, with the standard library
as the fallback.

Every pushed record is written as JSON four times (row, version, audit, ledger result) and
read back on every pull; the standard encoder was a tenth of a push's server time. orjson
writes the same JSON values, compactly and with Chinese as UTF-8 rather than `\\uXXXX`
escapes. What orjson refuses takes the standard library's path, so nothing that was accepted
before is refused now: integers beyond 64 bits and keys that are not strings when writing,
NaN and Infinity (not JSON, but Python's reader takes them) when reading.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from flask.json.provider import DefaultJSONProvider


def dumps(value: Any) -> str:
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        return json.dumps(value, ensure_ascii=False)


def loads(text: str | bytes) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


class JSONProvider(DefaultJSONProvider):
    """Flask's provider, reading and writing with orjson (a push answer holds 500 results).

    Dates, times, dataclasses and whatever else Flask's encoder knows are handed back to its
    `default`, so every answer reads exactly as before; pretty printing (debug) and anything
    orjson refuses take Flask's own path.
    """

    ensure_ascii = False
    sort_keys = False
    _OPTIONS = (
        orjson.OPT_PASSTHROUGH_DATETIME
        | orjson.OPT_PASSTHROUGH_DATACLASS
        | orjson.OPT_PASSTHROUGH_SUBCLASS
        | orjson.OPT_NON_STR_KEYS
    )

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        if not kwargs:
            try:
                return orjson.dumps(obj, default=self.default, option=self._OPTIONS).decode()
            except TypeError:
                pass
        return super().dumps(obj, **kwargs)

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return loads(s) if not kwargs else super().loads(s, **kwargs)
