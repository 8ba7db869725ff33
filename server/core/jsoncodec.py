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
