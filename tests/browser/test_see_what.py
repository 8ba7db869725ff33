"""See what you are looking at: names, titles and states in every list, namesakes told apart,
returned and rejected told apart, every message in the app's language, and the small signs
(progress, storage, WeChat, version) saying what is true."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect
from sqlalchemy import select

from server.core.clock import local_today
from server.domain.records.eligible_facts import BEFORE_BIRTH, WRONG_AGE, WRONG_SEX
from server.domain.records.model import ServiceRecord
from server.domain.registry.model import Resident
from tests.browser.conftest import VIEWPORT
from tests.browser.fieldapp import FieldApp, Person
from tests.browser.test_password_change import (
    TEMP,
    choose,
    reset_password,
    sign_in_with_temporary_password,
)
from tests.browser.test_review_and_deploy import _api_login
from tests.contracts.tables import FORMRULES_TABLES, table

WECHAT_UA = (
    "Mozilla/5.0 (Linux; Android 12; V2134A) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/107.0 Mobile Safari/537.36 MicroMessenger/8.0.40.2420 NetType/WIFI Language/zh_CN"
)
NOT_PERSISTED = """
  navigator.storage.persisted = async () => false;
  navigator.storage.persist = async () => false;
"""


def test_home_and_records_name_the_resident_form_and_state_of_a_record_from_the_server(
    live_server, page
):
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    app.register_household("上村4组1号", "李桂英", [Person("李桂英", tags=("hypertension",))])
    app.expect_outbox(0)
    with live_server.session() as s:
        resident_id = str(s.scalars(select(Resident).where(Resident.name == "李桂英")).one().id)
    # The same assistant's other phone uploads a record; a supervisor approves it.
    login = page.request.post(
        live_server.url + "/api/auth/login",
        data={"username": "asst1", "password": live_server.password, "device_id": "second-phone"},
    )
    other = {"Authorization": f"Bearer {login.json()['access_token']}"}
    record_id = str(uuid.uuid4())
    data = {
        "visit_method": "home",
        "bp_source": "measured",
        "medication": "regular",
        "blood_pressure": {"systolic": 130, "diastolic": 80},
        "complaints": ["none"],
    }
    pushed = page.request.post(
        f"{live_server.url}/api/sync/push",
        data={"device_id": "second-phone", "mutations": [{
            "mutation_id": str(uuid.uuid4()), "entity": "service_record", "op": "create",
            "id": record_id, "base_version": None, "client_time": "2026-06-01T08:00:00+08:00",
            "data": {"resident_id": resident_id, "form_code": "hypertension_followup",
                     "form_version": 1, "visit_date": local_today().isoformat(), "data": data}}]},
        headers=other,
    )  # fmt: skip
    assert pushed.ok and pushed.json()["results"][0]["status"] == "applied", pushed.text()
    approved = page.request.post(
        f"{live_server.url}/api/review/records/{record_id}/approve",
        data={"version": 1},
        headers=_api_login(page, live_server, "sup1"),
    )
    assert approved.ok, approved.text()

    app.go("/home")
    page.click("#sync-now")
    line = page.locator("#today-list li", has_text="李桂英")
    expect(line).to_have_text("李桂英 · 高血压患者随访 · 已通过")
    app.open_records()
    expect(page.locator("ul[data-state=approved] li")).to_contain_text(
        "李桂英 · 高血压患者随访 · 已通过"
    )
    expect(page.locator("#app")).not_to_contain_text("hypertension_followup")


def test_home_lists_a_few_of_the_days_records_and_links_to_all_of_them(live_server, network, page):
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    network.offline()
    app.register_household("上村4组2号", "张秀英", [Person("张秀英", tags=("hypertension",))])
    for _ in range(7):
        app.fill_hypertension_followup()
    app.go("/home")

    expect(page.locator("#today-list li")).to_have_count(5)
    expect(page.locator("#today-more")).to_have_text("查看今天全部 7 条记录")
    expect(page.locator("#drafts-link")).to_be_visible()


def test_returned_and_rejected_records_are_told_apart_on_home_and_on_the_record(live_server, page):
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    app.register_household("上村4组3号", "陈玉梅", [Person("陈玉梅", tags=("hypertension",))])
    app.fill_hypertension_followup(systolic=150, diastolic=95)
    app.fill_hypertension_followup(systolic=151, diastolic=95)
    app.expect_outbox(0)
    with live_server.session() as s:
        first, second = sorted(s.scalars(select(ServiceRecord)), key=lambda r: r.created_at)
        ids = {"returned": (first.id, first.version), "rejected": (second.id, second.version)}
    sup = _api_login(page, live_server, "sup1")
    for action, body in (("return", {"comment": "血压请复测"}), ("reject", {"reason": "重复记录"})):
        record_id, version = ids["returned" if action == "return" else "rejected"]
        answer = page.request.post(
            f"{live_server.url}/api/review/records/{record_id}/{action}",
            data={"version": version, **body},
            headers=sup,
        )
        assert answer.ok, answer.text()

    app.go("/home")
    page.click("#sync-now")
    expect(page.locator("#home-returned")).to_have_text("1 条记录被退回，请查看意见")
    expect(page.locator("#home-rejected")).to_have_text("1 条记录审核未通过，请查看原因")

    app.go(f"/records/{ids['returned'][0]}")
    expect(page.locator("#review-advice")).to_contain_text("督导退回，意见： 血压请复测")
    expect(page.locator("#correct")).to_have_text("修改后重新提交")
    app.go(f"/records/{ids['rejected'][0]}")
    expect(page.locator("#review-advice")).to_contain_text("审核未通过，原因： 重复记录")
    expect(page.locator("#review-advice")).to_contain_text("不计入工作量")
    expect(page.locator("#correct")).to_have_text("修改后重新提交审核")


def test_search_results_tell_two_namesakes_apart(live_server, page):
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    app.register_household(
        "东村1号", "王建国", [Person("王建国", sex="M", birth_date="1950-01-02")]
    )
    app.register_household(
        "西村8号",
        "刘淑芬",
        [Person("刘淑芬"), Person("王建国", sex="M", birth_date="1990-06-01", tags=("diabetes",))],
    )
    app.go("/residents")
    page.fill("#resident-search", "王建国")

    items = page.locator("#resident-list li")
    expect(items).to_have_count(2)
    text = items.all_inner_texts()
    assert any("户主 王建国 · 东村1号" in t and "1950-01-02" in t for t in text)
    assert any("户主 刘淑芬 · 西村8号" in t and "糖尿病" in t for t in text)
    assert all(re.search(r"\d+岁", t) for t in text)


def test_search_says_when_more_residents_match_than_it_shows(live_server, network, page):
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    network.offline()
    app.register_household("南村1号", "赵大山", [Person("赵大山", sex="M")])
    page.evaluate("""async () => {
      const outbox = await import('/js/outbox.js');
      const db = await import('/js/db.js');
      const [home] = await db.getAll('households');
      const items = [];
      for (let i = 0; i < 59; i += 1) {
        const data = { household_id: home.id, name: `赵${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${i}`,
          sex: 'M', birth_date: '1980-01-01', phone: null, tags: [] };
        items.push({ entity: 'resident', op: 'create', data,
          row: { ...data, id: crypto.randomUUID(), village_id: home.village_id } });
      }
      await outbox.queueAll(items);
    }""")
    app.go("/residents")
    page.fill("#resident-search", "赵")

    expect(page.locator("#resident-list li")).to_have_count(50)
    expect(page.locator("#resident-count")).to_have_text(
        "显示前 50 位，共找到 60 位：请输入更多字缩小范围。"
    )


def test_network_and_server_problems_are_worded_in_chinese(tab):
    got = tab.evaluate("""async () => {
      const i18n = await import('/js/i18n.js');
      i18n.addStrings({ 'zh-CN': (await import('/js/i18n/field.zh-CN.js')).default,
                        en: (await import('/js/i18n/field.en.js')).default });
      const w = await import('/js/screens/wording.js');
      return [
        w.refusalText({ status: 0, code: 'network', message: 'Failed to fetch' }),
        w.refusalText({ status: 403, code: 'device_revoked',
                        message: 'This device has been revoked; ask your supervisor.' }),
        w.refusalText({ status: 418, code: 'never_heard_of', message: 'Some English.' }),
        w.fieldErrorText('resident_id', ['Merged into a resident outside your villages.']),
        w.fieldErrorText('data', { parity: ['Must not be greater than gravidity.'] },
          { fields: [{ name: 'parity', label: { zh: '产次', en: 'Births' } },
                     { name: 'gravidity', label: { zh: '孕次', en: 'Pregnancies' } }] }),
        w.errorText('Must be between 60 and 280 mmHg.'),
        w.errorText('Nobody wrote this message down.'),
      ];
    }""")
    assert got[0].startswith("没有网络")
    assert "Failed" not in got[0]
    assert not re.search(r"[A-Za-z]{3,}", "".join(map(str, got)))
    assert got[3] == ["居民：这位居民已被合并到其他村的档案中，请联系督导。"]
    assert got[4] == ["产次：不能大于“孕次”。"]
    assert got[5] == "应在 60 到 280 之间。"


def test_upload_progress_never_says_zero_of_zero_and_waiting_counts_down(
    live_server, network, page
):
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    network.offline()
    app.register_household("上村4组4号", "孙丽", [Person("孙丽"), Person("孙强", sex="M")])
    app.go("/home")
    expect(page.locator("#stat-waiting b")).to_have_text("3")

    emit = "async (p) => (await import('/js/events.js')).emit('sync', p)"
    page.evaluate(emit, {"state": "running", "phase": "push", "done": 0, "total": 0})
    expect(page.locator("#sync-progress")).to_have_text("同步中…")
    page.evaluate(emit, {"state": "running", "phase": "push", "done": 2, "total": 3})
    expect(page.locator("#sync-progress p")).to_have_text("正在上传 2/3")
    expect(page.locator("#stat-waiting b")).to_have_text("1")


def test_the_storage_warning_shows_only_with_something_to_lose_and_says_how_to_keep_it(
    live_server, network, context, page
):
    context.add_init_script(NOT_PERSISTED)
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    app.go("/home")
    page.wait_for_selector("#stat-waiting")
    expect(page.locator("#storage-warning")).to_have_count(0)

    network.offline()
    app.register_household("上村4组5号", "钱芳", [Person("钱芳")])
    app.go("/home")
    warning = page.locator("#storage-warning")
    expect(warning).to_contain_text("添加到手机桌面")
    page.click("#storage-warning summary")
    expect(warning).to_contain_text("添加到主屏幕")


def test_a_persisted_phone_gets_no_storage_warning_even_with_records_waiting(
    live_server, network, context, page
):
    context.add_init_script("navigator.storage.persisted = async () => true;")
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    network.offline()
    app.register_household("上村4组6号", "周芳", [Person("周芳")])
    app.go("/home")
    page.wait_for_selector("#stat-waiting")
    expect(page.locator("#stat-waiting b")).to_have_text("2")
    expect(page.locator("#storage-warning")).to_have_count(0)


def test_wechats_browser_is_told_how_to_open_the_app_in_the_system_browser(live_server, browser):
    ctx = browser.new_context(viewport=VIEWPORT, locale="zh-CN", user_agent=WECHAT_UA)
    page = ctx.new_page()
    page.goto(live_server.url + "/")
    notice = page.locator("#wechat")
    expect(notice).to_contain_text("微信内置浏览器不能安装应用")
    expect(notice).to_contain_text("在浏览器打开")
    page.wait_for_load_state("networkidle")  # closed mid-download, the server warns of a file
    ctx.close()


def test_other_browsers_get_no_wechat_advice(live_server, page):
    page.goto(live_server.url + "/")
    page.wait_for_selector("input[name=username]")
    expect(page.locator("#wechat")).to_have_count(0)
    page.wait_for_load_state("networkidle")


def test_settings_show_the_app_version(live_server, page):
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    app.go("/settings")
    expect(page.locator("#app-version")).to_have_text(re.compile(r"^应用版本：[0-9a-f]{16}$"))


def test_the_password_form_shows_every_problem_at_once(live_server, page):
    reset_password(live_server, "asst1")
    sign_in_with_temporary_password(page, live_server, "asst1")
    choose(page, "", "short", "other")

    expect(page.locator("#current_password-error")).to_have_text("请输入当前的临时密码。")
    expect(page.locator("#new_password-error")).to_have_text("新密码太短：至少需要 8 位。")
    expect(page.locator("#repeat_password-error")).to_have_text("两次输入的新密码不一致。")
    choose(page, TEMP, TEMP, TEMP)
    expect(page.locator("#new_password-error")).to_have_text("新密码不能与临时密码相同。")


def test_units_in_english_come_from_the_forms_english_labels(live_server, page):
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    app.register_household("上村4组7号", "冯丽", [Person("冯丽", tags=("hypertension",))])
    app.go("/settings")
    page.select_option("#lang", "en")
    page.go_back()
    app.open_form("hypertension_followup")
    app.choose("bp_source", "measured")

    expect(page.locator("[data-field=heart_rate] label")).to_contain_text("(beats/min)")
    expect(page.locator("[data-field=cigarettes_per_day]")).to_contain_text("(cigarettes)")


def test_every_form_message_the_server_gives_is_worded_by_the_phone(tab):
    messages = sorted(
        {
            e["message"]
            for name in FORMRULES_TABLES
            for case in table(name)["cases"]
            for found in case["errors"].values()
            for e in found
        }
    )
    unworded = tab.evaluate(
        """async (messages) => {
          const w = await import('/js/screens/wording.js');
          return messages.filter((m) => w.serverRule(m).rule === 'server');
        }""",
        messages,
    )
    assert unworded == []


def test_a_record_refused_for_its_residents_birth_sex_or_age_is_worded_by_the_phone(tab):
    messages = [BEFORE_BIRTH, WRONG_SEX, WRONG_AGE]
    rules = tab.evaluate(
        """async (messages) => {
          const w = await import('/js/screens/wording.js');
          return messages.map((m) => w.serverRule(m).rule);
        }""",
        messages,
    )
    assert rules == ["before_birth", "wrong_sex", "wrong_age"]
