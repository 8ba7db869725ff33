"""Unit tests of the PWA's pure modules, run in Chromium against the real files under pwa/js."""

from __future__ import annotations

import pytest

from tests.browser.conftest import VIEWPORT

FORM = {
    "code": "t",
    "version": 1,
    "fields": [
        {"name": "kind", "type": "choice", "required": True,
         "options": [{"value": "a"}, {"value": "b"}]},
        {"name": "detail", "type": "text", "required": True, "max_length": 5,
         "show_if": {"field": "kind", "equals": "b"}},
        {"name": "count", "type": "integer", "min": 0, "max": 10},
        {"name": "weight", "type": "decimal", "min": 0.5},
        {"name": "when", "type": "date", "not_future": True},
        {"name": "tags", "type": "multi_choice", "options": [{"value": "x"}, {"value": "y"}]},
        {"name": "ok", "type": "yes_no"},
        {"name": "bp", "type": "blood_pressure"},
        {"name": "who", "type": "resident"},
    ],
}  # fmt: skip


@pytest.fixture(scope="module")
def module_page(browser, module_live_server):
    """One page for the module: the modules under test are pure, so tests cannot disturb it."""
    ctx = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    page = ctx.new_page()
    page.goto(module_live_server.url + "/manifest.webmanifest")
    yield page
    ctx.close()


@pytest.fixture
def js(module_page):
    """Evaluates `body` with the named module bound to `m` in a page of the live server."""

    def run(module: str, body: str, arg=None):
        return module_page.evaluate(
            f"async (arg) => {{ const m = await import('/js/{module}.js'); {body} }}", arg
        )

    return run


def _errors(js, data: dict) -> dict:
    return js(
        "formrules",
        "return m.validate(arg.form, arg.data, { now: new Date('2026-06-01T12:00:00+08:00') });",
        {"form": FORM, "data": data},
    )


def test_valid_answers_have_no_errors(js):
    data = {
        "kind": "b", "detail": "abc", "count": 10, "weight": 0.5, "when": "2026-06-01",
        "tags": ["x", "y"], "ok": False, "bp": {"systolic": 120, "diastolic": 80},
        "who": "0b7e1c2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b",
    }  # fmt: skip
    assert _errors(js, data) == {}


@pytest.mark.parametrize(
    ("data", "field", "rule"),
    [
        ({}, "kind", "required"),
        ({"kind": "c"}, "kind", "choice"),
        ({"kind": "b"}, "detail", "required"),
        ({"kind": "b", "detail": "   "}, "detail", "required"),
        ({"kind": "b", "detail": "toolong"}, "detail", "max_length"),
        ({"kind": "a", "detail": "x"}, "detail", "hidden"),
        ({"kind": "a", "count": 11}, "count", "max"),
        ({"kind": "a", "count": 2.5}, "count", "type_integer"),
        ({"kind": "a", "weight": 0.4}, "weight", "min"),
        ({"kind": "a", "weight": "1"}, "weight", "type_number"),
        ({"kind": "a", "when": "2026-06-02"}, "when", "future"),
        ({"kind": "a", "when": "2026-02-30"}, "when", "type_date"),
        ({"kind": "a", "tags": ["x", "x"]}, "tags", "choice"),
        ({"kind": "a", "tags": ["z"]}, "tags", "choice"),
        ({"kind": "a", "ok": "yes"}, "ok", "type_yes_no"),
        ({"kind": "a", "bp": {"systolic": 80, "diastolic": 90}}, "bp", "bp_order"),
        ({"kind": "a", "bp": {"systolic": 300, "diastolic": 90}}, "bp", "between"),
        ({"kind": "a", "bp": {"systolic": 120}}, "bp", "bp_pair"),
        ({"kind": "a", "who": "nobody"}, "who", "resident"),
        ({"kind": "a", "extra": 1}, "extra", "unknown_field"),
    ],
)
def test_each_rule_reports_the_field_it_failed(js, data, field, rule):
    errors = _errors(js, data)
    assert rule in [e["rule"] for e in errors[field]]


