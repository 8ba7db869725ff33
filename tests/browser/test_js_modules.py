"""Unit tests of the PWA's pure modules, run in Chromium against the real files under pwa/js.

Rules the server shares (form answers, eligibility, ID numbers, search, rebase) run from the
contract tables instead: tests/browser/test_contracts_js.py.
"""

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


def test_pbkdf2_verifier_accepts_the_password_and_nothing_else(js):
    result = js(
        "auth",
        """const v = await m.makeVerifier('asst1', 'secret-pass-1');
        return [await m.checkVerifier(v, 'secret-pass-1'),
                await m.checkVerifier(v, 'secret-pass-2'),
                JSON.stringify(v).includes('secret-pass-1')];""",
    )
    assert result == [True, False, False]


@pytest.mark.parametrize(
    ("instant", "counted"),
    [
        ("2026-12-01T16:00:00.000Z", True),  # 00:00 on 2 December in China
        ("2026-12-02T15:59:59.999Z", True),
        ("2026-12-02T16:00:00.000Z", False),  # 3 December in China
        ("2026-12-01T15:59:59+00:00", False),
        ("2026-12-02T08:30:00.123456+00:00", True),  # the server's form of an instant
    ],
)
def test_a_record_created_after_midnight_in_china_counts_for_that_china_day(js, instant, counted):
    inside = js(
        "data",
        "return m.chinaDayInstants('2026-12-02').includes(arg);",
        instant,
    )
    assert inside is counted
