"""The hard facts of a form's eligibility a pushed record must meet: born by the visit, of the
form's sex, of its ages on the visit date.

The phone offers a form only to eligible residents (`catalogue.eligible`); these are the parts
that cannot change offline, so a record breaking them is a slip or a forged push. Tags are left
out: they start and end with records and may differ between phones until they sync.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from server.domain.records.ruleschema import age_value
from server.domain.registry.tags import age_in

BEFORE_BIRTH = "The visit date is before the resident's birth date."
WRONG_SEX = "This form is not for residents of this sex."
WRONG_AGE = "At the visit date this resident's age is outside the form's ages."


def fact_problems(
    definition: dict[str, Any], birth_date: date | None, sex: str | None, visit_date: date
) -> dict[str, list[str]]:
    """`visit_date` and `resident_id` messages, the same age rule as `catalogue.eligible`."""
    if birth_date is not None and visit_date < birth_date:
        return {"visit_date": [BEFORE_BIRTH]}
    rule = definition.get("eligibility") or {}
    messages = []
    if rule.get("sex") and sex != rule["sex"]:
        messages.append(WRONG_SEX)
    if outside_ages(rule, birth_date, visit_date):
        messages.append(WRONG_AGE)
    return {"resident_id": messages} if messages else {}


def outside_ages(rule: dict[str, Any], birth_date: date | None, on: date) -> bool:
    """Whether an eligibility rule's age bounds (inclusive, completed units) exclude the
    resident on `on`; an unknown birth date fails any bound."""
    for key in ("min_age", "max_age"):
        if rule.get(key) is None:
            continue
        if birth_date is None:
            return True
        value, unit = age_value(rule[key])
        age = age_in(birth_date, on, unit)
        if age < value if key == "min_age" else age > value:
            return True
    return False
