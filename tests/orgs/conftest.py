"""Spreadsheets for the import tests, written the way a county's Excel saves them."""

from __future__ import annotations

import base64
import csv
import io

import pytest

from server.core.sheets import read_sheet, write_xlsx
from server.domain.orgs.rows import ALIASES

HEADER = ["code", "name", "parent_code", "population"]
COUNTY = ["350521000000", "惠安县", "", "480000"]
TOWNSHIP = ["350521100000", "螺城镇", "350521000000", "62000"]
VILLAGE = ["350521100201", "上坑村", "350521100000", "1650"]


def csv_bytes(rows: list[list[str]], header: list[str] = HEADER, bom: bool = True) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode()


def sheet(rows: list[list[str]], header: list[str] = HEADER):
    return read_sheet(csv_bytes(rows, header), "units.csv", ALIASES)


def upload(data: bytes, filename: str = "units.csv", **extra) -> dict:
    return {"filename": filename, "content": base64.b64encode(data).decode(), **extra}


def xlsx_bytes(rows: list[list], header: list[str] = HEADER) -> bytes:
    return write_xlsx(header, rows)


@pytest.fixture
def county_file() -> bytes:
    return csv_bytes([COUNTY, TOWNSHIP, VILLAGE])


class County:
    """The demo county's tree imported from its sample file, with an admin and a supervisor."""

    def __init__(self, session) -> None:
        from sqlalchemy import select

        from server.core.org import OrgUnit
        from server.demo.county import ORG_UNITS_FILE
        from server.domain.orgs.importing import apply_org_import, plan_org_import
        from tests.factories import make_user

        data = read_sheet(ORG_UNITS_FILE.read_bytes(), ORG_UNITS_FILE.name, ALIASES)
        apply_org_import(session, plan_org_import(session, data), actor_id=None, source="t")
        self.units = {u.code: u for u in session.scalars(select(OrgUnit))}
        self.county = self.units["350521000000"]
        self.township = self.units["350521100000"]
        self.village = self.units["350521100201"]
        self.admin = make_user(session, "admin", "admin", self.county)
        self.supervisor = make_user(session, "sup", "supervisor", self.township)
        session.commit()


@pytest.fixture
def county(app):
    from server.extensions import db

    return County(db.session)
