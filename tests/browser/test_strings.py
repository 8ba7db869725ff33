"""The app's words: the field app's and the workspace's dictionaries are separate modules that
change nothing when imported, and problem codes are worded in one dictionary Python can read."""

from __future__ import annotations

import json

import pytest

from server.web import shell_of
from tests.browser.conftest import REPO

# problems.js gathers these three (strict JSON after `export default`, so Python reads them).
PROBLEM_DICTIONARIES = [
    REPO / "pwa" / "js" / "i18n" / "problems.access.js",
    REPO / "pwa" / "js" / "i18n" / "problems.records.js",
    REPO / "pwa" / "js" / "i18n" / "problems.security.js",
]
DICTIONARIES = {
    "field": ("/js/i18n/field.zh-CN.js", "/js/i18n/field.en.js"),
    "workspace": ("/js/workspace/strings.zh-CN.js", "/js/workspace/strings.en.js"),
    "accounts": ("/js/workspace/strings.accounts.zh-CN.js", "/js/workspace/strings.accounts.en.js"),
    "admin": ("/js/workspace/strings.admin.zh-CN.js", "/js/workspace/strings.admin.en.js"),
    "register": ("/js/i18n/register.zh-CN.js", "/js/i18n/register.en.js"),
    "episodes": ("/js/i18n/episodes.zh-CN.js", "/js/i18n/episodes.en.js"),
    "tags": ("/js/workspace/strings.tags.zh-CN.js", "/js/workspace/strings.tags.en.js"),
}


def problem_wording() -> dict[str, dict[str, str]]:
    """pwa/js/i18n/problems.js as data: `{code: {"zh": ..., "en": ...}}`, from the strict JSON
    of the dictionaries it gathers."""
    worded: dict[str, dict[str, str]] = {}
    for path in PROBLEM_DICTIONARIES:
        body = path.read_text(encoding="utf-8").split("\nexport default ", 1)[1].strip()
        part = json.loads(body.removesuffix(";"))
        assert not set(part) & set(worded), path  # each code worded once
        worded.update(part)
    return worded


def test_every_problem_the_server_can_send_is_worded_in_both_languages():
    from server.core.problems import PROBLEMS

    worded = problem_wording()
    unworded = sorted(
        code for code in PROBLEMS if not (worded.get(code, {}).get("zh") and worded[code].get("en"))
    )
    assert unworded == []


def test_every_worded_problem_has_chinese_and_english():
    incomplete = {
        code: words
        for code, words in problem_wording().items()
        if set(words) != {"zh", "en"} or not all(words.values())
    }
    assert incomplete == {}


def test_the_app_reads_the_problem_wording_python_reads(tab):
    got = tab.evaluate("async () => (await import('/js/i18n/problems.js')).default")
    assert got == problem_wording()


@pytest.mark.parametrize("owner", DICTIONARIES)
def test_both_languages_of_a_dictionary_have_the_same_keys(tab, owner):
    zh, en = DICTIONARIES[owner]
    missing = tab.evaluate(
        """async ([zh, en]) => {
          const a = Object.keys((await import(zh)).default);
          const b = Object.keys((await import(en)).default);
          return { en: a.filter((k) => !b.includes(k)), zh: b.filter((k) => !a.includes(k)) };
        }""",
        [zh, en],
    )
    assert missing == {"en": [], "zh": []}


def test_importing_the_workspace_changes_no_dictionary(tab):
    got = tab.evaluate(
        """async () => {
          const i18n = await import('/js/i18n.js');
          const zh = (await import('/js/i18n/field.zh-CN.js')).default;
          const before = Object.keys(zh).length;
          await import('/js/workspace/workspace.js');
          return { added: Object.keys(zh).length - before, title: i18n.t('ws.title') };
        }"""
    )
    assert got == {"added": 0, "title": "ws.title"}


def test_the_field_shell_holds_its_dictionaries_and_not_the_workspaces():
    files = set(shell_of(REPO / "pwa").files)
    assert {"/js/i18n/field.zh-CN.js", "/js/i18n/field.en.js", "/js/i18n/problems.js"} <= files
    assert not files & set(DICTIONARIES["workspace"])


def test_the_field_shell_holds_the_form_styles_and_no_workspace_styles():
    files = set(shell_of(REPO / "pwa").files)
    assert "/css/forms.css" in files
    assert not {f for f in files if f.startswith("/css/workspace")}
