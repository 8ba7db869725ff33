"""Builders for test data: a small county and the people in it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy.orm import Session

from server.core.org import OrgUnit
from server.domain.accounts.model import User
from server.domain.accounts.passwords import hash_password
from server.domain.orgs.tree import add_unit
from server.domain.records.model import ServiceRecord
from server.domain.registry.model import Household, Resident

PASSWORD = "secret-pass-1"


@cache
def _password_hash() -> str:
    return hash_password(PASSWORD)


def make_user(session: Session, username: str, role: str, unit: OrgUnit, **kw: Any) -> User:
    user = User(username=username, role=role, org_unit=unit, password_hash=_password_hash(), **kw)
    session.add(user)
    session.flush()
    return user


def make_household(session: Session, village: OrgUnit, **kw: Any) -> Household:
    values = {"address": "村口1号", "head_name": "王建国", **kw}
    household = Household(id=uuid.uuid4(), village_id=village.id, **values)
    session.add(household)
    session.flush()
    return household


def make_resident(session: Session, village: OrgUnit, **kw: Any) -> Resident:
    values = {"name": "张三丰", "sex": "M", "birth_date": date(1960, 5, 1), "tags": [], **kw}
    resident = Resident(id=uuid.uuid4(), village_id=village.id, **values)
    session.add(resident)
    session.flush()
    return resident


def make_record(session: Session, resident: Resident, author: User, **kw: Any) -> ServiceRecord:
    values = {
        "form_code": "hypertension_followup",
        "form_version": 1,
        "data": {},
        "visit_date": date(2026, 11, 1),
        **kw,
    }
    record = ServiceRecord(
        id=uuid.uuid4(),
        resident_id=resident.id,
        village_id=resident.village_id,
        author_id=author.id,
        **values,
    )
    session.add(record)
    session.flush()
    return record


@dataclass
class World:
    """One county, two townships, three villages, and a user of each role in each place.

    T1 holds villages V1a and V1b; T2 holds V2a. asst1 works in V1a, asst2 in V1b, asst3 in V2a;
    sup1 supervises T1, sup2 T2; admin runs the county.
    """

    units: dict[str, OrgUnit] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)


def make_world(session: Session) -> World:
    world = World()
    county = add_unit(session, None, "county", "C", "示范县", 300000)
    t1 = add_unit(session, county, "township", "T1", "东山镇", 30000)
    t2 = add_unit(session, county, "township", "T2", "西河镇", 25000)
    v1a = add_unit(session, t1, "village", "V1a", "上村", 1200)
    v1b = add_unit(session, t1, "village", "V1b", "下村", 900)
    v2a = add_unit(session, t2, "village", "V2a", "河口村", 1500)
    world.units = {"C": county, "T1": t1, "T2": t2, "V1a": v1a, "V1b": v1b, "V2a": v2a}
    for name, role, unit in [
        ("admin", "admin", county),
        ("sup1", "supervisor", t1),
        ("sup2", "supervisor", t2),
        ("asst1", "assistant", v1a),
        ("asst2", "assistant", v1b),
        ("asst3", "assistant", v2a),
    ]:
        world.users[name] = make_user(session, name, role, unit)
    session.commit()
    return world


def valid_id_number(birth_date: date, serial: str = "123", area: str = "350521") -> str:
    """A well-formed ID number (right check digit) for someone born on `birth_date`."""
    from server.domain.registry.idnumber import check_character

    first17 = f"{area}{birth_date:%Y%m%d}{serial}"
    return first17 + check_character(first17)


def label(text: str) -> dict[str, str]:
    """The same words in both languages: labels of test definitions."""
    return {"zh": text, "en": text}


def form_definition(*fields: dict[str, Any], **top: Any) -> dict[str, Any]:
    """A minimal resident form `c` version 1 with these fields (and other top-level keys)."""
    return {
        "code": "c",
        "version": 1,
        "title": label("c"),
        "category": "test",
        "weight": 1,
        "subject": "resident",
        "non_medical": True,
        "fields": list(fields),
        **top,
    }
