"""Hypothesis stateful: phones edit offline over a network that loses requests and answers.

Three phones (two assistants in village V1a, one in V2a) create, update and delete households,
residents and hypertension follow-up records in their local view, push in batches of random size
and pull; each request may be dropped before the server sees it or lose its answer after the
server committed, and the client retries. Supervisors approve, return or reject pending records
through the review endpoints meanwhile. When the run ends the network heals, every phone syncs,
and the promises of docs/sync-protocol.md are checked against the database:

- every phone holds exactly what the server holds for its village (versions and data);
- no mutation was applied twice: each version of each row was made by one ledger entry or one
  review, and the audit trail holds one entry per version;
- every value the server accepted (in the data of a mutation answered applied, merged or
  conflict, whether or not the phone heard the answer) is in the version that write produced,
  and later is either still in the record, kept in a Conflict row, or was replaced by a writer
  whose base version showed it (a deliberate edit, not a lost update).

Each example starts from empty tables: the suite's fixture only wipes between tests.
"""

from __future__ import annotations

import contextlib
import uuid
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    precondition,
    rule,
    run_state_machine_as_test,
)

from server.domain.records.catalogue import load_definitions
from server.extensions import db
from sync.client import (
    SyncClient,
    SyncError,
)
from tests.factories import PASSWORD, make_user, make_world
from tests.sync.conftest import BP_VISIT
from tests.sync.stateful_checks import EndOfDayChecks
from tests.sync.stateful_desk import SupervisorDesk
from tests.sync.stateful_model import (
    ADDRESSES,
    HEADS,
    MODELS,
    NAMES,
    PATCHES,
    PHONES,
    Ear,
    Wire,
    choose,
    choose_phone,
    fates,
    form_patch,
    household_patch,
    phone_index,
    pick,
    resident_patch,
    tag_lists,
    wipe_tables,
)
from tests.sync.test_client_http import Devices, FlakyTransport


