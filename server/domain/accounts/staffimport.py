"""Importing a county's staff from a spreadsheet: one account per row, temporary passwords.

A township hands the county a list (username, name, role, unit code, phone); every row is held
to the rules of creating one account by hand (`staff.check_new_account`: the importer's scope,
the role's level, a free username), and the accounts are created together or not at all. The
server makes each temporary password, shows it once (the command prints it; the API offers a
sheet to print and hand out), keeps only its hash, and the user must change it at first sign-in.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.core.audit import record_audit
from server.core.org import OrgUnit
from server.core.problems import (
    IMPORT_DUPLICATE_ROW,
    IMPORT_VALUE_INVALID,
    IMPORT_VALUE_REQUIRED,
    ORG_UNIT_CODE_UNKNOWN,
    Problem,
)
from server.core.sheets import Issue, Sheet, check_columns, import_failed, write_xlsx
from server.domain.accounts import staff
from server.domain.accounts.model import USERNAME_LENGTH, USERNAME_PATTERN, User

REQUIRED = ("username", "name", "role", "org_unit_code")
ALIASES = {
    "用户名": "username",
    "账号": "username",
    "姓名": "name",
    "full_name": "name",
    "角色": "role",
    "单位代码": "org_unit_code",
    "org_code": "org_unit_code",
    "org_unit": "org_unit_code",
    "电话": "phone",
    "手机": "phone",
    "手机号": "phone",
}
ROLE_WORDS = {
    "assistant": "assistant",
    "助理员": "assistant",
    "健康助理员": "assistant",
    "supervisor": "supervisor",
    "督导": "supervisor",
    "督导员": "supervisor",
}
_USERNAME = re.compile(USERNAME_PATTERN)
_PHONE = re.compile(r"^1\d{10}$")
# No 0/O, 1/l/I: the password is read off paper and typed on a phone.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
PASSWORD_LENGTH = 10
# Which column a refusal of the one-at-a-time rules is about.
_COLUMN_OF = {"org_unit_id": "org_unit_code", "username": "username"}


def temporary_password() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(PASSWORD_LENGTH))


@dataclass
class StaffRow:
    line: int
    username: str
    full_name: str
    role: str
    unit: OrgUnit
    phone: str | None


@dataclass
class StaffPlan:
    rows: list[StaffRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    def report(self) -> dict[str, Any]:
        return {
            "summary": {"accounts": len(self.rows), "errors": len(self.issues)},
            "accounts": [
                {
                    "line": r.line,
                    "username": r.username,
                    "full_name": r.full_name,
                    "role": r.role,
                    "org_unit_code": r.unit.code,
                    "org_unit_name": r.unit.name,
                }
                for r in self.rows
            ],
            "errors": [i.as_dict() for i in self.issues],
        }


def plan_staff_import(session: Session, actor: User, sheet: Sheet) -> StaffPlan:
    """Every row checked, nothing written."""
    plan = StaffPlan()
    if not check_columns(sheet, REQUIRED, plan.issues):
        return plan
    units = {u.code: u for u in session.scalars(select(OrgUnit))}
    first_line: dict[str, int] = {}
    for row in sheet.rows:
        found = len(plan.issues)
        add = plan.issues.append
        username, role_text = row.get("username"), row.get("role")
        low, high = USERNAME_LENGTH
        if not username:
            add(Issue(row.line, "username", IMPORT_VALUE_REQUIRED, {"column": "username"}))
        elif not (low <= len(username) <= high and _USERNAME.match(username)):
            expected = f"{low}-{high} letters, digits, _ . -"
            params = {"column": "username", "value": username, "expected": expected}
            add(Issue(row.line, "username", IMPORT_VALUE_INVALID, params))
        elif username.lower() in first_line:
            params = {
                "column": "username",
                "value": username,
                "first_line": first_line[username.lower()],
            }
            add(Issue(row.line, "username", IMPORT_DUPLICATE_ROW, params))
        first_line.setdefault(username.lower(), row.line)
        role = ROLE_WORDS.get(role_text.lower())
        if role is None:
            expected = "assistant or supervisor (助理员, 督导员)"
            params = {"column": "role", "value": role_text, "expected": expected}
            add(Issue(row.line, "role", IMPORT_VALUE_INVALID, params))
        full_name = row.get("name")
        if len(full_name) > 100:
            params = {"column": "name", "value": full_name[:20], "expected": "100 characters"}
            add(Issue(row.line, "name", IMPORT_VALUE_INVALID, params))
        phone = row.get("phone").replace(" ", "").replace("-", "") or None
        if phone and not _PHONE.match(phone):
            expected = "an 11-digit mobile number"
            params = {"column": "phone", "value": phone, "expected": expected}
            add(Issue(row.line, "phone", IMPORT_VALUE_INVALID, params))
        code = row.get("org_unit_code")
        unit = units.get(code)
        if unit is None:
            add(Issue(row.line, "org_unit_code", ORG_UNIT_CODE_UNKNOWN, {"code": code}))
        if len(plan.issues) > found or unit is None or role is None:
            continue
        try:
            staff.check_new_account(
                session, actor, username=username, role=role, org_unit_id=unit.id
            )
        except Problem as problem:
            column = next((_COLUMN_OF.get(k, "role") for k in problem.errors), "role")
            add(Issue.of(row.line, column, problem))
            continue
        plan.rows.append(StaffRow(row.line, username, full_name, role, unit, phone))
    return plan


def apply_staff_import(
    session: Session, actor: User, plan: StaffPlan, *, source: str, device_id: int | None = None
) -> list[dict[str, Any]]:
    """Create the accounts (the caller commits); each with its temporary password, shown once."""
    if plan.issues:
        raise import_failed(plan.issues)
    created = []
    for row in plan.rows:
        password = temporary_password()
        user = staff.create_account(
            session,
            actor,
            username=row.username,
            role=row.role,
            org_unit_id=row.unit.id,
            password=password,
            full_name=row.full_name,
            device_id=device_id,
            phone=row.phone,
        )
        created.append(
            {
                "id": user.id,
                "username": user.username,
                "full_name": user.full_name,
                "role": user.role,
                "org_unit_code": row.unit.code,
                "org_unit_name": row.unit.name,
                "phone": row.phone,
                "temporary_password": password,
            }
        )
    record_audit(
        session,
        actor_id=actor.id,
        device_id=device_id,
        entity="import",
        entity_id="staff",
        action="import_staff",
        before=None,
        after={"source": source, "accounts": [c["username"] for c in created]},
    )
    return created


SHEET_HEADER = ["用户名", "姓名", "角色", "单位代码", "单位", "手机", "临时密码(首次登录须修改)"]
ROLE_NAMES = {"assistant": "健康助理员", "supervisor": "督导员"}


def password_sheet(created: list[dict[str, Any]]) -> bytes:
    """The XLSX a township prints and hands out: one line per new account, its password."""
    rows = [
        [
            c["username"],
            c["full_name"],
            ROLE_NAMES.get(c["role"], c["role"]),
            c["org_unit_code"],
            c["org_unit_name"],
            c["phone"] or "",
            c["temporary_password"],
        ]
        for c in created
    ]
    return write_xlsx(SHEET_HEADER, rows, title="临时密码")
