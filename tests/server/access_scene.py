"""The scene the authorization matrix plays in: one of each scoped object in three places.

"in" is village V1a (asst1's, in sup1's township), "out" is V2a of township T2, "far" is a
village of another county on the same server. The markers are names only "out" and "far"
objects carry, so an answer that shows one has leaked (see test_access_matrix.py).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from server.domain.accounts.model import Device
from server.domain.orgs.tree import add_unit
from server.extensions import db
from sync.models import Conflict
from tests.factories import make_household, make_record, make_resident, make_user

OUTSIDE_MARKERS = ("河口村", "外村人", "外村地址", "asst3", "sup2")
FAR_MARKERS = ("邻县", "远村", "asst9", "sup9")


@dataclass
class Scene:
    """One of each scoped object inside (V1a) and outside (V2a)."""

    ids: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.ids[key]


def _far_county(session):
    """Another county on the same server: its village and its assistant."""
    county = add_unit(session, None, "county", "C9", "邻县", 200000)
    township = add_unit(session, county, "township", "T9", "邻县北镇", 20000)
    village = add_unit(session, township, "village", "V9a", "远村", 800)
    make_user(session, "sup9", "supervisor", township)
    return village, make_user(session, "asst9", "assistant", village)


def build_scene(world) -> Scene:
    session = db.session
    scene = Scene()
    far_village, far_author = _far_county(session)
    for side, village, author, label in [
        ("in", world.units["V1a"], world.users["asst1"], "本村"),
        ("out", world.units["V2a"], world.users["asst3"], "外村"),
        ("far", far_village, far_author, "邻县"),
    ]:
        household = make_household(session, village, address=f"{label}地址1号")
        resident = make_resident(session, village, name=f"{label}人甲", household_id=household.id)
        duplicate = make_resident(session, village, name=f"{label}人乙")
        record = make_record(session, resident, author, data={})
        device = Device(user_id=author.id, client_id=f"phone-{side}", label="phone")
        session.add(device)
        session.flush()
        conflict = Conflict(
            entity="household",
            entity_id=str(household.id),
            village_id=village.id,
            field="address",
            server_value=household.address,
            client_value=f"{label}新地址",
            base_version=1,
            server_version=1,
            mutation_id=str(uuid.uuid4()),
            author_id=author.id,
        )
        session.add(conflict)
        session.flush()
        scene.ids.update(
            {
                f"household_{side}": household.id,
                f"resident_{side}": resident.id,
                f"duplicate_{side}": duplicate.id,
                f"record_{side}": record.id,
                f"user_{side}": author.id,
                f"device_{side}": device.id,
                f"conflict_{side}": conflict.id,
                f"village_{side}": village.id,
            }
        )
    session.commit()
    return scene
