"""How the reference client settles a push answer: confirm, rebase, set aside, shrink, split.

Kept apart from `sync.client` so the request loop reads on its own; `SyncClient` mixes this in.
"""

from __future__ import annotations

import uuid
from typing import Any

from sync.client_state import (
    ClientState,
    PushReport,
    StateFile,
    apply_patch,
    first_int,
    rebased_base,
)
from sync.transport import HttpResponse

DONE_STATUSES = ("applied", "duplicate", "merged", "conflict")


class PushAnswers:
    """The outbox bookkeeping after each push answer; saves the state after each change."""

    state: ClientState
    store: StateFile | None
    batch_size: int
    batch_bytes: int
    _unsplit_size: int | None

    def _save(self) -> None:
        if self.store:
            self.store.save(self.state)

    def _shrink(self, answer: HttpResponse, sent: int) -> None:
        """Obey the caps the server states, and halve the batch so the next one is smaller."""
        errors = (answer.body or {}).get("errors") or {}
        if sent == 1:
            mutation = self.state.outbox.pop(0)
            self.state.rejected.append({**mutation, "code": "payload_too_large", "errors": errors})
            self._save()
            return
        limit_count = first_int(errors, ("max_mutations",))  # the caps the 413 names
        limit_bytes = first_int(errors, ("max_bytes",))
        self.batch_size = max(1, min(sent // 2, limit_count or sent))
        if limit_bytes:
            self.batch_bytes = min(self.batch_bytes, limit_bytes)

    def _split(self, answer: HttpResponse, sent: int) -> None:
        """Halve a batch the server keeps failing on; set a lone failing mutation aside."""
        if sent > 1:
            self._unsplit_size = self._unsplit_size or self.batch_size
            self.batch_size = max(1, sent // 2)
            return
        mutation = self.state.outbox.pop(0)
        body = answer.body if isinstance(answer.body, dict) else {}
        reason = {"status": [f"{answer.status}: {body.get('message', 'server error')}"]}
        self.state.rejected.append({**mutation, "code": "server_error", "errors": reason})
        self.batch_size, self._unsplit_size = self._unsplit_size or self.batch_size, None
        self._save()

    def _settle(
        self, batch: list[dict[str, Any]], results: list[dict[str, Any]], report: PushReport
    ) -> int:
        """Apply the answers to the outbox and the local copy; returns how many were settled."""
        by_id = {r["mutation_id"]: r for r in results}
        settled = 0
        for mutation in batch:
            result = by_id.get(mutation["mutation_id"])
            if result is None:
                continue
            status = result["status"]
            report.add(status, mutation["mutation_id"])
            if status in DONE_STATUSES:
                self._confirm(mutation, result)
            elif status == "rejected" and self._rebase(mutation, result):
                settled += 1
                continue
            elif status == "rejected":
                failure = {"code": result.get("code"), "errors": result.get("errors", {})}
                self.state.rejected.append({**mutation, **failure})
            else:
                continue
            self.state.outbox.remove(mutation)
            settled += 1
        self._save()
        return settled

    def _rebase(self, mutation: dict[str, Any], result: dict[str, Any]) -> bool:
        """Requeue an edit whose predicted base never came to be, under a new mutation id.

        `base_version` counts our own queued writes to the record, each of which the server
        advances by exactly one version when it accepts it; when one of them was rejected the
        server is behind and answers `stale_version`. The edit is still wanted, so it goes out
        again on the server's version as we know it (see `rebased_base`), and again after each
        further miss as long as that base keeps moving.
        """
        if result.get("code") != "stale_version":
            return False
        index = self.state.outbox.index(mutation)
        key = (mutation["entity"], mutation["id"])
        ahead = sum(1 for m in self.state.outbox[:index] if (m["entity"], m["id"]) == key)
        base = rebased_base(
            rejected_base=mutation["base_version"],
            confirmed=self.state.local.get(key[0], {}).get(key[1], {}).get("version"),
            server_version=result.get("server_version"),
            ahead=ahead,
            rebases=mutation.get("rebases", 0),
        )
        if base is None:
            return False
        self.state.outbox[index] = {
            **mutation,
            "mutation_id": str(uuid.uuid4()),
            "base_version": base,
            "rebases": mutation.get("rebases", 0) + 1,
        }
        return True

    def _confirm(self, mutation: dict[str, Any], result: dict[str, Any]) -> None:
        """Fold an accepted write into the local copy until the next pull brings the truth.

        A `duplicate` replays an old answer, and a pull may already have brought this version
        or a later one: what the local copy holds at that version or later is the server's own
        state and is never overwritten with a guess.
        """
        entity, rid = mutation["entity"], mutation["id"]
        rows = self.state.local.setdefault(entity, {})
        held = rows.get(rid, {}).get("version", 0)
        server_record = result.get("record")
        if isinstance(server_record, dict) and "data" in server_record:
            version = server_record.get("version", result.get("version")) or 0
            if version < held:
                return
            if server_record.get("op") == "delete":
                rows.pop(rid, None)
            else:
                rows[rid] = {"version": version, "data": server_record["data"]}
            return
        if result["status"] == "conflict":
            return  # the server kept its value; the next pull carries it
        if mutation["op"] == "delete":
            rows.pop(rid, None)
            return
        version = result.get("version") or held + 1
        if version <= held:
            return
        base = rows.get(rid, {}).get("data", {})
        rows[rid] = {"version": version, "data": apply_patch(entity, base, mutation["data"])}
