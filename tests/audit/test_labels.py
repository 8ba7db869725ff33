"""The export's Chinese action and object names are the workspace screen's."""

from __future__ import annotations

import re
from pathlib import Path

from server.domain.audit.labels import ACTION_ZH, ENTITY_ZH

REPO = Path(__file__).resolve().parents[2]


def _workspace(prefix: str, language: str = "zh-CN") -> dict[str, str]:
    # The audit screen's labels live in the admin screens' dictionary.
    source = (REPO / f"pwa/js/workspace/strings.admin.{language}.js").read_text(encoding="utf-8")
    return dict(re.findall(rf"'{re.escape(prefix)}\.([\w.]+)': '([^']+)'", source))


def test_every_action_has_the_same_chinese_name_in_the_export_and_on_screen():
    assert _workspace("audit.action") == ACTION_ZH


def test_every_object_type_has_the_same_chinese_name_in_the_export_and_on_screen():
    assert _workspace("audit.entity") == ENTITY_ZH


def test_every_action_has_an_english_name():
    assert set(_workspace("audit.action", "en")) == set(ACTION_ZH)
