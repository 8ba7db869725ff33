"""The end of a day in tests/sync/test_stateful.py: heal the network, then check every promise."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from hypothesis import event
from sqlalchemy import select

from server.core.audit import AuditEntry
from server.extensions import db
from sync.client import (
    SyncClient,
)
from sync.ledger import payload_hash
from sync.merge import flatten
from sync.models import AppliedMutation, Conflict, EntityVersion
from tests.sync.stateful_model import (
    ACCEPTED,
    EXPECTED_REJECTIONS,
    MODELS,
    NESTED,
    PHONES,
    PUSH_WRITES,
    REVIEWS,
    MachineState,
    rows_of,
)


class EndOfDayChecks(MachineState):
    """The promises of docs/sync-protocol.md, checked against the database when a run ends."""

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
            assert rows_of(phone) == rows_of(fresh)
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
