"""The national immunisation schedule (国家免疫规划疫苗儿童免疫程序) as versioned data.

The schedule changes by decree (DTaP moved to 2, 4, 6 and 18 months and took over the 6-year DT
booster on 2025-01-01; HPV for girls from 2025-11-10), so each edition is a file in
server/schedules/nip/ and each org unit follows the edition its settings name, inherited from
its township or county, default `nip_2025` (server/domain/orgs/settings.py). Notifications,
tasks and the vaccination form read dose codes and ages from here, never from code. No Flask
and no tables.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from server.domain.registry.tags import age_point

SCHEDULES_DIR = Path(__file__).resolve().parents[2] / "schedules" / "nip"
AGE_UNITS = ("days", "weeks", "months", "years")
# For ordering checks only (a limit after its age); due dates count calendar units.
_APPROX_DAYS = {"days": 1, "weeks": 7, "months": 30.44, "years": 365.25}
DOSE_CODE = re.compile(r"^[a-z]+_[1-9]$")
VERSION = re.compile(r"^nip_[0-9]{4}[a-z]*$")
CONDITION_KEYS = {"sex", "born_on_or_after"}


class ScheduleError(ValueError):
    """A schedule file that cannot be used; the message names the file and the dose."""


@dataclass(frozen=True)
class Age:
    """An age in completed calendar units, as form eligibility counts them (docs/forms.md)."""

    value: int
    unit: str

    def approx_days(self) -> float:
        return self.value * _APPROX_DAYS[self.unit]


def parse_age(raw: Any, where: str = "age") -> Age:
    """`{"value": n, "unit": "days" | "weeks" | "months" | "years"}`, n a whole number ≥ 0."""
    if not isinstance(raw, dict) or set(raw) != {"value", "unit"}:
        raise ScheduleError(f"{where}: an age is {{value, unit}}.")
    value, unit = raw["value"], raw["unit"]
    if type(value) is not int or value < 0:
        raise ScheduleError(f"{where}: the value must be a whole number of at least 0.")
    if unit not in AGE_UNITS:
        raise ScheduleError(f"{where}: the unit must be one of {', '.join(AGE_UNITS)}.")
    return Age(value, unit)


@dataclass(frozen=True)
class Dose:
    code: str
    vaccine: dict[str, str]
    age: Age
    complete_by: Age | None
    notes: dict[str, str] | None
    condition: dict[str, str] | None
    min_interval: dict[str, Any] | None

    @property
    def series(self) -> str:
        return self.code.rsplit("_", 1)[0]

    def due_on(self, birth_date: date) -> date:
        """The first day of the recommended age (in completed calendar units, as eligibility)."""
        return age_point(birth_date, self.age.value, self.age.unit)

    def late_from(self, birth_date: date) -> date | None:
        """The first day the dose is late (the child has reached `complete_by`); None: no limit."""
        limit = self.complete_by
        return None if limit is None else age_point(birth_date, limit.value, limit.unit)

    def applies_to(self, sex: str | None, birth_date: date | None) -> bool:
        """Whether a child of this sex and birth date is in the dose's target group (HPV: girls
        born on or after 2011-11-10); an unknown sex or birth date does not meet a condition."""
        rule = self.condition or {}
        if "sex" in rule and sex != rule["sex"]:
            return False
        born_from = rule.get("born_on_or_after")
        return born_from is None or (
            birth_date is not None and birth_date >= date.fromisoformat(born_from)
        )


@dataclass(frozen=True)
class Schedule:
    version: str
    title: dict[str, str]
    effective_from: date
    doses: tuple[Dose, ...]
    alternatives: tuple[tuple[str, ...], ...]

    def dose(self, code: str) -> Dose:
        return next(d for d in self.doses if d.code == code)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(d.code for d in self.doses)


def _label(raw: Any, where: str) -> dict[str, str]:
    if not isinstance(raw, dict) or not all(
        isinstance(raw.get(k), str) and raw[k].strip() for k in ("zh", "en")
    ):
        raise ScheduleError(f"{where}: needs zh and en.")
    return {"zh": raw["zh"], "en": raw["en"]}


def _dose(raw: dict[str, Any], where: str, earlier: set[str]) -> Dose:
    code = raw.get("code")
    if not isinstance(code, str) or not DOSE_CODE.match(code):
        raise ScheduleError(f"{where}: a dose code is <series>_<n>, like hepb_1.")
    here = f"{where} ({code})"
    if code in earlier:
        raise ScheduleError(f"{here}: the code appears twice.")
    age = parse_age(raw.get("age"), f"{here} age")
    limit = raw.get("complete_by")
    complete_by = None if limit is None else parse_age(limit, f"{here} complete_by")
    if complete_by is not None and complete_by.approx_days() <= age.approx_days():
        raise ScheduleError(f"{here}: complete_by must come after the recommended age.")
    condition = raw.get("condition")
    if condition is not None:
        if not isinstance(condition, dict) or not condition or set(condition) - CONDITION_KEYS:
            raise ScheduleError(f"{here}: a condition takes {', '.join(sorted(CONDITION_KEYS))}.")
        if condition.get("sex") not in (None, "M", "F"):
            raise ScheduleError(f"{here}: condition sex is M or F.")
        if "born_on_or_after" in condition:
            try:
                date.fromisoformat(condition["born_on_or_after"])
            except (TypeError, ValueError):
                raise ScheduleError(f"{here}: born_on_or_after is a YYYY-MM-DD date.") from None
    interval = raw.get("min_interval")
    if interval is not None:
        if not isinstance(interval, dict) or interval.get("after") not in earlier:
            raise ScheduleError(f"{here}: min_interval names an earlier dose under 'after'.")
        parse_age({k: v for k, v in interval.items() if k != "after"}, f"{here} min_interval")
    notes = raw.get("notes")
    return Dose(
        code=code,
        vaccine=_label(raw.get("vaccine"), f"{here} vaccine"),
        age=age,
        complete_by=complete_by,
        notes=None if notes is None else _label(notes, f"{here} notes"),
        condition=condition,
        min_interval=interval,
    )


def check_schedule(raw: Any, where: str = "schedule") -> Schedule:
    """The schedule a file holds, or ScheduleError saying what is wrong where."""
    if not isinstance(raw, dict) or not isinstance(raw.get("doses"), list) or not raw["doses"]:
        raise ScheduleError(f"{where}: expected an object with a list of doses.")
    version = raw.get("version")
    if not isinstance(version, str) or not VERSION.match(version):
        raise ScheduleError(f"{where}: the version is like nip_2025.")
    try:
        effective_from = date.fromisoformat(raw.get("effective_from"))
    except (TypeError, ValueError):
        raise ScheduleError(f"{where}: effective_from is a YYYY-MM-DD date.") from None
    doses: list[Dose] = []
    for index, entry in enumerate(raw["doses"]):
        if not isinstance(entry, dict):
            raise ScheduleError(f"{where}: dose {index} is not an object.")
        doses.append(_dose(entry, f"{where}: dose {index}", {d.code for d in doses}))
    series = {d.series for d in doses}
    alternatives = tuple(tuple(group) for group in raw.get("alternatives") or [])
    for group in alternatives:
        if len(group) < 2 or not set(group) <= series:
            raise ScheduleError(f"{where}: alternatives name two or more series of this schedule.")
    return Schedule(version, _label(raw.get("title"), f"{where} title"), effective_from,
                    tuple(doses), alternatives)  # fmt: skip


def versions(directory: Path = SCHEDULES_DIR) -> list[str]:
    """The schedule editions in the directory, oldest first."""
    return sorted(p.stem for p in directory.glob("nip_*.json"))


@cache
def schedule(version: str, directory: Path = SCHEDULES_DIR) -> Schedule:
    """One edition, read and checked once per process."""
    path = directory / f"{version}.json"
    if not VERSION.match(version) or not path.is_file():
        raise ScheduleError(f"There is no immunisation schedule {version!r}.")
    schedule_ = check_schedule(json.loads(path.read_text(encoding="utf-8")), path.name)
    if schedule_.version != version:
        raise ScheduleError(f"{path.name} declares {schedule_.version}.")
    return schedule_
