"""The field app's sync client under faults: lost answers and expired tokens."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import func, select

from server.domain.records.model import ServiceRecord
from server.domain.registry.model import Household, Resident
from tests.browser.fieldapp import FieldApp, Network, Person, until


def _counts(live) -> tuple[int, int, int]:
    with live.session() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(model))
            for model in (Household, Resident, ServiceRecord)
        )


def _access_token_expiry(page) -> int:
    """The `exp` claim (epoch seconds) of the access token the app holds."""
    token = page.evaluate(
        "async () => (await (await import('/js/db.js')).getMeta('session')).access_token"
    )
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["exp"]


def _work_offline(app: FieldApp, network: Network) -> None:
    network.offline()
    app.register_household("上村2组3号", "周桂兰", [Person("周桂兰", tags=("hypertension",))])
    app.fill_hypertension_followup()


def test_answer_lost_after_the_server_committed_leaves_no_duplicates(
    live_server, context, network, page
):
    app = FieldApp(page, live_server)
    app.sign_in("asst1")
    lost = []

    def lose_first_answer(route):
        if lost:
            route.continue_()
            return
        answer = route.fetch()  # the server receives and commits the batch...
        lost.append(answer.status)
        route.abort("connectionreset")  # ...but the phone never hears back

    # On the context, so an upload by the service worker (Background Sync) is caught as well;
    # registered before going offline, so the offline route takes precedence until then.
    context.route("**/api/sync/push", lose_first_answer)
    _work_offline(app, network)
    network.online()
    app.expect_outbox(0)

    assert lost == [200]
    assert _counts(live_server) == (1, 1, 1)
    expect(page.locator("ul[data-state=uploaded] li")).to_have_count(1)


def test_token_expired_while_offline_is_refreshed_and_the_upload_goes_through(
    live_server_factory, context, network, page
):
    live = live_server_factory(JWT_ACCESS_TOKEN_EXPIRES=timedelta(seconds=2))
    app = FieldApp(page, live)
    app.sign_in("asst1")
    _work_offline(app, network)
    until(page, f"() => Date.now() / 1000 > {_access_token_expiry(page)}")
    answers: list[tuple[str, int]] = []
    # The context sees the service worker's requests too; the page's own events would not.
    context.on(
        "response",
        lambda r: (
            answers.append((r.url.split("?")[0].rsplit("/api/", 1)[-1], r.status))
            if "/api/" in r.url
            else None
        ),
    )

    network.online()
    app.expect_outbox(0)

    assert ("sync/push", 401) in answers
    assert ("auth/refresh", 200) in answers
    assert answers.index(("auth/refresh", 200)) < answers.index(("sync/push", 200))
    assert _counts(live) == (1, 1, 1)
