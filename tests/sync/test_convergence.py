"""Randomised: three phones edit offline over a lossy network, and everything still converges.

Two phones work in village V1a (two assistants), one in V2a. Each step one phone creates,
updates or deletes a household or resident in its local view, or pushes, or pulls; a third of
the requests are dropped before the server or lose their answer after it. Then the network
heals, every phone syncs, and we check the promises of docs/sync-protocol.md:
every phone equals the server for its scope, no mutation was applied twice, and every value that
lost a conflict is in a Conflict row. Seeded, so a failure replays exactly.
"""

from __future__ import annotations

import contextlib
import json
import random
from collections import defaultdict
from typing import Any

import pytest
from sqlalchemy import select

from server.core.audit import AuditEntry
from server.domain.registry.model import Household, Resident
from server.extensions import db
from sync.client import SyncClient, SyncError
from sync.models import AppliedMutation, Conflict
from tests.factories import make_user
from tests.sync.test_client_http import Devices, flaky

STEPS = 70
NAMES = ["王芳", "李娜", "张伟", "刘洋", "陈静"]
HEADS = ["王建国", "李建华", "赵德明"]
TAGS = ["elderly_65", "hypertension", "diabetes", "low_income"]
MODELS = {"household": Household, "resident": Resident}


class Simulation:
    """Drives the phones and remembers every answer the server gave."""

    def __init__(self, rng: random.Random, phones: list[SyncClient]) -> None:
        self.rng = rng
        self.phones = phones
        self.answers: dict[str, set[str]] = defaultdict(set)  # mutation_id -> statuses

    def step(self) -> None:
        phone = self.rng.choice(self.phones)
        action = self.rng.choices(
            ["create", "update", "delete", "push", "pull"], weights=[3, 4, 1, 2, 2]
        )[0]
        if action == "push":
            self.push(phone)
        elif action == "pull":
            with contextlib.suppress(SyncError):  # the network gave up; try another time
                phone.pull()
        else:
            self.edit(phone, action)

    def push(self, phone: SyncClient) -> None:
        try:
            report = phone.push()
        except SyncError:
            return
        for status, ids in report.by_status.items():
            for mutation_id in ids:
                self.answers[mutation_id].add(status)

    def edit(self, phone: SyncClient, action: str) -> None:
        entity = self.rng.choice(["household", "resident"])
        existing = sorted(phone.records(entity))
        if action == "create" or not existing:
            phone.create(entity, self.new_data(phone, entity))
        elif action == "update":
            phone.update(entity, self.rng.choice(existing), self.patch(entity))
        else:
            phone.delete(entity, self.rng.choice(existing))

    def new_data(self, phone: SyncClient, entity: str) -> dict[str, Any]:
        if entity == "household":
            return {
                "address": f"{self.rng.randint(1, 99)}号",
                "head_name": self.rng.choice(HEADS),
                "low_income": self.rng.random() < 0.3,
            }
        households = sorted(phone.records("household"))
        return {
            "household_id": self.rng.choice(households) if households else None,
            "name": self.rng.choice(NAMES),
            "sex": self.rng.choice("MF"),
            "birth_date": f"19{self.rng.randint(30, 99)}-0{self.rng.randint(1, 9)}-15",
            "id_number": None,
            "phone": None,
            "tags": [],
        }

    def patch(self, entity: str) -> dict[str, Any]:
        if entity == "household":
            field = self.rng.choice(["address", "head_name", "low_income"])
            value = {
                "address": f"{self.rng.randint(1, 99)}号",
                "head_name": self.rng.choice(HEADS),
                "low_income": self.rng.random() < 0.5,
            }[field]
            return {field: value}
        field = self.rng.choice(["name", "phone", "tags"])
        value = {
            "name": self.rng.choice(NAMES),
            "phone": f"138{self.rng.randint(10000000, 99999999)}",
            "tags": sorted(self.rng.sample(TAGS, self.rng.randint(0, 2))),
        }[field]
        return {field: value}

    def heal(self) -> None:
        """The network comes back: everyone pushes, then everyone pulls what the others sent."""
        for phone in self.phones:
            flaky(phone).rate = 0.0
            self.push(phone)
            assert phone.outbox == []
        for phone in self.phones:
            phone.pull()


