"""The evening storm: each Locust user is one phone syncing once at the end of a field day.

    locust -f bench/storm/locustfile.py --headless -u 600 -r 2 -t 5m --host http://127.0.0.1:8000

(`bench/storm/run.py` builds the county, starts the server and runs this for you.) A phone:
signs in (a refresh-token exchange, as an installed phone resumes its session; with
`STORM_PASSWORD_SHARE` of the phones, a password sign-in, argon2 included), pulls its village
to the end, spends the evening's think time, pushes the day's work in one batch (20-60
mutations: 0-2 new households, 1-4 new residents, the rest hypertension follow-ups of the
village's residents), then pulls again, and stops. Network behaviour of a phone: a 503 (or
429) is waited out as its `Retry-After` says and sent again (the mutation ids make a resend
harmless); a connection failure is retried with backoff. Every 5xx and every connection failure
is a Locust failure (retried or not); a phone that gives up is reported as `PHONE gave_up`.
The whole evening of a phone is reported as the pseudo-request `PHONE evening` (its time is
the phone's wall time, think time included), records accepted as `PHONE records` (count in
`response_length`).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from locust import FastHttpUser, events, task

ACCOUNTS = json.loads(Path(os.environ.get("STORM_ACCOUNTS", "storm-accounts.json")).read_text())
OUT = os.environ.get("STORM_OUT")  # where run.py reads every request's time back
PASSWORD_SHARE = float(os.environ.get("STORM_PASSWORD_SHARE", "0.1"))
THINK = tuple(float(x) for x in os.environ.get("STORM_THINK", "1,4").split(","))
RETRIES = 6
_next = itertools.count()
FORM = "hypertension_followup"


def _pseudo(name: str, took_ms: float, length: int = 0, error: Exception | None = None) -> None:
    events.request.fire(request_type="PHONE", name=name, response_time=took_ms,
                        response_length=length, exception=error, context={})  # fmt: skip


class Phone(FastHttpUser):
    """One assistant's phone; `wait_time` is unused: the evening paces itself."""

    network_timeout = 60.0
    connection_timeout = 10.0

    def on_start(self) -> None:
        n = next(_next)
        self.done = n >= len(ACCOUNTS["accounts"])
        if self.done:
            return
        self.account = ACCOUNTS["accounts"][n]
        self.rng = random.Random(n)
        self.headers: dict[str, str] = {}
        self.cursor: str | None = None
        self.residents: list[str] = []
        self.households: list[str] = []

    # --- network -------------------------------------------------------------------------

    def call(self, method: str, path: str, name: str, **kw):
        """One request as a phone sends it: 503/429 waited out, connection failures retried."""
        for attempt in range(RETRIES):
            with self.client.request(
                method, path, name=name, headers=self.headers, catch_response=True, **kw
            ) as answer:
                status = answer.status_code or 0
                if status in (429, 503):
                    wait = float(answer.headers.get("Retry-After") or 1)
                    answer.failure(f"{status}, retried after {wait:.0f} s")
                elif status == 0 or status >= 500:
                    wait = min(2**attempt, 16)
                    answer.failure(f"{status or 'connection'}: {answer.error}")
                elif status >= 400:
                    answer.failure(f"{status}: {answer.text[:200]}")
                    raise Refused(f"{name}: {status}")
                else:
                    answer.success()
                    return answer.json()
            time.sleep(wait * (1 + self.rng.random() * 0.2))
        raise Refused(f"{name}: retries spent")

    def think(self) -> None:
        time.sleep(self.rng.uniform(*THINK))

    # --- the evening ---------------------------------------------------------------------

    @task
    def evening(self) -> None:
        if self.done:  # Locust keeps -u users alive: a phone that has synced stays idle
            time.sleep(3600)
            return
        self.done = True
        started = time.perf_counter()
        try:
            self.sign_in()
            self.pull()
            self.think()
            accepted = self.push()
            self.think()
            self.pull()
        except Refused as error:
            _pseudo("gave_up", (time.perf_counter() - started) * 1000, error=error)
        else:
            _pseudo("evening", (time.perf_counter() - started) * 1000)
            _pseudo("records", 0, length=accepted)
        finally:
            _finished.append(1)

    def sign_in(self) -> None:
        account = self.account
        if account.get("refresh_token") and self.rng.random() >= PASSWORD_SHARE:
            self.headers = {"Authorization": f"Bearer {account['refresh_token']}"}
            tokens = self.call("POST", "/api/auth/refresh", "/api/auth/refresh")
        else:
            body = {"username": account["username"], "password": ACCOUNTS["password"],
                    "device_id": account["device_id"], "device_label": "storm phone"}  # fmt: skip
            tokens = self.call("POST", "/api/auth/login", "/api/auth/login", json=body)
        self.headers = {"Authorization": f"Bearer {tokens['access_token']}"}

    def pull(self) -> None:
        while True:
            query = {"limit": 1000, "queued": 0}
            if self.cursor:
                query["since"] = self.cursor
            page = self.call("GET", "/api/sync/pull", "/api/sync/pull", params=query)
            for change in page["changes"]:
                if change["op"] != "upsert":
                    continue
                if change["entity"] == "resident":
                    self.residents.append(change["id"])
                elif change["entity"] == "household":
                    self.households.append(change["id"])
            self.cursor = page["cursor"]
            if not page["has_more"]:
                return

    def push(self) -> int:
        batch = self.day_of_work()
        body = {"device_id": self.account["device_id"], "queued": len(batch), "mutations": batch}
        answer = self.call("POST", "/api/sync/push", "/api/sync/push", json=body)
        done = [r for r in answer["results"] if r["status"] in ("applied", "duplicate")]
        if len(done) != len(batch):
            raise Refused(f"push: {len(batch) - len(done)} of {len(batch)} not applied")
        return len(done)

    def day_of_work(self) -> list[dict]:
        rng, now = self.rng, datetime.now(UTC).isoformat()
        size = rng.randint(20, 60)
        out: list[dict] = []

        def mutation(entity: str, data: dict) -> str:
            ident = str(uuid.uuid4())
            out.append({"mutation_id": str(uuid.uuid4()), "entity": entity, "op": "create",
                        "id": ident, "base_version": None, "data": data,
                        "client_time": now})  # fmt: skip
            return ident

        homes = [mutation("household", {"address": f"新户 {rng.randint(1, 99)} 号"})
                 for _ in range(rng.randint(0, 2))]  # fmt: skip
        people = list(self.residents)
        for k in range(rng.randint(1, 4)):
            home = rng.choice(homes + self.households) if homes or self.households else None
            born = date(1950, 1, 1) + timedelta(days=rng.randrange(20_000))
            people.append(mutation("resident", {"name": f"新居民{k}", "sex": "MF"[k % 2],
                                                "birth_date": born.isoformat(),
                                                "household_id": home,
                                                "tags": ["hypertension"]}))  # fmt: skip
        today = date.today()
        while len(out) < size:
            n = len(out)
            mutation("service_record", {
                "resident_id": rng.choice(people), "form_code": FORM, "form_version": 1,
                "visit_date": (today - timedelta(days=rng.randint(0, 2))).isoformat(),
                "data": {"visit_method": "home", "bp_source": "measured",
                         "blood_pressure": {"systolic": 118 + n % 40, "diastolic": 70 + n % 20},
                         "heart_rate": 60 + n % 30, "medication": "regular",
                         "complaints": ["none"], "notes": "晚间同步"},
            })  # fmt: skip
        return out


_seen: list[tuple[str, str, float, float, int, bool]] = []


@events.request.add_listener
def _note(request_type, name, response_time, response_length, exception, start_time=None, **_):
    """Every request and pseudo-request: (type, name, ms, started, length, failed)."""
    begun = start_time if start_time is not None else time.time() - response_time / 1000
    _seen.append((request_type, name, response_time, begun, response_length, exception is not None))


@events.spawning_complete.add_listener
def _quit_when_every_phone_is_done(user_count, **_):
    """Each phone syncs once: once all were spawned and none is left, the storm is over."""
    import gevent
    from locust.runners import Runner

    def watch(runner: Runner) -> None:
        while len(_finished) < min(user_count, len(ACCOUNTS["accounts"])):
            gevent.sleep(0.5)
        runner.quit()

    gevent.spawn(watch, _runner[0])


_runner: list = []
_finished: list[int] = []


@events.init.add_listener
def _keep_runner(environment, **_):
    _runner.append(environment.runner)


@events.quitting.add_listener
def _dump(environment, **_):
    if OUT:
        Path(OUT).write_text(json.dumps(_seen))


class Refused(Exception):
    """The server refused, or the phone gave up: this phone's evening did not complete."""
