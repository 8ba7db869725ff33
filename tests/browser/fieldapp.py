"""Drives the field app the way an assistant does: taps and typing, no shortcuts into its code."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import BrowserContext, Page, Route, expect

from tests.browser.conftest import LiveServer

SW_CONTROLLED = "() => navigator.serviceWorker.controller !== null"
OUTBOX_COUNT = "n => document.querySelector('#outbox-count')?.dataset.count === String(n)"
API = "**/api/**"


@dataclass
class Person:
    name: str
    sex: str = "F"
    birth_date: str = "1958-03-04"
    phone: str = ""
    tags: tuple[str, ...] = ()


def until(page: Page, predicate: str, timeout_ms: int = 30_000) -> object:
    """Polls an async page predicate until it is truthy.

    `page.wait_for_function` takes the Promise an async predicate returns as truthy at once, so
    it cannot wait on IndexedDB; this re-evaluates instead.
    """
    for _ in range(timeout_ms // 50):
        value = page.evaluate(predicate)
        if value:
            return value
        page.wait_for_timeout(50)
    raise AssertionError(f"still false after {timeout_ms} ms: {predicate.strip()[:80]}")


class Network:
    """The phone's signal, cut for the page AND its service worker, as a real loss of signal does.

    `set_offline` is the emulation the page sees (navigator.onLine, the `online` event); the
    context route makes sure no API request of the service worker's (Background Sync runs the
    same upload) reaches the server either, whatever the emulation covers in this Chromium. It is
    registered anew on every `offline()`, so it takes precedence over any fault route a test
    registered earlier (Playwright tries the latest registered route first).
    """

    def __init__(self, context: BrowserContext) -> None:
        self.context = context
        self.is_offline = False

    def offline(self) -> None:
        if self.is_offline:
            return
        self.context.route(API, self._no_signal)
        self.context.set_offline(True)
        self.is_offline = True

    def online(self) -> None:
        """Brings the signal back; the page's `online` event then starts a sync."""
        if not self.is_offline:
            return
        self.context.unroute(API, self._no_signal)
        self.context.set_offline(False)
        self.is_offline = False

    @staticmethod
    def _no_signal(route: Route) -> None:
        route.abort("internetdisconnected")


class FieldApp:
    def __init__(self, page: Page, live: LiveServer) -> None:
        self.page = page
        self.live = live

    def go(self, route: str) -> None:
        self.page.evaluate("r => { location.hash = r; }", route)

    def sign_in(self, username: str = "asst1") -> None:
        """Signs in online and waits for the first sync (forms cached) and the service worker."""
        self.page.goto(self.live.url + "/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", self.live.password)
        self.page.click("form button[type=submit]")
        self.page.wait_for_selector("#stat-waiting")
        self.wait_synced()
        self.page.wait_for_function(SW_CONTROLLED)

    def wait_synced(self) -> None:
        """Waits until a sync round has finished since the last call."""
        until(
            self.page,
            """async () => {
                const db = await import('/js/db.js');
                return Boolean(await db.getMeta('last_sync')) && (await db.count('forms')) > 0;
            }""",
        )

    def unlock_if_asked(self) -> None:
        if self.page.locator("#app h1").inner_text() in ("解锁", "Unlock"):
            self.page.fill("input[name=password]", self.live.password)
            self.page.click("form button[type=submit]")

    def register_household(self, address: str, head: str, people: list[Person]) -> None:
        self.go("/households/new")
        page = self.page
        page.fill("input[name=address]", address)
        page.fill("input[name=head_name]", head)
        for i, person in enumerate(people):
            if i:
                page.click("text=添加成员")
            page.fill(f"input[name=name-{i}]", person.name)
            page.select_option(f"select[name=sex-{i}]", person.sex)
            page.fill(f"input[name=birth-{i}]", person.birth_date)
            if person.phone:
                page.fill(f"input[name=phone-{i}]", person.phone)
            for tag in person.tags:
                page.check(f"input[name=tags-{i}][value={tag}]")
        page.click("#household-form button[type=submit]")
        page.wait_for_selector("#form-choices")

    def open_form(self, code: str) -> None:
        self.page.click(f"#form-choices a[href*='/form/{code}?']")
        self.page.wait_for_selector("#service-form")

    def choose(self, field: str, value: str) -> None:
        self.page.check(f"#service-form input[name={field}][value={value}]")

    def save_form(self) -> None:
        self.page.click("#service-form button[type=submit]")
        self.page.click("#confirm-save")
        self.page.wait_for_selector("#timeline, #outbox-count")

    def fill_health_record(self) -> None:
        self.open_form("health_record")
        self.choose("action", "register")
        self.choose("residence_type", "registered")
        self.choose("consent_given", "yes")
        self.save_form()

    def answer_hypertension_followup(self, systolic: int = 150, diastolic: int = 95) -> None:
        """Answers every question the current version (v3) requires, as after a home visit.

        The clinic has not yet seen them this quarter; nothing urgent today. A reading at the
        danger value (≥180/110 mmHg) makes "reported today" required, and an assistant reports.
        """
        self.choose("visit_method", "home")
        self.choose("bp_source", "measured")
        self.page.fill("input[name='blood_pressure.systolic']", str(systolic))
        self.page.fill("input[name='blood_pressure.diastolic']", str(diastolic))
        self.choose("medication", "regular")
        self.choose("complaints", "none")
        self.choose("danger_signs", "none")
        if systolic >= 180 or diastolic >= 110:
            self.choose("reported_to_village_doctor_today", "yes")
        self.choose("doctor_followup_this_quarter", "not_yet")

    def fill_hypertension_followup(self, systolic: int = 150, diastolic: int = 95) -> None:
        self.open_form("hypertension_followup")
        self.answer_hypertension_followup(systolic, diastolic)
        self.save_form()

    def open_records(self) -> None:
        self.go("/records")
        self.page.wait_for_selector("#outbox-count")

    def expect_outbox(self, count: int) -> None:
        self.open_records()
        self.page.wait_for_function(OUTBOX_COUNT, arg=count)
        expect(self.page.locator("#outbox-count")).to_have_attribute("data-count", str(count))