class OfflinePhones(SupervisorDesk, EndOfDayChecks, RuleBasedStateMachine):
    """The phones, the supervisors, and a record of everything sent and heard."""

    app: Flask  # bound by the test that runs the machine

    def __init__(self) -> None:
        super().__init__()
        wipe_tables()
        world = make_world(db.session)
        make_user(db.session, "asst1b", "assistant", world.units["V1a"])
        load_definitions(db.session)
        db.session.commit()
        self.village_ids = {name: world.units[name].id for name in ("V1a", "V2a")}
        self.v1b = world.units["V1b"].id  # the other village of sup1's township: no phones
        self.moves = 0
        self.devices = Devices(self.app)
        self.sent: dict[str, dict[str, Any]] = {}
        self.heard: list[dict[str, Any]] = []
        self.review_versions: dict[str, set[int]] = defaultdict(set)
        self.staff_tokens: dict[str, str] = {}
        self.networks: list[FlakyTransport] = []
        self.created = 0
        self.phones: list[SyncClient] = []
        for username, _village in PHONES:
            network = FlakyTransport(Wire(self.devices.transport(), self.sent))
            phone = SyncClient(
                Ear(network, self.heard),
                device_id=f"{username}-{uuid.uuid4().hex[:8]}",
                max_attempts=3,
                sleep=lambda seconds: None,
                rand=lambda: 1.0,
            )
            phone.login(username, PASSWORD)
            self.networks.append(network)
            self.phones.append(phone)

    # -- offline edits ------------------------------------------------------------------------

    @rule(
        i=phone_index,
        address=st.sampled_from(ADDRESSES),
        head=st.sampled_from(HEADS),
        low_income=st.booleans(),
    )
    def create_household(self, i: int, address: str, head: str, low_income: bool) -> None:
        data = {"address": address, "head_name": head, "low_income": low_income}
        self.phones[i].create("household", data, id=self.new_id())

    def new_id(self) -> str:
        """Record ids in creation order, so a replayed example picks the same records."""
        self.created += 1
        return str(uuid.UUID(f"00000000-0000-4000-8000-{self.created:012x}"))

    def holders(self, entity: str) -> list[SyncClient]:
        """The phones that have at least one `entity` in their local view."""
        return [phone for phone in self.phones if phone.records(entity)]

    @rule(
        i=phone_index,
        household=st.none() | pick,
        name=st.sampled_from(NAMES),
        sex=st.sampled_from("MF"),
        age=st.integers(1, 90),
        tags=tag_lists,
    )
    def create_resident(
        self, i: int, household: int | None, name: str, sex: str, age: int, tags: list[str]
    ) -> None:
        phone = self.phones[i]
        household_id = None if household is None else choose(phone.records("household"), household)
        born = date(date.today().year - age, 3, 2).isoformat()
        data = {"household_id": household_id, "name": name, "sex": sex, "birth_date": born}
        values = {**data, "id_number": None, "phone": None, "tags": tags}
        phone.create("resident", values, id=self.new_id())

    @precondition(lambda self: self.holders("resident"))
    @rule(i=pick, resident=pick, days_ago=st.integers(0, 60), extra=form_patch)
    def create_service_record(self, i: int, resident: int, days_ago: int, extra: dict) -> None:
        phone = choose_phone(self.holders("resident"), i)
        data = {
            "resident_id": choose(phone.records("resident"), resident),
            "form_code": "hypertension_followup",
            "form_version": 1,
            "visit_date": (date.today() - timedelta(days=days_ago)).isoformat(),
            "data": {**BP_VISIT, **extra},
        }
        phone.create("service_record", data, id=self.new_id())

    def _update(self, i: int, entity: str, which: int, patch: dict[str, Any]) -> None:
        phone = choose_phone(self.holders(entity), i)
        phone.update(entity, choose(phone.records(entity), which), patch)

    @precondition(lambda self: self.holders("household"))
    @rule(i=pick, which=pick, patch=household_patch)
    def update_household(self, i: int, which: int, patch: dict[str, Any]) -> None:
        self._update(i, "household", which, patch)

    @precondition(lambda self: self.holders("resident"))
    @rule(i=pick, which=pick, patch=resident_patch)
    def update_resident(self, i: int, which: int, patch: dict[str, Any]) -> None:
        self._update(i, "resident", which, patch)

    @precondition(lambda self: self.holders("resident"))
    @rule(i=pick, which=pick, household=pick)
    def move_resident(self, i: int, which: int, household: int) -> None:
        phone = choose_phone(self.holders("resident"), i)
        household_id = choose(phone.records("household"), household)
        if household_id is not None:
            phone.update(
                "resident", choose(phone.records("resident"), which), {"household_id": household_id}
            )

    @precondition(lambda self: self.holders("service_record"))
    @rule(i=pick, which=pick, patch=form_patch)
    def update_service_record(self, i: int, which: int, patch: dict[str, Any]) -> None:
        self._update(i, "service_record", which, {"data": patch})

    @precondition(lambda self: any(self.holders(entity) for entity in MODELS))
    @rule(i=pick, entity=st.sampled_from(sorted(MODELS)), which=pick)
    def delete(self, i: int, entity: str, which: int) -> None:
        phones = self.holders(entity)
        if phones:
            phone = choose_phone(phones, i)
            phone.delete(entity, choose(phone.records(entity), which))

    @precondition(lambda self: self.shared())
    @rule(which=pick, data=st.data())
    def edit_the_same_record_on_two_phones(self, which: int, data: st.DataObject) -> None:
        """Both phones of V1a change one record they both hold, offline: a merge or a conflict."""
        entity, record_id = choose(self.shared(), which)
        for phone in self.phones[:2]:
            patch = data.draw(PATCHES[entity])
            phone.update(
                entity, record_id, {"data": patch} if entity == "service_record" else patch
            )

    def shared(self) -> list[tuple[str, str]]:
        """(entity, id) of the records both V1a phones hold."""
        first, second = self.phones[0], self.phones[1]
        return [
            (entity, rid)
            for entity in MODELS
            for rid in sorted(set(first.records(entity)) & set(second.records(entity)))
        ]

    @rule(i=phone_index)
    def share(self, i: int) -> None:
        """A phone finds a good signal: it pushes, and the other phones pull."""
        with contextlib.suppress(SyncError):
            self.phones[i].push()
        for phone in self.phones:
            with contextlib.suppress(SyncError):
                phone.pull()

    # -- the network --------------------------------------------------------------------------

    @rule(i=phone_index, script=fates, batch_size=st.integers(1, 6))
    def push(self, i: int, script: list[str | None], batch_size: int) -> None:
        phone = self.phones[i]
        phone.batch_size = batch_size
        self.networks[i].script = list(script)
        with contextlib.suppress(SyncError):  # gave up for now; the outbox keeps it all
            phone.push()
        self.networks[i].script = []

    @rule(i=phone_index, script=fates)
    def pull(self, i: int, script: list[str | None]) -> None:
        self.networks[i].script = list(script)
        with contextlib.suppress(SyncError):  # gave up; the cursor stays where it was
            self.phones[i].pull()
        self.networks[i].script = []

    # -- the end of the day -------------------------------------------------------------------

    def teardown(self) -> None:
        try:
            self.heal()
            self.note_what_happened()
            self.check_phones_equal_the_server()
            self.check_answers_match_the_ledger()
            self.check_each_write_applied_once()
            self.check_no_accepted_value_is_lost()
            self.check_rejections_are_explained()
        finally:
            wipe_tables()


def run_machine(app: Flask, **options: Any) -> None:
    class Bound(OfflinePhones):
        pass

    Bound.app = app
    run_state_machine_as_test(
        Bound,
        settings=settings(
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            **options,
        ),
    )


def test_phones_on_a_lossy_network_converge_exactly_once_and_lose_no_value(app):
    run_machine(app, max_examples=8, stateful_step_count=25)


@pytest.mark.slow
def test_longer_days_on_a_lossy_network_converge_exactly_once_and_lose_no_value(app):
    run_machine(app, max_examples=100, stateful_step_count=60)
