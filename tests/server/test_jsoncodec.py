"""JSON through orjson: the same values in and out as the standard library gave."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime

from flask.json.provider import DefaultJSONProvider

from server.core import jsoncodec


def test_a_stored_value_reads_back_equal_with_chinese_kept_as_text():
    value = {"notes": "血压偏高，已建议复测", "sizes": [1, 2.5, None, True]}
    text = jsoncodec.dumps(value)
    assert "血压偏高" in text
    assert jsoncodec.loads(text) == value


def test_values_orjson_refuses_are_still_written():
    assert json.loads(jsoncodec.dumps({"n": 2**70})) == {"n": 2**70}
    assert json.loads(jsoncodec.dumps({1: "one"})) == {"1": "one"}


def test_nan_written_by_the_standard_encoder_is_still_read():
    assert jsoncodec.loads('{"x": NaN}')["x"] != jsoncodec.loads('{"x": NaN}')["x"]


def test_answers_read_exactly_as_flasks_own_encoder_wrote_them(app):
    value = {
        "at": datetime(2026, 11, 23, 8, 30, tzinfo=UTC),
        "day": date(2026, 11, 23),
        "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "name": "张三丰",
        "huge": 2**70,
        "nested": [{"b": 1, "a": 2}],
    }
    ours = app.json.dumps(value)
    flasks = DefaultJSONProvider(app)
    flasks.ensure_ascii = False
    flasks.sort_keys = False
    assert json.loads(ours) == json.loads(flasks.dumps(value))
    assert list(json.loads(ours)) == list(value)  # key order kept
