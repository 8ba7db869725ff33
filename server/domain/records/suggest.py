"""Answers the phone pre-fills (the user may change them; the server never enforces them).

`count_prior`: the visit number, one more than the resident's earlier live records of a form.
`nearest_age_point`: the check-up whose age point (an option's `at`) is nearest the child's age
at the visit. Pure functions, mirrored by pwa/js/suggest.js, so the demo generator and later
tasks suggest what the phone does (tests/contracts/suggestions.json).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from server.domain.records.ruleschema import age_value
from server.domain.registry.tags import age_point

NOT_LIVE = ("rejected",)


def visit_number(
    form_code: str,
    visit_date: date,
    prior: list[dict[str, Any]],
    exclude_id: Any = None,
    since: date | None = None,
) -> int:
    """1 + the resident's other live records of `form_code` visited on or before `visit_date`
    (and on or after `since`, this record's delivery date: a mother's visits for an earlier
    baby do not count).

    `prior` are records as dicts (`id`, `form_code`, `visit_date`, `deleted`, `review_status`);
    deleted and rejected ones do not count, nor the record being edited (`exclude_id`).
    """
    counted = [
        record
        for record in prior
        if record.get("form_code") == form_code
        and not record.get("deleted")
        and record.get("review_status") not in NOT_LIVE
        and (exclude_id is None or str(record.get("id")) != str(exclude_id))
        and _as_date(record.get("visit_date")) <= visit_date
        and (since is None or _as_date(record.get("visit_date")) >= since)
    ]
    return 1 + len(counted)


def nearest_age_point(
    field: dict[str, Any], birth_date: date | None, visit_date: date
) -> str | None:
    """The option whose `at` age falls nearest the age at the visit (a tie: the earlier point)."""
    if birth_date is None:
        return None
    age_days = (visit_date - birth_date).days
    best: tuple[int, int, str] | None = None
    for option in field.get("options") or []:
        if "at" not in option:
            continue
        point = (age_point(birth_date, *age_value(option["at"])) - birth_date).days
        key = (abs(age_days - point), point, option["value"])
        if best is None or key[:2] < best[:2]:
            best = key
    return None if best is None else best[2]


def suggestions(
    definition: dict[str, Any],
    birth_date: date | None,
    visit_date: date,
    prior: list[dict[str, Any]],
    exclude_id: Any = None,
    data: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The suggested answer of each field of the form that has a `suggest` rule (and one);
    `data` are the answers so far (a `since_field`'s date)."""
    found: dict[str, Any] = {}
    for spec in definition["fields"]:
        rule = spec.get("suggest")
        if not rule:
            continue
        if "count_prior" in rule:
            form, since = count_prior_rule(rule, data or {})
            value: Any = visit_number(form, visit_date, prior, exclude_id, since)
        else:
            value = nearest_age_point(spec, birth_date, visit_date)
        if value is not None:
            found[spec["name"]] = value
    return found


def count_prior_rule(rule: dict[str, Any], data: dict[str, Any]) -> tuple[str, date | None]:
    """The form a `count_prior` counts and the date it counts from: the `since_field` answer
    when it is a date, else None (every earlier visit counts)."""
    counted = rule["count_prior"]
    if isinstance(counted, str):
        return counted, None
    answer = data.get(counted.get("since_field") or "")
    try:
        since = date.fromisoformat(answer) if isinstance(answer, str) else None
    except ValueError:
        since = None
    return counted["form"], since


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)
