"""Org units and accounts of the demo county (名称 from Hui'an county, Quanzhou)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.core.org import OrgUnit
from server.core.sheets import read_sheet
from server.domain.accounts.model import User
from server.domain.accounts.passwords import hash_password
from server.domain.orgs.importing import apply_org_import, plan_org_import
from server.domain.orgs.rows import ALIASES

# The demo county's tree, in the same file format a real county imports (docs: README,
# "Setting up a county"); the codes are 12-digit statistical division codes.
ORG_UNITS_FILE = Path(__file__).with_name("org_units_demo.csv")
COUNTY_CODE = "350521000000"


def build_units(session: Session) -> tuple[OrgUnit, list[OrgUnit], list[OrgUnit]]:
    """County, its townships and villages from the sample file, villages in file order
    (assistant1 = the first village), through the same import a county uses."""
    sheet = read_sheet(ORG_UNITS_FILE.read_bytes(), ORG_UNITS_FILE.name, ALIASES)
    apply_org_import(session, plan_org_import(session, sheet), actor_id=None, source="demo")
    units = {u.code: u for u in session.scalars(select(OrgUnit))}
    in_order = [units[row.get("code")] for row in sheet.rows]
    county = next(u for u in in_order if u.level == "county")
    townships = [u for u in in_order if u.level == "township"]
    villages = [u for u in in_order if u.level == "village"]
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
