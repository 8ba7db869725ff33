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
import copy
import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from server.core.audit import AuditEntry
from server.core.db import Base
from server.domain.records.catalogue import load_definitions
from server.domain.records.model import ServiceRecord
from server.domain.registry.model import Household, Resident
from server.extensions import db, limiter
from sync.client import (
    HttpRequest,
    HttpResponse,
    SyncClient,
    SyncError,
)
from sync.ledger import payload_hash
from sync.merge import flatten
from sync.models import AppliedMutation, Conflict, EntityVersion
from tests.factories import PASSWORD, make_user, make_world
from tests.sync.conftest import BP_VISIT, mutation
from tests.sync.test_client_http import Devices, FlakyTransport

NESTED = {"data"}  # form data merges per field

PHONES = (("asst1", "V1a"), ("asst1b", "V1a"), ("asst3", "V2a"))
SUPERVISOR_OF = {"V1a": "sup1", "V2a": "sup2"}
MODELS = {"household": Household, "resident": Resident, "service_record": ServiceRecord}
ACCEPTED = ("applied", "merged", "conflict")
PUSH_WRITES = ("create", "update", "delete")
# Why a valid edit may still be turned down: its target or parent was deleted on the server, or
# a supervisor approved the record. Not `stale_version`: the server advances a row by one version
# per accepted write, so a predicted base is off only behind a rejected edit of the same record,
# and the client rebases on the server's version until it lands (it would give up only after
# MAX_REBASES rejected edits of one record queued ahead of it, which these rules do not make).
EXPECTED_REJECTIONS = {"not_found", "record_reviewed"}

NAMES = ["王芳", "李娜", "张伟", "刘洋"]
HEADS = ["王建国", "李建华", "赵德明"]
ADDRESSES = ["村口1号", "东街2号", "西街3号"]
TAGS = ["elderly_65", "hypertension", "diabetes", "low_income"]
REVIEWS = {"approve": None, "return": "comment", "reject": "reason"}

phone_index = st.integers(0, len(PHONES) - 1)
pick = st.integers(0, 1_000)
# The fate of the next requests: None delivered, "drop" lost on the way, "lose" answer lost.
fates = st.lists(st.sampled_from([None, "drop", "lose"]), min_size=1, max_size=4)
tag_lists = st.lists(st.sampled_from(TAGS), unique=True, max_size=2)
household_patch = st.one_of(
    st.fixed_dictionaries({"address": st.sampled_from(ADDRESSES)}),
    st.fixed_dictionaries({"head_name": st.sampled_from(HEADS)}),
    st.fixed_dictionaries({"low_income": st.booleans()}),
)
resident_patch = st.one_of(
    st.fixed_dictionaries({"name": st.sampled_from(NAMES)}),
    st.fixed_dictionaries({"phone": st.sampled_from([None, "13800000001", "13912345678"])}),
    st.fixed_dictionaries({"tags": tag_lists}),
)
form_patch = st.one_of(
    st.fixed_dictionaries({"medication": st.sampled_from(["regular", "intermittent"])}),
    st.fixed_dictionaries({"salt_intake": st.sampled_from(["light", "moderate", "heavy"])}),
    st.fixed_dictionaries({"exercise_per_week": st.integers(0, 3)}),
    st.fixed_dictionaries({"heart_rate": st.sampled_from([66, 72, 80])}),
    st.fixed_dictionaries({"notes": st.sampled_from(["按时服药", "血压偏高", "已复诊"])}),
)

PATCHES = {"household": household_patch, "resident": resident_patch, "service_record": form_patch}


def wipe_tables() -> None:
    """Empty every table, as tests/conftest.py does after each test."""
    db.session.rollback()
    db.session.remove()
    with db.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
    limiter.reset()


def choose(ids: Any, index: int) -> str | None:
    """One of `ids` by a drawn number, stable for a given set of ids (so examples replay)."""
    ordered = sorted(ids)
    return ordered[index % len(ordered)] if ordered else None


