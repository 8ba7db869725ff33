"""The form screen with issue 17's rules: computed fields filled live and read-only, a suggested
visit number the user may change, a red warning when a danger value is met that makes the
"reported today" question required, and dates checked against the date of service."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from server.domain.records.catalogue import publish_definition
from server.domain.records.model import ServiceRecord
from tests.browser.fieldapp import FieldApp, Person


def _label(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


RULE_CHECK = {
    "code": "rule_check",
    "version": 1,
    "title": _label("规则检查", "Rule check"),
    "category": "test",
    "weight": 1,
    "subject": "resident",
    "non_medical": True,
    "fields": [
        {
            "name": "lmp",
            "type": "date",
            "label": _label("末次月经", "LMP"),
            "not_future": True,
            "visit_offset_days": {"min": -300, "max": 0},
        },
        {
            "name": "edd",
            "type": "date",
            "label": _label("预产期", "EDD"),
            "compute": {"add_days": {"field": "lmp", "days": 280}},
        },
        {
            "name": "weeks",
            "type": "integer",
            "label": _label("孕周", "Weeks"),
            "compute": {"weeks_since": "lmp"},
        },
        {
            "name": "visit_no",
            "type": "integer",
            "label": _label("第几次随访", "Visit number"),
            "min": 1,
            "suggest": {"count_prior": "rule_check"},
        },
        {"name": "bp", "type": "blood_pressure", "label": _label("血压", "BP"), "unit": "mmHg"},
        {"name": "reported", "type": "yes_no", "label": _label("今日已报告", "Reported today")},
    ],
    "danger": [
        {
            "id": "bp_crisis",
            "label": _label("血压≥180/110", "BP 180/110 or higher"),
            "any": [
                {"field": "bp", "part": "systolic", "gte": 180},
                {"field": "bp", "part": "diastolic", "gte": 110},
            ],
            "requires": "reported",
        }
    ],
}


@pytest.fixture
def field_app(live_server, page) -> FieldApp:
    with live_server.session() as session:
        publish_definition(session, RULE_CHECK, None)
        session.commit()
    field = FieldApp(page, live_server)
    field.sign_in("asst1")
    field.register_household("上村2组5号", "周敏", [Person("周敏", birth_date="1995-04-02")])
    field.open_form("rule_check")
    return field


def _enter_bp(page, systolic: int, diastolic: int) -> None:
    page.fill("input[name='bp.systolic']", str(systolic))
    page.fill("input[name='bp.diastolic']", str(diastolic))


def _visit(page) -> date:
    return date.fromisoformat(page.input_value("#visit_date"))


def test_edd_and_weeks_are_computed_from_the_lmp_as_it_is_typed(field_app):
    page = field_app.page
    lmp = _visit(page) - timedelta(days=70)
    page.fill("[data-field=lmp] input", lmp.isoformat())
    edd = page.locator("[data-field=edd] input")
    expect(edd).to_have_value((lmp + timedelta(days=280)).isoformat())
    expect(edd).to_have_attribute("readonly", "")
    expect(page.locator("[data-field=weeks] input")).to_have_value("10")
    page.fill("[data-field=lmp] input", "")
    expect(edd).to_have_value("")


def test_the_visit_number_is_suggested_and_the_user_may_change_it(field_app):
    page = field_app.page
    visit_no = page.locator("input[name=visit_no]")
    expect(visit_no).to_have_value("1")
    expect(page.locator("[data-field=visit_no] .suggested")).to_be_visible()
    visit_no.fill("3")
    expect(page.locator("[data-field=visit_no] .suggested")).to_be_hidden()


def test_a_danger_value_warns_at_once_and_requires_the_report_answer(field_app):
    page = field_app.page
    _enter_bp(page, 185, 100)
    warning = page.locator("[data-field=bp] [data-danger=bp_crisis]")
    expect(warning).to_contain_text("血压≥180/110")
    expect(warning).to_contain_text("今日已报告")
    page.click("#service-form button[type=submit]")
    expect(page.locator("[data-field=reported] .errors")).to_contain_text("危险值")
    field_app.choose("reported", "yes")
    page.click("#service-form button[type=submit]")
    expect(page.locator("#form-summary")).to_be_visible()


def test_a_danger_value_no_longer_met_takes_the_warning_away(field_app):
    page = field_app.page
    _enter_bp(page, 185, 100)
    expect(page.locator("[data-danger=bp_crisis]")).to_be_visible()
    _enter_bp(page, 150, 100)
    expect(page.locator("[data-danger=bp_crisis]")).to_have_count(0)


def test_an_lmp_too_long_before_the_date_of_service_is_refused_in_chinese(field_app):
    page = field_app.page
    page.fill("[data-field=lmp] input", (_visit(page) - timedelta(days=301)).isoformat())
    page.click("#service-form button[type=submit]")
    errors = page.locator("[data-field=lmp] .errors")
    expect(errors).to_have_text("须在服务日期前 0 至 300 天之间。")


def test_the_server_accepts_the_computed_answers_the_phone_filled(field_app, live_server):
    page = field_app.page
    lmp = _visit(page) - timedelta(days=70)
    page.fill("[data-field=lmp] input", lmp.isoformat())
    field_app.save_form()

    field_app.expect_outbox(0)
    with live_server.session() as session:
        stored = session.scalars(
            select(ServiceRecord.data).where(ServiceRecord.form_code == "rule_check")
        ).one()
    assert stored == {
        "lmp": lmp.isoformat(),
        "edd": (lmp + timedelta(days=280)).isoformat(),
        "weeks": 10,
        "visit_no": 1,
    }


def test_the_servers_messages_of_these_rules_are_worded_in_chinese_with_the_forms_labels(tab):
    got = tab.evaluate(
        """async (def) => {
          const i18n = await import('/js/i18n.js');
          i18n.addStrings({ 'zh-CN': (await import('/js/i18n/field.zh-CN.js')).default,
                            en: (await import('/js/i18n/field.en.js')).default });
          const w = await import('/js/screens/wording.js');
          return [
            'Must be between 0 and 300 days before the visit date.',
            'Must be between 1 and 30 days after the visit date.',
            'Must be from 3 days before to 3 days after the visit date.',
            'Must not be before lmp.',
            'Must be 2026-04-30: it is computed from lmp.',
            'Must be empty: it is computed from lmp.',
            'This field is required: BP 180/110 or higher.',
          ].map((m) => w.errorText(m, def));
        }""",
        RULE_CHECK,
    )
    assert got == [
        "须在服务日期前 0 至 300 天之间。",
        "须在服务日期后 1 至 30 天之间。",
        "须在服务日期前 3 天至后 3 天之间。",
        "不能早于“末次月经”。",
        "应为 2026-04-30：由“末次月经”自动计算。",
        "应为空：由“末次月经”自动计算，请先填写“末次月经”。",
        "已达危险值（血压≥180/110），此项必须填写。",
    ]
