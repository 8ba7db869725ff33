"""The world of tests/sync/test_stateful.py: phones, villages, drawn edits, taps on the wire."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from server.core.db import Base
from server.domain.records.model import ServiceRecord
from server.domain.registry.model import Household, Resident
from server.extensions import db, limiter
from sync.client import (
    HttpRequest,
    HttpResponse,
    SyncClient,
)
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


def rows_of(phone: SyncClient) -> dict[str, dict[str, Any]]:
    """The confirmed local copy, without entities that hold nothing."""
    return {entity: rows for entity, rows in phone.confirmed().items() if rows}


class MachineState:
    """The state the machine's mixins share (set by `OfflinePhones.__init__`)."""

    village_ids: dict[str, int]
    v1b: int
    moves: int
    devices: Devices
    sent: dict[str, dict[str, Any]]
    heard: list[dict[str, Any]]
    review_versions: dict[str, set[int]]
    staff_tokens: dict[str, str]
    networks: list[FlakyTransport]
    phones: list[SyncClient]
