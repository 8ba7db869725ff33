"""CSV and XLSX exports of the review queue's records, streamed row by row.

A county's month is hundreds of thousands of rows, so nothing here holds the result set: the
query runs with `yield_per`, selects plain columns (no ORM objects, no identity map), and each
chunk of output is handed on as soon as it is written. XLSX goes through openpyxl's write-only
workbook into a temporary file that is then streamed and deleted (workbook.py).

Cells are typed: numbers are numbers (the unit in the header: "体重(家用秤)（kg）"), a blood
pressure is two number columns (收缩压, 舒张压), dates are dates; choices, yes/no and text are the
words a person reads. CSV writes them as text (ISO dates), still UTF-8 with a BOM.

Layout: fixed columns about the record, then one column per form field with its Chinese label.
When the export holds several forms, field columns are the union of every form's fields, grouped
by form (in form-code order, fields in definition order) and headed "表单标题·字段标签" so two
forms' fields of the same name never share a column; a cell is empty when the row is another form.
ID numbers are masked (only their region digits are read from the database): the full number is
shown only in a supervisor's record view. Records of the sensitive forms are, for a viewer who
does not care for the resident (registry/privacy.py), rows of a neutral "随访" with no answers
(the pseudo-form `followup`, a sheet of its own in XLSX); the tally counts the sensitive rows
that were shown, for the export's `read.sensitive` audit row.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from server.core.clock import local_time
from server.core.org import OrgUnit
from server.domain.accounts.model import User
from server.domain.records.form_labels import (
    DefinitionCache,
    display_value,
    field_label,
    form_title,
)
from server.domain.records.model import ServiceRecord
from server.domain.registry.idnumber import REGION_DIGITS, masked_region
from server.domain.registry.model import Resident
from server.domain.registry.privacy import (
    MASKED_FORM_CODE,
    SENSITIVE_FORMS,
    care_condition,
    is_sensitive_form,
    masked_form_title,
    masks_record,
)
from server.domain.review.cells import safe_cell
from server.domain.review.filewriters import Tally, counted, csv_bytes
from server.domain.review.queue import RecordFilters, apply_filters

BATCH = 1000
STATUS_ZH = {"pending": "待审核", "approved": "已通过", "returned": "已退回", "rejected": "未通过"}
SEX_ZH = {"M": "男", "F": "女"}
FIXED_HEADERS = [
    "记录编号",
    "村",
    "居民姓名",
    "身份证号(脱敏)",
    "性别",
    "出生日期",
    "服务项目",
    "表单版本",
    "服务日期",
    "助理员",
    "审核状态",
    "审核意见",
    "接收时间",
]


NUMBER_TYPES = ("integer", "decimal")
BP_PARTS = (("systolic", "收缩压"), ("diastolic", "舒张压"))


@dataclass(frozen=True)
class FieldColumn:
    """One export column of a form field: a blood pressure has two (`part`), a number's unit
    goes into its header so the cell holds the bare number."""

    form_code: str
    name: str
    header: str
    kind: str = "text"  # text | number | date
    part: str | None = None


def columns_of_field(code: str, field: dict[str, Any], prefix: str = "") -> list[FieldColumn]:
    label, unit, kind = field_label(field), field.get("unit"), field.get("type")
    if kind == "blood_pressure":
        unit = unit or "mmHg"
        return [
            FieldColumn(code, field["name"], f"{prefix}{label}·{word}（{unit}）", "number", part)
            for part, word in BP_PARTS
        ]
    if kind in NUMBER_TYPES:
        header = f"{prefix}{label}（{unit}）" if unit else f"{prefix}{label}"
        return [FieldColumn(code, field["name"], header, "number")]
    return [
        FieldColumn(code, field["name"], f"{prefix}{label}", "date" if kind == "date" else "text")
    ]


def field_value(field: dict[str, Any] | None, column: FieldColumn, value: Any) -> Any:
    """A cell as Excel can compute with it: numbers as numbers, dates as dates, else the text
    a person reads (option labels, 是/否); None for no answer."""
    if column.part is not None:
        value = value.get(column.part) if isinstance(value, dict) else None
    if value is None or value == "" or value == []:
        return None
    if column.kind == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if column.kind == "date" and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return display_value(field, value)


def _forms_in(session: Session, user: User, filters: RecordFilters) -> list[tuple[str, int]]:
    """(code, version) of the records; masked sensitive ones as (`followup`, 0)."""
    cared = care_condition(ServiceRecord.village_id, user).label("cared")
    stmt = apply_filters(
        select(ServiceRecord.form_code, ServiceRecord.form_version, cared).distinct(),
        user,
        filters,
    )
    found = {
        (MASKED_FORM_CODE, 0) if code in SENSITIVE_FORMS and not shown else (code, version)
        for code, version, shown in session.execute(stmt)
    }
    return sorted(found)


def title_of(definitions: DefinitionCache, code: str, version: int) -> str:
    if code == MASKED_FORM_CODE:
        return masked_form_title()
    return form_title(definitions.get(code, version), code)


def field_columns(
    session: Session, user: User, filters: RecordFilters, definitions: DefinitionCache
) -> list[FieldColumn]:
    """The field columns of the forms present, labelled in Chinese (see module docstring)."""
    forms = _forms_in(session, user, filters)
    codes = sorted({code for code, _ in forms})
    several = len(codes) > 1
    columns: list[FieldColumn] = []
    for code in codes:
        versions = sorted((v for c, v in forms if c == code), reverse=True)
        seen: set[str] = set()
        title = title_of(definitions, code, versions[0])
        for version in versions:  # newest version's labels and order first
            for field in (definitions.get(code, version) or {}).get("fields", []):
                if field["name"] in seen:
                    continue
                seen.add(field["name"])
                columns += columns_of_field(code, field, f"{title}·" if several else "")
    return columns


def form_codes(session: Session, user: User, filters: RecordFilters) -> dict[str, int]:
    """The forms the filtered records were made with, in code order, with their newest version
    present (whose title names the form's sheet)."""
    newest: dict[str, int] = {}
    for code, version in _forms_in(session, user, filters):
        newest[code] = max(version, newest.get(code, 0))
    return newest


def _rows_query(user: User, filters: RecordFilters):
    village = aliased(OrgUnit)
    author = aliased(User)
    stmt = (
        select(
            ServiceRecord.id,
            village.name,
            Resident.name,
            func.substr(Resident.id_number, 1, REGION_DIGITS),
            Resident.sex,
            Resident.birth_date,
            ServiceRecord.form_code,
            ServiceRecord.form_version,
            ServiceRecord.visit_date,
            author.full_name,
            author.username,
            ServiceRecord.review_status,
            ServiceRecord.review_comment,
            ServiceRecord.created_at,
            ServiceRecord.data,
            ServiceRecord.village_id,
        )
        .join(village, village.id == ServiceRecord.village_id)
        .join(author, author.id == ServiceRecord.author_id)
        .outerjoin(Resident, Resident.id == ServiceRecord.resident_id)
    )
    return (
        apply_filters(stmt, user, filters)
        .order_by(ServiceRecord.visit_date, ServiceRecord.id)
        .execution_options(yield_per=BATCH)
    )


def export_rows(
    session: Session, user: User, filters: RecordFilters, tally: Tally | None = None
) -> Iterator[list[Any]]:
    """The header row, then one row of typed cells per record, lazily from a streamed query."""
    definitions = DefinitionCache(session)
    columns = field_columns(session, user, filters, definitions)
    yield FIXED_HEADERS + [c.header for c in columns]
    field_defs: dict[tuple[str, int], dict[str, dict[str, Any]]] = {}
    titles: dict[str, str] = {}
    for row in session.execute(_rows_query(user, filters)):
        (rid, village, name, region, sex, birth, code, version, visit, full_name, username,
         status, comment, received, data, village_id) = row  # fmt: skip
        if masks_record(user, code, village_id):
            code, version, data = MASKED_FORM_CODE, 0, {}
        elif tally is not None and is_sensitive_form(code):
            tally.sensitive += 1
        key = (code, version)
        if key not in field_defs:
            definition = definitions.get(code, version) or {}
            field_defs[key] = {f["name"]: f for f in definition.get("fields", [])}
            titles.setdefault(code, title_of(definitions, code, version))
        fields = field_defs[key]
        data = data or {}
        fixed = [
            str(rid),
            village or "",
            name or "",
            masked_region(region),
            SEX_ZH.get(sex or "", ""),
            birth,
            titles[code],
            version,
            visit,
            full_name or username,
            STATUS_ZH.get(status, status),
            comment or "",
            local_time(received).replace(tzinfo=None, second=0, microsecond=0),
        ]
        values = [
            field_value(fields.get(c.name), c, data.get(c.name)) if c.form_code == code else None
            for c in columns
        ]
        yield [safe_cell(v) if isinstance(v, str) else v for v in fixed + values]


def csv_chunks(
    session: Session, user: User, filters: RecordFilters, tally: Tally | None = None
) -> Iterator[bytes]:
    """The records as UTF-8 CSV with a BOM."""
    yield from csv_bytes(counted(export_rows(session, user, filters, tally), tally))