def choose_phone(phones: list[SyncClient], index: int) -> SyncClient:
    return phones[index % len(phones)]


class Wire:
    """Between the lossy network and the app: every mutation that reached the server."""

    def __init__(self, inner: Callable[[HttpRequest], HttpResponse], sent: dict) -> None:
        self.inner = inner
        self.sent = sent

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/api/sync/push":
            for mutation in request.json["mutations"]:
                self.sent[mutation["mutation_id"]] = copy.deepcopy(mutation)
        return self.inner(request)


class Ear:
    """Between the phone and the lossy network: every push answer the phone actually heard."""

    def __init__(self, inner: Callable[[HttpRequest], HttpResponse], heard: list) -> None:
        self.inner = inner
        self.heard = heard

    def __call__(self, request: HttpRequest) -> HttpResponse:
        answer = self.inner(request)
        if request.path == "/api/sync/push" and answer.status == 200:
            self.heard.extend(copy.deepcopy(answer.body["results"]))
        return answer


class OfflinePhones(RuleBasedStateMachine):
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

    # -- a supervisor at the workspace --------------------------------------------------------

    @precondition(lambda self: self.sent_records())
    @rule(which=pick, action=st.sampled_from(sorted(REVIEWS)))
    def review(self, which: int, action: str) -> None:
        db.session.rollback()  # a fresh snapshot: see what the phones committed
        pending = {
            str(r.id): r
            for r in db.session.scalars(
                select(ServiceRecord).where(
                    ServiceRecord.deleted.is_(False), ServiceRecord.review_status == "pending"
                )
            )
        }
        record_id = choose(pending, which)
        if record_id is None:
            return
        record = pending[record_id]
        village = next(n for n, vid in self.village_ids.items() if vid == record.village_id)
        body: dict[str, Any] = {"version": record.version}
        if REVIEWS[action]:
            body[REVIEWS[action]] = "请核对血压"
        answer = self._staff(SUPERVISOR_OF[village], f"/api/review/records/{record_id}/{action}")(
            body
        )
        assert answer.status == 200, answer.body
        assert answer.body["version"] == record.version + 1
        self.review_versions[record_id].add(answer.body["version"])

    @precondition(lambda self: any(m["entity"] == "resident" for m in self.sent.values()))
    @rule(which=pick)
    def supervisor_moves_a_resident(self, which: int) -> None:
        """sup1 re-links a resident of V1a to a household of V1b (same township), or back: the
        phones of V1a must drop it, and get it again when it returns."""
        db.session.rollback()
        v1a = self.village_ids["V1a"]
        residents = {
            str(r.id): r
            for r in db.session.scalars(
                select(Resident).where(
                    Resident.deleted.is_(False), Resident.village_id.in_((v1a, self.v1b))
                )
            )
        }
        resident_id = choose(residents, which)
        if resident_id is None:
            return
        resident = residents[resident_id]
        target = self._household_in(self.v1b if resident.village_id == v1a else v1a)
        if target is None:
            return
        move = mutation(
            "resident",
            "update",
            {"household_id": target},
            id=resident_id,
            base_version=resident.version,
        )
        assert self._desk_push(move)["status"] == "applied"
        self.moves += 1

    def _household_in(self, village_id: int) -> str | None:
        """A live household of the village; sup1 registers one in V1b the first time."""
        live = db.session.scalars(
            select(Household.id).where(
                Household.village_id == village_id, Household.deleted.is_(False)
            )
        )
        found = choose([str(i) for i in live], 0)
        if found is not None or village_id != self.v1b:
            return found
        data = {"address": "下村1组1号", "head_name": "周明", "village_id": village_id}
        created = self._desk_push(mutation("household", "create", data))
        assert created["status"] == "applied", created
        return created["id"]

    def _desk_push(self, one: dict[str, Any]) -> dict[str, Any]:
        """sup1 pushes one mutation from the workspace, through the same Wire as the phones."""
        self._staff("sup1", "/api/sync/push")  # signs in once
        headers = {"Authorization": f"Bearer {self.staff_tokens['sup1']}"}
        body = {"device_id": "workspace-sup1", "mutations": [one]}
        wire = Wire(self.devices.transport(), self.sent)
        answer = wire(HttpRequest("POST", "/api/sync/push", body, {}, headers))
        assert answer.status == 200, answer.body
        return answer.body["results"][0]

    def sent_records(self) -> bool:
        """Whether a service record may have reached the server (cheap; no query)."""
        return any(m["entity"] == "service_record" for m in self.sent.values())

    def _staff(self, username: str, path: str) -> Callable[[dict], HttpResponse]:
        if username not in self.staff_tokens:
            login = {
                "username": username,
                "password": PASSWORD,
                "device_id": f"workspace-{username}",
            }
            answer = self.devices.transport()(HttpRequest("POST", "/api/auth/login", login))
            assert answer.status == 200, answer.body
            self.staff_tokens[username] = answer.body["access_token"]
        headers = {"Authorization": f"Bearer {self.staff_tokens[username]}"}
        return lambda body: self.devices.transport()(HttpRequest("POST", path, body, {}, headers))

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

    def heal(self) -> None:
        """The network comes back: everyone pushes, then everyone pulls."""
        for network in self.networks:
            network.script = []
        for phone in self.phones:
            phone.push()
            assert phone.outbox == []
        for phone in self.phones:
            phone.pull()

    def note_what_happened(self) -> None:
        """Statistics (pytest --hypothesis-show-statistics): which answers the runs produced."""
        for status in sorted({answer["status"] for answer in self.heard}):
            event(f"answer {status}")
        for code in sorted({m.get("code") for phone in self.phones for m in phone.rejected}):
            event(f"rejected {code}")
        if any(self.review_versions.values()):
            event("supervisor reviewed")
        if self.moves:
            event("supervisor moved a resident")

    def check_phones_equal_the_server(self) -> None:
        db.session.rollback()
        for phone, (_username, village) in zip(self.phones, PHONES, strict=True):
            fresh = SyncClient(
                self.devices.transport(),
                device_id=phone.device_id,
                access_token=phone.access_token,
            )
            fresh.pull()
            assert _rows(phone) == _rows(fresh)
            stored = {
                entity: {
                    str(row.id): row.version
                    for row in db.session.scalars(
                        select(model).where(
                            model.village_id == self.village_ids[village],
                            model.deleted.is_(False),
                        )
                    )
                }
                for entity, model in MODELS.items()
            }
            held = {
                entity: {
                    rid: row["version"] for rid, row in phone.confirmed().get(entity, {}).items()
                }
                for entity in MODELS
            }
            assert held == stored

    def check_answers_match_the_ledger(self) -> None:
        """What a phone heard is the first answer, replayed unchanged to every retry."""
        ledger = {row.mutation_id: row for row in db.session.scalars(select(AppliedMutation))}
        for mutation_id, row in ledger.items():
            assert row.payload_hash == payload_hash(self.sent[mutation_id])
        for answer in self.heard:
            if answer["status"] == "rejected":
                assert answer["mutation_id"] not in ledger
                continue
            first = ledger[answer["mutation_id"]].result
            if answer["status"] == "duplicate":
                assert answer["first_status"] == first["status"]
            else:
                assert answer["status"] == first["status"]
            drop = ("status", "first_status")
            assert {k: v for k, v in answer.items() if k not in drop} == {
                k: v for k, v in first.items() if k not in drop
            }

    def check_each_write_applied_once(self) -> None:
        """One audit entry per version; each version made by a ledger entry or by one review.

        A mutation applied twice would leave a version (and an audit entry) that no ledger
        answer names. Every accepted write makes a version of its own, even one that changed
        nothing (a conflict, a no-op), so no two ledger answers name the same version.
        """
        named: dict[str, set[int]] = defaultdict(set)
        for row in db.session.scalars(select(AppliedMutation)):
            assert row.result["status"] in ACCEPTED
            assert row.result["version"] not in named[row.entity_id], row.result
            named[row.entity_id].add(row.result["version"])
        audits: dict[str, list[str]] = defaultdict(list)
        for entry in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
            audits[entry.entity_id].append(entry.action)
        for model in MODELS.values():
            for row in db.session.scalars(select(model)):
                rid = str(row.id)
                actions = dict(enumerate(audits[rid], start=1))
                assert len(actions) == row.version, (rid, audits[rid])
                assert set(actions.values()) <= set(PUSH_WRITES) | set(REVIEWS), audits[rid]
                reviewed = {v for v, action in actions.items() if action in REVIEWS}
                assert reviewed == self.review_versions.get(rid, set()), (rid, audits[rid])
                pushed = {v for v, action in actions.items() if action in PUSH_WRITES}
                assert pushed == named[rid], (rid, audits[rid], named[rid])

    def check_no_accepted_value_is_lost(self) -> None:
        states = {
            (v.entity_id, v.version): flatten(v.data, NESTED)
            for v in db.session.scalars(select(EntityVersion))
        }
        conflicts = {
            (c.mutation_id, c.field): c.client_value for c in db.session.scalars(select(Conflict))
        }
        ledger = list(db.session.scalars(select(AppliedMutation)))
        writers: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
        for row in ledger:
            writers[row.entity_id, row.result["version"]].append(self.sent[row.mutation_id])
        current = {
            str(row.id): row
            for model in MODELS.values()
            for row in db.session.scalars(select(model))
        }
        for row in ledger:
            mutation = self.sent[row.mutation_id]
            rid, made = row.entity_id, row.result["version"]
            if mutation["op"] == "delete":
                if row.result["status"] == "conflict":
                    assert conflicts[row.mutation_id, "_deleted"] is True
                else:
                    assert current[rid].deleted, rid
                continue
            for field, value in flatten(mutation["data"], NESTED).items():
                if field == "village_id":  # where a create is placed, not a field it keeps
                    if mutation["entity"] == "household":  # households never move
                        assert current[rid].village_id == value, (rid, value)
                    continue
                if (row.mutation_id, field) in conflicts:
                    assert conflicts[row.mutation_id, field] == value
                    continue
                assert states[rid, made].get(field) == value, (rid, made, field, value)
                later = made + 1
                while (rid, later) in states and states[rid, later].get(field) == value:
                    later += 1
                if (rid, later) not in states:
                    continue  # still the current value
                replaced_by = [
                    m
                    for m in writers[rid, later]
                    if m["op"] == "update"
                    and flatten(m["data"], NESTED).get(field) == states[rid, later].get(field)
                ]
                saw_it = [
                    m for m in replaced_by if states[rid, m["base_version"]].get(field) == value
                ]
                assert saw_it, f"{field}={value!r} of {rid} v{made} lost at v{later}"

    def check_rejections_are_explained(self) -> None:
        codes = {m.get("code") for phone in self.phones for m in phone.rejected}
        assert codes <= EXPECTED_REJECTIONS, [
            (m["entity"], m["op"], m.get("code"), m.get("errors"))
            for phone in self.phones
            for m in phone.rejected
        ]


def _rows(phone: SyncClient) -> dict[str, dict[str, Any]]:
    """The confirmed local copy, without entities that hold nothing."""
    return {entity: rows for entity, rows in phone.confirmed().items() if rows}


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
    run_machine(app, max_examples=15, stateful_step_count=25)


@pytest.mark.slow
def test_longer_days_on_a_lossy_network_converge_exactly_once_and_lose_no_value(app):
    run_machine(app, max_examples=100, stateful_step_count=60)
