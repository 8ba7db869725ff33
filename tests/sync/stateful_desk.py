"""The supervisors of tests/sync/test_stateful.py: reviews and moves made at the workspace."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import (
    precondition,
    rule,
)
from sqlalchemy import select

from server.domain.records.model import ServiceRecord
from server.domain.registry.model import Household, Resident
from server.extensions import db
from sync.client import (
    HttpRequest,
    HttpResponse,
)
from tests.factories import PASSWORD
from tests.sync.conftest import mutation
from tests.sync.stateful_model import (
    REVIEWS,
    SUPERVISOR_OF,
    MachineState,
    Wire,
    choose,
    pick,
)


class SupervisorDesk(MachineState):
    """Rules for what supervisors do meanwhile; mixed into the `OfflinePhones` machine."""

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