def test_clean_drops_hidden_and_empty_answers(js):
    cleaned = js(
        "formrules",
        "return m.clean(arg.form, {kind: 'a', detail: 'left over', count: null, tags: []});",
        {"form": FORM},
    )
    assert cleaned == {"kind": "a"}


def test_today_follows_china_standard_time(js):
    assert js("formrules", "return m.today(new Date('2026-06-01T17:00:00Z'));") == "2026-06-02"


@pytest.mark.parametrize(("attempt", "low", "high"), [(0, 2500, 5000), (3, 20000, 40000)])
def test_backoff_grows_exponentially_with_jitter_inside_bounds(js, attempt, low, high):
    got = js(
        "backoff",
        "return [0, 1].map((r) => m.backoffDelay(arg, { random: () => r }));",
        attempt,
    )
    assert got == [low, high]


def test_backoff_never_exceeds_its_cap(js):
    assert js("backoff", "return m.backoffDelay(40, { random: () => 1 });") == 15 * 60 * 1000


@pytest.mark.parametrize(
    ("seconds", "low", "high"), [(1, 1000, 2000), (0, 0, 0), (30, 30000, 60000)]
)
def test_a_busy_server_is_retried_after_the_time_it_asked_plus_jitter(js, seconds, low, high):
    got = js(
        "backoff", "return [0, 1].map((r) => m.retryAfterDelay(arg, { random: () => r }));", seconds
    )
    assert got == [low, high]


@pytest.mark.parametrize(("size", "smaller"), [(200, 100), (3, 1), (1, 1)])
def test_a_refused_batch_is_halved_down_to_one(js, size, smaller):
    assert js("backoff", "return m.shrinkBatch(arg);", size) == smaller


@pytest.mark.parametrize(
    ("number", "problem"),
    [
        ("11010519491231002X", None),
        ("110105194912310021", "id_check"),
        ("110105194902300026", "id_birth"),
        ("1101051949123100", "id_format"),
    ],
)
def test_id_numbers_are_checked_like_the_server(js, number, problem):
    assert js("idnumber", "return m.idNumberProblem(arg);", number) == problem


def test_pbkdf2_verifier_accepts_the_password_and_nothing_else(js):
    result = js(
        "auth",
        """const v = await m.makeVerifier('asst1', 'secret-pass-1');
        return [await m.checkVerifier(v, 'secret-pass-1'),
                await m.checkVerifier(v, 'secret-pass-2'),
                JSON.stringify(v).includes('secret-pass-1')];""",
    )
    assert result == [True, False, False]


PEOPLE = [
    {"name": "张三丰", "name_pinyin": "zhangsanfeng", "name_initials": "zsf",
     "phone": "13800001111", "id_number_masked": "3505**********1234"},
    {"name": "曾国藩", "name_pinyin": "zengguofan cengguofan", "name_initials": "zgf cgf",
     "phone": None, "id_number_masked": "3505**********002X"},
    {"name": "单田芳", "name_pinyin": "shantianfang dantianfang", "name_initials": "stf dtf",
     "phone": "13900002222", "id_number_masked": None},
]  # fmt: skip


def _found(js, query: str) -> list[str]:
    return js(
        "search",
        "return arg.people.filter(m.residentMatcher(arg.q)).map((r) => r.name);",
        {"q": query, "people": PEOPLE},
    )


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("zsf", ["张三丰"]),
        ("ZhangSanFeng", ["张三丰"]),
        ("zhang san", ["张三丰"]),
        ("sanfeng", ["张三丰"]),
        ("zgf", ["曾国藩"]),
        ("cgf", ["曾国藩"]),
        ("cengguofan", ["曾国藩"]),
        ("shantianfang", ["单田芳"]),
        ("dtf", ["单田芳"]),
        ("田芳", ["单田芳"]),
        ("1111", ["张三丰"]),
        ("002x", ["曾国藩"]),
        ("139000", ["单田芳"]),
        ("  ", ["张三丰", "曾国藩", "单田芳"]),
        ("fanceng", []),
    ],
)
def test_offline_search_finds_what_the_server_search_finds(js, query, names):
    assert _found(js, query) == names
