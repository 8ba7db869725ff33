"""Households and residents with plausible names, ages, ID numbers and health tags."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

from faker import Faker
from sqlalchemy.orm import Session

from server.core.org import OrgUnit
from server.domain.accounts.model import User
from server.domain.registry.idnumber import check_character
from server.domain.registry.model import Household, Resident
from server.domain.registry.tags import age_on

AREA_CODE = "350521"
STREETS = ["中街", "后巷", "新厝", "顶厝", "下厝", "溪边", "山脚", "祠堂边"]


def id_number(rng: random.Random, birth: date, sex: str) -> str:
    """A valid GB 11643 number: area, birth date, sequence (odd for men), check character."""
    sequence = rng.randrange(0, 500) * 2 + (1 if sex == "M" else 0)
    first17 = f"{AREA_CODE}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


def _birth_date(rng: random.Random, today: date, min_age: int, max_age: int) -> date:
    days = rng.randint(min_age * 365 + 1, max_age * 365 + 300)
    return today - timedelta(days=days)


def _tags(rng: random.Random, sex: str, age: int) -> list[str]:
    tags = []
    if sex == "F" and 21 <= age <= 40 and rng.random() < 0.08:
        tags.append(rng.choice(["pregnant", "postpartum"]))
    if age >= 35 and rng.random() < (0.12 if age < 60 else 0.35):
        tags.append("hypertension")
    if age >= 40 and rng.random() < 0.08:
        tags.append("diabetes")
    if age >= 18 and rng.random() < 0.006:
        tags.append("severe_mental_disorder")
    if age >= 15 and rng.random() < 0.002:
        tags.append("tuberculosis")
    return tags


def build_people(
    session: Session,
    rng: random.Random,
    fake: Faker,
    villages: list[OrgUnit],
    assistants: list[User],
    total: int,
    today: date,
) -> list[Resident]:
    """About `total` residents in households of one to six, spread over the villages."""
    residents: list[Resident] = []
    per_village = max(1, total // len(villages))
    for village, assistant in zip(villages, assistants, strict=True):
        made = 0
        house_number = 0
        while made < per_village:
            house_number += 1
            surname = fake.last_name()
            head_sex = "M" if rng.random() < 0.8 else "F"
            head_name = surname + fake.first_name_male() if head_sex == "M" else fake.name()
            household = Household(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                village_id=village.id,
                address=f"{village.name}{rng.choice(STREETS)}{house_number}号",
                head_name=head_name,
                low_income=rng.random() < 0.06,
                created_by_id=assistant.id,
                updated_by_id=assistant.id,
            )
            session.add(household)
            members = [(head_name, head_sex, _birth_date(rng, today, 28, 80))]
            for _ in range(min(rng.choice([0, 1, 1, 2, 2, 3, 3, 4, 5]), per_village - made - 1)):
                sex = rng.choice("MF")
                given = fake.first_name_male() if sex == "M" else fake.first_name_female()
                name = (surname if rng.random() < 0.7 else fake.last_name()) + given
                members.append((name, sex, _birth_date(rng, today, 0, 90)))
            for name, sex, birth in members:
                age = age_on(birth, today)
                resident = Resident(
                    id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    household_id=household.id,
                    village_id=village.id,
                    name=name,
                    sex=sex,
                    birth_date=birth,
                    id_number=id_number(rng, birth, sex) if rng.random() < 0.93 else None,
                    phone=f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
                    if age >= 16 and rng.random() < 0.7
                    else None,
                    tags=_tags(rng, sex, age),
                    created_by_id=assistant.id,
                    updated_by_id=assistant.id,
                )
                session.add(resident)
                residents.append(resident)
                made += 1
        session.flush()
    return residents
