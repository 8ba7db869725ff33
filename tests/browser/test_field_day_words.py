"""The Chinese app speaks Chinese on every screen of a field day, and each screen is
photographed at 360x640 (test-artifacts/browser/field-day/, git-ignored) for people to look at.

A word of Latin letters on a screen is a string someone forgot to translate, a form code, or the
server's English. Allowed: units the forms write in Latin letters (kg, mmHg, ...), the language
chooser's own name for English, the app version's hexadecimal digits, and what the user typed
(the username)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from tests.browser.fieldapp import FieldApp, Person

LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z/]*[A-Za-z]")
ALLOWED = {"kg", "cm", "mmHg", "mmol/L", "MB", "Language", "English"}
VERSION = re.compile(r"\b[0-9a-f]{16}\b")


def latin_words(page, typed: tuple[str, ...] = ("asst1",)) -> set[str]:
    """Latin words on the screen, leaving out what the user typed (the username)."""
    text = VERSION.sub("", page.locator("body").inner_text())
    for words in typed:
        text = text.replace(words, "")
    return {word for word in LATIN_WORD.findall(text) if word not in ALLOWED}


class Walk:
    """Photographs each screen and notes the Latin words found on it."""

    def __init__(self, page, folder) -> None:
        self.page = page
        self.folder = folder
        self.found: dict[str, set[str]] = {}
        self.shots: list[str] = []

    def look(self, name: str) -> None:
        self.page.wait_for_selector("#app h1")
        self.page.wait_for_timeout(150)  # a redraw after a sync settles
        shot = f"{len(self.shots) + 1:02d}-{name}.png"  # in the order of the day
        self.shots.append(shot)
        self.page.screenshot(path=str(self.folder / shot), full_page=True)
        words = latin_words(self.page)
        if words:
            self.found[name] = words


def test_the_field_day_screens_show_no_english_in_the_chinese_app(
    live_server, network, page, artifacts
):
    folder = artifacts / "field-day"
    folder.mkdir(parents=True, exist_ok=True)
    walk = Walk(page, folder)
    app = FieldApp(page, live_server)
    page.goto(live_server.url + "/")
    page.wait_for_selector("input[name=username]")
    walk.look("login")
    app.sign_in("asst1")
    walk.look("home")

    app.go("/households/new")
    page.click("#household-form button[type=submit]")
    walk.look("household-errors")
    app.go("/home")
    app.register_household("上村6组3号", "李桂英", [Person("李桂英", tags=("hypertension",))])
    walk.look("resident-new")
    app.open_form("hypertension_followup")
    walk.look("form")
    page.fill("#visit_date", (date.today() + timedelta(days=3)).isoformat())
    page.click("#service-form button[type=submit]")
    walk.look("form-errors")
    page.fill("#visit_date", date.today().isoformat())
    app.answer_hypertension_followup(systolic=150, diastolic=95)
    page.fill("input[name=weight_kg]", "61.5")
    page.click("#service-form button[type=submit]")
    page.wait_for_selector("#form-summary")
    walk.look("form-summary")
    page.click("#confirm-save")
    page.wait_for_selector("#flash")
    walk.look("resident-saved")

    network.offline()
    page.reload()
    page.wait_for_selector("#app h1")
    walk.look("unlock")
    app.unlock_if_asked()
    page.wait_for_function("() => document.querySelector('#app h1')?.textContent !== '解锁'")
    app.go("/form/health_education")
    page.wait_for_selector("#service-form")
    walk.look("activity-form")
    app.go("/residents")
    page.fill("#resident-search", "李桂英")
    page.click("#resident-list a")
    page.wait_for_selector("#form-choices")
    app.fill_health_record()
    app.open_form("hypertension_followup")
    app.choose("visit_method", "phone")
    app.go("/drafts")
    walk.look("drafts")
    app.go("/home")
    walk.look("home-offline")
    app.open_records()
    walk.look("records")
    page.click("ul[data-state=waiting] a")
    page.wait_for_selector("#record-state")
    walk.look("record-waiting")
    app.go("/residents")
    page.fill("#resident-search", "lgy")
    page.wait_for_selector("#resident-list a")
    walk.look("search")

    network.online()
    app.expect_outbox(0)
    app.go("/records")
    page.click("ul[data-state=uploaded] a")
    walk.look("record-uploaded")
    app.go("/settings")
    walk.look("settings")
    app.go("/home")
    walk.look("home-synced")

    assert walk.found == {}
    assert not page.js_errors
