"""Form definitions with effects for the episode tests (never files in server/forms/)."""

from __future__ import annotations

from typing import Any

LABEL = {"zh": "字段", "en": "Field"}


def form(code: str, fields: list[dict[str, Any]], effects: list[dict[str, Any]]) -> dict:
    return {
        "code": code,
        "version": 1,
        "title": {"zh": code, "en": code},
        "category": "maternal",
        "weight": 1,
        "subject": "resident",
        "non_medical": False,
        "fields": [{"label": LABEL, **f} for f in fields],
        "effects": effects,
    }


BOOKING = form(
    "t_booking",
    [{"name": "lmp", "type": "date"}, {"name": "edd", "type": "date"}],
    [
        {"episode": "pregnancy", "action": "open", "facts": {"lmp": "lmp", "edd": "edd"}},
        {"tag": "pregnant", "action": "start", "on": "$visit_date"},
    ],
)
DELIVERY = form(
    "t_delivery",
    [{"name": "delivery_date", "type": "date"}, {"name": "discharge_date", "type": "date"}],
    [
        {"episode": "pregnancy", "action": "close", "closed_on": "delivery_date",
         "facts": {"delivery_date": "delivery_date", "discharge_date": "discharge_date"},
         "close_reason": "delivered"},
        {"tag": "pregnant", "action": "end", "on": "delivery_date"},
        {"tag": "postpartum", "action": "start", "on": "delivery_date",
         "end_after": {"value": 42, "unit": "days"}},
    ],
)  # fmt: skip
TB_CLOSING = form(
    "t_tb_closing",
    [{"name": "outcome", "type": "text"}],
    [{"tag": "tuberculosis", "action": "end", "on": "$visit_date"}],
)
