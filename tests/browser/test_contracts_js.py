"""The contract tables (tests/contracts/*.json) run through the phone's modules in Chromium.

The server passes the same cases in tests/contracts/test_*.py. Each test runs one whole table in
one page call and fails naming every case the phone gets wrong, with what it got.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import VIEWPORT
from tests.contracts.tables import FORMRULES_TABLES, definition_for, table


@pytest.fixture(scope="module")
def run(browser, module_live_server):
    """Evaluates `body` with the named module bound to `m` and the cases bound to `cases`."""
    ctx = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    page = ctx.new_page()
    page.goto(module_live_server.url + "/manifest.webmanifest")

    def evaluate(module: str, body: str, cases: list[dict[str, Any]]) -> list[Any]:
        return page.evaluate(
            f"async (cases) => {{ const m = await import('/js/{module}.js'); {body} }}", cases
        )

    yield evaluate
    ctx.close()


def _mismatches(cases: list[dict[str, Any]], got: list[Any], expected: list[Any]) -> list[str]:
    assert len(got) == len(cases)
    return [
        f"{case['name']}: got {g!r}, expected {e!r}"
        for case, g, e in zip(cases, got, expected, strict=True)
        if g != e
    ]


@pytest.mark.parametrize("name", FORMRULES_TABLES)
def test_the_phone_reports_the_rule_of_each_form_case(run, name):
    cases = [
        {**case, "definition": definition_for(name, case["form"]),
         "today": case.get("today") or table(name)["today"]}
        for case in table(name)["cases"]
    ]  # fmt: skip
    got = run(
        "formrules",
        """return cases.map((c) => {
          const now = new Date(`${c.today}T12:00:00+08:00`);
          const errors = m.validate(c.definition, c.answers, { now, visitDate: c.visit_date });
          const rules = Object.entries(errors).map(([f, es]) => [f, es.map((e) => e.rule)]);
          return Object.fromEntries(rules);
        });""",
        cases,
    )
    expected = [
        {field: [e["rule"] for e in found] for field, found in case["errors"].items()}
        for case in cases
    ]
    assert _mismatches(cases, got, expected) == []


def test_the_phone_decides_eligibility_as_the_table_says(run):
    cases = table("eligibility")["cases"]
    got = run(
        "formrules",
        """return cases.map((c) =>
          m.eligible(c.form, c.resident, c.on ?? m.today(new Date(c.now))));""",
        cases,
    )
    assert _mismatches(cases, got, [case["eligible"] for case in cases]) == []


def test_the_phone_suggests_what_the_table_says(run):
    cases = table("suggestions")["cases"]
    got = run(
        "suggest",
        """return cases.map((c) => m.suggestions({ fields: c.fields }, {
          birthDate: c.birth_date, visitDate: c.visit_date, prior: c.prior,
          excludeId: c.exclude_id, data: c.data ?? {} }));""",
        cases,
    )
    assert _mismatches(cases, got, [case["suggested"] for case in cases]) == []


def test_the_phone_flags_the_dangers_the_table_says(run):
    cases = [
        {**case, "definition": definition_for("dangerflags", case["form"])}
        for case in table("dangerflags")["cases"]
    ]
    got = run("danger", "return cases.map((c) => m.dangerFlags(c.definition, c.data));", cases)
    assert _mismatches(cases, got, [case["flags"] for case in cases]) == []


def test_the_phone_gives_the_tables_problem_for_each_id_number(run):
    cases = table("idnumber")["cases"]
    got = run("idnumber", "return cases.map((c) => m.idNumberProblem(c.number));", cases)
    assert _mismatches(cases, got, [case["problem"] for case in cases]) == []


def test_the_phone_search_matches_as_the_table_says(run):
    cases = table("search")["cases"]
    got = run(
        "search",
        """return cases.map((c) => m.residentMatcher(c.query)(
          { name: c.resident, name_pinyin: c.keys.full, name_initials: c.keys.initials,
            phone: c.phone, household: c.household,
            id_number_masked: c.id_number && c.id_number.slice(0, 6) + '*'.repeat(12) }));""",
        cases,
    )
    assert _mismatches(cases, got, [case["matches"] for case in cases]) == []


def test_the_phone_rebases_as_the_table_says(run):
    cases = table("rebase")["cases"]
    got = run("rebase", "return cases.map((c) => m.rebasedBase(c.args));", cases)
    assert _mismatches(cases, got, [case["base"] for case in cases]) == []


def test_the_phone_changes_tags_on_life_events_as_the_table_says(run):
    cases = table("lifeevents")["cases"]
    got = run("lifeevents", "return cases.map((c) => m.tagsAfter(c.tags, c.event));", cases)
    assert _mismatches(cases, got, [case["after"] for case in cases]) == []


def test_the_phone_folds_effects_as_the_table_says(run):
    effects = table("effects")
    cases = [{**case, "resident_id": effects["resident_id"],
              "definitions": effects["definitions"]} for case in effects["cases"]]  # fmt: skip
    got = run(
        "effects",
        """const strip = (rows) => rows.map(({ id, ...row }) => row);
        return Promise.all(cases.map(async (c) => {
          const def = (code, version) =>
            c.definitions.find((d) => d.code === code && d.version === version) || null;
          const out = await m.fold(c.resident_id, c.records, def);
          return { episodes: strip(out.episodes), spans: strip(out.spans) };
        }));""",
        cases,
    )
    expected = [{"episodes": case["episodes"], "spans": case["spans"]} for case in cases]
    assert _mismatches(cases, got, expected) == []


def test_the_phone_ends_the_register_spans_a_record_ends_as_the_table_says(run):
    effects = table("effects")
    cases = [{**case, "resident_id": effects["resident_id"], "definitions": effects["definitions"]}
             for case in effects["cases"] if "told" in case]  # fmt: skip
    got = run(
        "effects",
        """return Promise.all(cases.map(async (c) => {
          const def = (code, version) =>
            c.definitions.find((d) => d.code === code && d.version === version) || null;
          const out = await m.fold(c.resident_id, c.records, def);
          return m.endTold(c.told, out.ends);
        }));""",
        cases,
    )
    assert _mismatches(cases, got, [case["told_after"] for case in cases]) == []


def test_the_phone_names_folded_rows_as_the_server(run):
    cases = table("effects")["ids"]
    got = run(
        "effects",
        """return Promise.all(cases.map(([what, r, name, cond, rec]) =>
          what === 'episode' ? m.episodeId(r, name, cond, rec) : m.spanId(r, name, rec)));""",
        [case["of"] for case in cases],
    )
    assert _mismatches(cases, got, [case["id"] for case in cases]) == []


def test_the_phone_holds_the_tags_the_table_says(run):
    cases = table("tagspans")["cases"]
    got = run(
        "tagspans",
        """return cases.map((c) => [m.effectiveTags(c.resident, c.spans, ON),
                                   m.programmeTags(c.resident, c.spans, ON)]);""".replace(
            "ON", repr(table("tagspans")["on"])
        ),
        cases,
    )
    expected = [[case["effective"], case["programme"]] for case in cases]
    assert _mismatches(cases, got, expected) == []
