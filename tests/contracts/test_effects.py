"""The effects fold: the server's `fold` gives the episodes and tag spans each case says."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from server.domain.episodes.effects import EffectsField
from server.domain.episodes.fold import episode_id, fold, span_id
from server.domain.episodes.listends import wanted_end
from server.domain.registry.model import ResidentTag
from tests.contracts.tables import cases, table

RESIDENT = table("effects")["resident_id"]


def definition(code: str, version: int) -> dict[str, Any] | None:
    found = [
        d for d in table("effects")["definitions"] if (d["code"], d["version"]) == (code, version)
    ]
    return found[0] if found else None


def without_ids(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in row.items() if k != "id"} for row in rows]


@pytest.mark.parametrize("case", cases("effects"))
def test_the_server_folds_records_as_the_table_says(case):
    got = fold(RESIDENT, case["records"], definition)
    assert (without_ids(got["episodes"]), without_ids(got["spans"])) == (
        case["episodes"],
        case["spans"],
    )


def _told(span: dict[str, Any]) -> ResidentTag:
    day = lambda v: v and date.fromisoformat(v)  # noqa: E731
    return ResidentTag(**{**span, "start_on": day(span["start_on"]), "end_on": day(span["end_on"])})


@pytest.mark.parametrize("case", [c for c in cases("effects") if "told" in c.values[0]])
def test_a_tag_end_ends_the_register_spans_the_table_says(case):
    ends = fold(RESIDENT, case["records"], definition)["ends"]
    got = []
    for span in map(_told, case["told"]):
        wanted = wanted_end(span, ends)
        end, record = (span.end_on, span.record_id) if wanted is None else (wanted[0], wanted[2])
        got.append({**{k: getattr(span, k) for k in ("tag", "source", "origin")},
                    "start_on": span.start_on and span.start_on.isoformat(),
                    "end_on": end and end.isoformat(), "record_id": record})  # fmt: skip
    assert got == case["told_after"]


@pytest.mark.parametrize("case", cases("effects"))
def test_each_folded_row_is_named_by_its_resident_kind_and_opening_record(case):
    got = fold(RESIDENT, case["records"], definition)
    for e in got["episodes"]:
        assert e["id"] == episode_id(RESIDENT, e["kind"], e["condition"], e["opened_by_record_id"])
    for s in got["spans"]:
        assert s["id"] == span_id(RESIDENT, s["tag"], s["record_id"])


@pytest.mark.parametrize("case", table("effects")["ids"], ids=lambda c: c["name"])
def test_row_ids_are_the_uuid5_the_table_gives(case):
    what, resident, name, condition, record = case["of"]
    made = (
        episode_id(resident, name, condition, record)
        if what == "episode"
        else span_id(resident, name, record)
    )
    assert made == case["id"]


@pytest.mark.parametrize(
    "found", table("effects")["definitions"], ids=lambda d: f"{d['code']}/v{d['version']}"
)
def test_the_table_definitions_pass_the_effects_checks(found):
    assert EffectsField().deserialize(found.get("effects", []), data=found) == found.get(
        "effects", []
    )
