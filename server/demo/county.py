"""Org units and accounts of the demo county (名称 from Hui'an county, Quanzhou)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from server.core.org import OrgUnit
from server.domain.accounts.model import User
from server.domain.accounts.passwords import hash_password
from server.domain.orgs.tree import add_unit

COUNTY = ("DEMO", "惠安县(示范)", 480000)
TOWNSHIPS = [
    (
        "DEMO-T1",
        "螺城镇",
        62000,
        [("上坑村", 1650), ("下坑村", 1320), ("东门村", 1880), ("西村", 1140)],
    ),
    (
        "DEMO-T2",
        "黄塘镇",
        48000,
        [("虎窟村", 1470), ("后郭村", 1210), ("溪东村", 960), ("塘园村", 1530)],
    ),
    (
        "DEMO-T3",
        "紫山镇",
        41000,
        [("林口村", 1390), ("尾山村", 1020), ("柯厝村", 1260), ("许山头村", 880)],
    ),
]


def build_units(session: Session) -> tuple[OrgUnit, list[OrgUnit], list[OrgUnit]]:
    """County, its townships and villages, villages in assistant order (assistant1 = first)."""
    code, name, population = COUNTY
    county = add_unit(session, None, "county", code, name, population)
    townships, villages = [], []
    for t_code, t_name, t_pop, village_specs in TOWNSHIPS:
        township = add_unit(session, county, "township", t_code, t_name, t_pop)
        townships.append(township)
        for index, (v_name, v_pop) in enumerate(village_specs, start=1):
            villages.append(
                add_unit(session, township, "village", f"{t_code}-V{index}", v_name, v_pop)
            )
    return county, townships, villages


def build_users(
    session: Session,
    county: OrgUnit,
    townships: list[OrgUnit],
    villages: list[OrgUnit],
    password: str,
) -> dict[str, User]:
    """admin, supervisor1-3 (one per township), assistant1-12 (one per village)."""
    password_hash = hash_password(password)
    users: dict[str, User] = {}

    def add(username: str, role: str, unit: OrgUnit, full_name: str) -> None:
        user = User(
            username=username,
            role=role,
            org_unit=unit,
            full_name=full_name,
            password_hash=password_hash,
        )
        session.add(user)
        users[username] = user

    add("admin", "admin", county, "县卫健委管理员")
    for index, township in enumerate(townships, start=1):
        add(f"supervisor{index}", "supervisor", township, f"{township.name}卫生院督导")
    for index, village in enumerate(villages, start=1):
        add(f"assistant{index}", "assistant", village, f"{village.name}健康助理员")
    session.flush()
    return users
