"""No role that may not see full ID numbers receives anything that narrows a resident's number
below the bound (docs/security.md, "ID numbers").

The bound: the birth date and sex are shown to every role (the phone needs both), which leaves
the three sequence digits with the parity of the last fixed by sex: 500 numbers per region code;
the check digit adds nothing. Two measurements: every surface answers exactly the same whether
the resident's number is one or another of those 500 (so nothing it sends tells them apart), and
an attacker reading everything a role receives still holds all 500 possible.
"""

from __future__ import annotations

import pytest

from server.domain.registry.idnumber import mask
from server.extensions import db
from server.synced import REGISTRY
from sync.changes import server_write
from sync.models import Conflict
from tests.factories import make_household, make_record, make_resident
from tests.registry.idexposure import (
    BORN,
    REGION,
    SEX,
    SURFACES,
    Exposed,
    numbers_for,
    remaining,
    set_number,
)

DEVICE = "dev-attacker"
BOUND = {"assistant": 500, "admin": 500}
ROLES = {"assistant": "asst1", "admin": "admin"}
NUMBERS = numbers_for(REGION, BORN, SEX)
A, B = NUMBERS[128], NUMBERS[371]  # same region, birth date and sex; every sequence digit differs
TYPED = NUMBERS[5]  # the value a phone sent in a conflict with the stored one


@pytest.fixture
def exposed(world) -> Exposed:
    village, author = world.units["V1a"], world.users["asst1"]
    home = make_household(db.session, village)
    resident = make_resident(
        db.session, village, sex=SEX, birth_date=BORN, phone="13800001111",
        id_number=A, household_id=home.id,
    )  # fmt: skip
    record = make_record(db.session, resident, author)
    for row in (home, resident, record):
        server_write(db.session, REGISTRY.of(row), row, actor_id=author.id, action="create")
    conflict = Conflict(
        entity="resident", entity_id=str(resident.id), village_id=village.id, field="id_number",
        server_value=A, client_value=TYPED, base_version=1, server_version=resident.version,
        mutation_id="m-1", author_id=author.id,
    )  # fmt: skip
    db.session.add(conflict)
    db.session.commit()
    return Exposed(resident.id, home.id, record.id, conflict.id, A)


def test_the_bound_is_500_numbers_per_region_for_a_known_birth_date_and_sex():
    assert (len(NUMBERS), len(set(NUMBERS)), A != B) == (500, 500, True)


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("role", ROLES)
def test_a_surface_answers_the_same_for_any_of_the_residents_possible_numbers(
    client, auth, exposed, role, surface
):
    headers = auth.headers(ROLES[role], device_id=DEVICE)
    fetch = SURFACES[surface]
    with_a = fetch(client, headers, exposed)
    set_number(exposed.resident_id, exposed.conflict_id, B)
    with_b = fetch(client, headers, exposed)
    assert with_a == with_b


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("role", ROLES)
def test_an_attacker_reading_a_surface_keeps_the_bound(client, auth, exposed, role, surface):
    received = SURFACES[surface](client, auth.headers(ROLES[role], device_id=DEVICE), exposed)
    assert remaining(received, A, BORN, SEX, [REGION]) >= BOUND[role]


@pytest.mark.parametrize("role", ROLES)
def test_an_attacker_reading_every_surface_together_keeps_the_bound(client, auth, exposed, role):
    headers = auth.headers(ROLES[role], device_id=DEVICE)
    received = "\n".join(fetch(client, headers, exposed) for fetch in SURFACES.values())
    assert remaining(received, A, BORN, SEX, [REGION]) >= BOUND[role]


def test_the_attacker_count_falls_to_one_with_the_former_mask():
    former = A[:4] + "*" * 10 + A[-4:]
    assert (
        remaining(former, A, BORN, SEX, [REGION]),
        remaining(mask(A), A, BORN, SEX, [REGION]),
    ) == (
        1,
        500,
    )


def test_a_supervisor_opening_the_resident_sees_the_whole_number(client, auth, exposed):
    detail = SURFACES["detail"](client, auth.headers("sup1"), exposed)
    assert remaining(detail, A, BORN, SEX, [REGION]) == 1