def server_view(village_id: int) -> dict[str, dict[str, int]]:
    """entity -> id -> version of the live rows in one village, read from the database."""
    db.session.rollback()  # end our read snapshot (SQLite WAL, PostgreSQL) to see new commits
    view: dict[str, dict[str, int]] = {}
    for entity, model in MODELS.items():
        rows = db.session.scalars(
            select(model).where(model.village_id == village_id, model.deleted.is_(False))
        )
        view[entity] = {str(row.id): row.version for row in rows}
    return view


def differences(mine: dict[str, dict[str, Any]], theirs: dict[str, dict[str, Any]]) -> list:
    """(entity, id, mine, theirs) for every record the two local copies disagree on."""
    out = []
    for entity in sorted(set(mine) | set(theirs)):
        a, b = mine.get(entity, {}), theirs.get(entity, {})
        out += [(entity, rid, a.get(rid), b.get(rid)) for rid in sorted(set(a) | set(b))]
    return [d for d in out if d[2] != d[3]]


def phone_view(phone: SyncClient) -> dict[str, dict[str, int]]:
    local = phone.confirmed()
    return {e: {rid: row["version"] for rid, row in local.get(e, {}).items()} for e in MODELS}


@pytest.mark.parametrize(
    "seed",
    [7, pytest.param(2026, marks=pytest.mark.slow), pytest.param(31337, marks=pytest.mark.slow)],
)
def test_random_offline_edits_on_a_lossy_network_converge_exactly_once(app, world, seed):
    make_user(db.session, "asst1b", "assistant", world.units["V1a"])
    db.session.commit()
    rng = random.Random(seed)
    devices = Devices(app)
    users = ("asst1", "asst1b", "asst3")
    phones = [devices.new(name, max_attempts=3) for name in users]
    for phone in phones:
        flaky(phone).rng, flaky(phone).rate = rng, 0.33
    simulation = Simulation(rng, phones)

    for _ in range(STEPS):
        simulation.step()
    simulation.heal()

    villages = [world.units["V1a"].id, world.units["V1a"].id, world.units["V2a"].id]
    for phone, user, village_id in zip(phones, users, villages, strict=True):
        assert phone_view(phone) == server_view(village_id)
        fresh = devices.new(user)
        fresh.pull()
        diff = differences(phone.confirmed(), fresh.confirmed())
        assert diff == [], json.dumps(diff, ensure_ascii=False, indent=1)

    ledger = list(db.session.scalars(select(AppliedMutation)))
    ledger_ids = {row.mutation_id for row in ledger}
    settled = {m for m, statuses in simulation.answers.items() if statuses - {"rejected"}}
    assert settled <= ledger_ids

    # Exactly once: each record's versions 1..n were each produced by one write in the ledger,
    # and the audit trail holds one entry per version.
    versions: dict[str, set[int]] = defaultdict(set)
    for row in ledger:
        if row.result.get("status") != "rejected" and row.result.get("version"):
            versions[row.entity_id].add(row.result["version"])
    audits: dict[str, int] = defaultdict(int)
    for entry in db.session.scalars(select(AuditEntry)):
        audits[entry.entity_id] += 1
    for model in MODELS.values():
        for row in db.session.scalars(select(model)):
            rid = str(row.id)
            assert versions[rid] == set(range(1, row.version + 1)), rid
            assert audits[rid] == row.version, rid

    # Every value that lost a conflict is kept for a supervisor.
    conflicted = {m for m, statuses in simulation.answers.items() if "conflict" in statuses}
    kept = set(db.session.scalars(select(Conflict.mutation_id)))
    assert conflicted <= kept
