"""Flask's JSON provider on the project's codec (orjson, standard library as fallback)."""

from __future__ import annotations

from typing import Any

import orjson
from flask.json.provider import DefaultJSONProvider

from server.core.jsoncodec import loads


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
