"""Marks on queue rows and record pages, and which of a record's fields apply.

Marks come from the form version's danger values and the form's marks file
(server/domain/review/marks.py); a `change` rule needs
the resident's previous record of the same form, looked up only for forms that have one.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from server.domain.records.form_labels import DefinitionCache
from server.domain.records.formrules import is_blank, visible_fields
from server.domain.records.model import ServiceRecord
from server.domain.review.marks import Mark, has_change_rules, marks_of, rules_for


def previous_data(session: Session, record: ServiceRecord) -> dict[str, Any] | None:
    """The data of the resident's last live record of the same form before this one."""
    if record.resident_id is None:
        return None
    earlier = or_(
        ServiceRecord.visit_date < record.visit_date,
        and_(
            ServiceRecord.visit_date == record.visit_date,
            ServiceRecord.created_at < record.created_at,
        ),
    )
    return session.scalar(
        select(ServiceRecord.data)
        .where(
            ServiceRecord.resident_id == record.resident_id,
            ServiceRecord.form_code == record.form_code,
            ServiceRecord.deleted.is_(False),
            ServiceRecord.id != record.id,
            earlier,
        )
        .order_by(ServiceRecord.visit_date.desc(), ServiceRecord.created_at.desc())
        .limit(1)
    )


def record_marks(
    session: Session, definitions: DefinitionCache, record: ServiceRecord
) -> list[Mark]:
    """The marks of one record under its own form version's fields and danger values."""
    rules = rules_for(record.form_code)
    previous = previous_data(session, record) if has_change_rules(rules) else None
    definition = definitions.get(record.form_code, record.form_version)
    return marks_of(rules, definition, record.data or {}, previous)


def applying(definition: dict[str, Any] | None, data: dict[str, Any], fields: list[dict]) -> list:
    """The labelled fields that apply: shown by their `show_if`, and answered unless required.

    A field the record's answers hide, or an optional question left empty, is not listed; a
    value the definition does not name is always listed (nothing a phone sent is hidden).
    """
    if not definition:
        return fields
    specs = {spec["name"]: spec for spec in definition.get("fields", [])}
    shown = visible_fields(definition, data)
    out = []
    for item in fields:
        spec = specs.get(item["name"])
        if spec is None or (
            item["name"] in shown and (spec.get("required") or not is_blank(item["value"]))
        ):
            out.append(item)
    return out
