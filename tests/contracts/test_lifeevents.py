"""Life events: the server's table gives the tags the contract cases say, and the phone's
table (pwa/js/lifeevents.js) is the same table."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from server.domain.registry.lifeevents import LIFE_EVENTS, tags_after
from server.domain.registry.model import TAGS
from tests.contracts.tables import cases

JS = Path(__file__).resolve().parents[2] / "pwa" / "js" / "lifeevents.js"


@pytest.mark.parametrize("case", cases("lifeevents"))
def test_the_server_changes_tags_as_the_table_says(case):
    assert tags_after(case["tags"], case["event"]) == case["after"]


def _js_array(name: str) -> list:
    source = JS.read_text(encoding="utf-8")
    body = re.search(rf"export const {name} = (\[.*?\]);\n", source, re.S).group(1)
    body = re.sub(r"(\w+):", r'"\1":', body.replace("'", '"'))
    return json.loads(re.sub(r",(\s*[\]}])", r"\1", body))


def test_the_phone_holds_the_same_rules():
    assert _js_array("LIFE_EVENTS") == [dict(rule) for rule in LIFE_EVENTS]


def test_the_phone_orders_tags_as_the_catalogue():
    assert _js_array("TAG_ORDER") == list(TAGS)
