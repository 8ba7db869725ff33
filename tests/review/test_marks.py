"""Reviewer marks: rules from a form's marks file, evaluated on a record's answers."""

from __future__ import annotations

import json

import pytest

from server.domain.records.catalogue import FORMS_DIR, MARKS_FILE, form_files
from server.domain.review.marks import MarksError, check_rules, marks_of, rules_for

DEFINITION = {
    "fields": [
        {"name": "bp_source", "type": "choice", "label": {"zh": "血压来源", "en": "BP source"}},
        {
            "name": "blood_pressure",
            "type": "blood_pressure",
            "unit": "mmHg",
            "label": {"zh": "血压", "en": "Blood pressure"},
            "show_if": {"field": "bp_source", "in": ["measured"]},
        },
        {
            "name": "glucose",
            "type": "decimal",
            "unit": "mmol/L",
            "label": {"zh": "血糖", "en": "G"},
        },
        {"name": "weight_kg", "type": "decimal", "unit": "kg", "label": {"zh": "体重", "en": "W"}},
        {"name": "complaints", "type": "multi_choice", "label": {"zh": "不适", "en": "C"}},
        {"name": "incident", "type": "yes_no", "label": {"zh": "事件", "en": "I"}},
    ]
}
MSG = {"zh": "危险", "en": "danger"}
RULES = [
    {
        "field": "blood_pressure",
        "kind": "danger",
        "part": "systolic",
        "at_least": 180,
        "message": MSG,
    },
    {
        "field": "blood_pressure",
        "kind": "danger",
        "part": "diastolic",
        "at_least": 110,
        "message": MSG,
    },
    {"field": "glucose", "kind": "danger", "at_least": 16.7, "message": MSG},
    {"field": "glucose", "kind": "danger", "at_most": 3.9, "message": MSG},
    {"field": "weight_kg", "kind": "plausible", "min": 30, "max": 150},
    {"field": "weight_kg", "kind": "change", "more_than": 5},
    {"field": "complaints", "kind": "danger", "includes": ["fever"], "message": MSG},
    {"field": "incident", "kind": "danger", "equals": True, "message": MSG},
    {"field": "not_in_this_version", "kind": "danger", "equals": True, "message": MSG},
]
MEASURED = {"bp_source": "measured"}


@pytest.mark.parametrize(
    ("data", "previous", "expected"),
    [
        (
            {**MEASURED, "blood_pressure": {"systolic": 180, "diastolic": 90}},
            None,
            [("blood_pressure", "danger")],
        ),
        ({**MEASURED, "blood_pressure": {"systolic": 179, "diastolic": 109}}, None, []),
        (
            {**MEASURED, "blood_pressure": {"systolic": 150, "diastolic": 110}},
            None,
            [("blood_pressure", "danger")],
        ),
        (
            {"bp_source": "not_measured", "blood_pressure": {"systolic": 200, "diastolic": 120}},
            None,
            [],
        ),
        ({"glucose": 16.7}, None, [("glucose", "danger")]),
        ({"glucose": 16.6}, None, []),
        ({"glucose": 3.9}, None, [("glucose", "danger")]),
        ({"glucose": 4.0}, None, []),
        ({"weight_kg": 25}, None, [("weight_kg", "plausible")]),
        ({"weight_kg": 60}, {"weight_kg": 66}, [("weight_kg", "change")]),
        ({"weight_kg": 60}, {"weight_kg": 65}, []),
        ({"weight_kg": 60}, None, []),
        ({"complaints": ["none"]}, None, []),
        ({"complaints": ["cough", "fever"]}, None, [("complaints", "danger")]),
        ({"incident": True}, None, [("incident", "danger")]),
        ({"incident": False}, None, []),
        ({"incident": 1}, None, []),
        ({"not_in_this_version": True}, None, []),
        ({}, {"weight_kg": 80}, []),
    ],
)
def test_marks_of_answers(data, previous, expected):
    found = marks_of(RULES, DEFINITION, data, previous)
    assert [(m.field, m.kind) for m in found] == expected


def test_a_range_mark_says_the_value_and_the_usual_range():
    (mark,) = marks_of(RULES, DEFINITION, {"weight_kg": 25})
    assert mark.message["zh"] == "体重 25 超出常见范围（30–150 kg），请核实"


def test_a_range_mark_words_a_two_language_unit_in_each_language():
    spec = {"name": "pulse", "type": "integer", "unit": {"zh": "次/分", "en": "beats/min"},
            "label": {"zh": "心率", "en": "Pulse"}}  # fmt: skip
    rule = {"field": "pulse", "kind": "plausible", "max": 130}
    (mark,) = marks_of([rule], {"fields": [spec]}, {"pulse": 150})
    assert "（–130 次/分）" in mark.message["zh"]
    assert "(–130 beats/min)" in mark.message["en"]


def test_a_change_mark_says_old_and_new():
    (mark,) = marks_of(RULES, DEFINITION, {"weight_kg": 60}, {"weight_kg": 70.5})
    assert "70.5 → 60" in mark.message["zh"]


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ([], "list under 'marks'"),
        ({"marks": [{"kind": "danger"}]}, "needs a field name"),
        ({"marks": [{"field": "x", "kind": "odd"}]}, "kind must be"),
        ({"marks": [{"field": "x", "kind": "plausible", "at_least": 1}]}, "takes max, min"),
        ({"marks": [{"field": "x", "kind": "danger", "equals": True}]}, "message in zh and en"),
        ({"marks": [{"field": "x", "kind": "change", "more_than": 1, "part": "pulse"}]}, "part"),
    ],
)
def test_a_broken_marks_file_is_refused(raw, problem):
    with pytest.raises(MarksError, match=problem):
        check_rules(raw)


CODES = sorted({f.code for f in form_files()})


@pytest.mark.parametrize("code", [c for c in CODES if (FORMS_DIR / c / MARKS_FILE).exists()])
def test_every_marked_field_exists_in_a_version_of_its_form(code):
    names: dict[str, str] = {}
    for file in form_files():
        if file.code == code:
            for field in json.loads(file.path.read_text(encoding="utf-8"))["fields"]:
                names[field["name"]] = field["type"]
    for rule in rules_for(code):
        assert rule["field"] in names, rule
        if "part" in rule:
            assert names[rule["field"]] == "blood_pressure", rule


def test_the_shipped_marks_name_the_danger_values_of_the_issue():
    hypertension = rules_for("hypertension_followup")
    assert {"field": "blood_pressure", "part": "systolic", "at_least": 180}.items() <= next(
        r for r in hypertension if r.get("part") == "systolic" and r["kind"] == "danger"
    ).items()
    glucose = [r for r in rules_for("diabetes_followup") if r["kind"] == "danger"]
    assert {r.get("at_least") for r in glucose} >= {16.7} and {
        r.get("at_most") for r in glucose
    } >= {3.9}
    assert any("fever" in r.get("includes", []) for r in rules_for("postpartum_visit"))
    assert any(
        "self_harm_talk" in r.get("includes", []) for r in rules_for("mental_disorder_followup")
    )


def test_the_catalogue_loader_skips_marks_files(tmp_path):
    (tmp_path / "f").mkdir()
    (tmp_path / "f" / MARKS_FILE).write_text('{"marks": []}')
    assert form_files(tmp_path) == []


DANGEROUS = {
    "fields": [
        {"name": "bp", "type": "blood_pressure", "label": {"zh": "血压", "en": "BP"}},
        {"name": "reported", "type": "yes_no", "label": {"zh": "已报告", "en": "Reported"}},
    ],
    "danger": [
        {
            "id": "bp_crisis",
            "label": {"zh": "血压≥180/110", "en": "BP 180/110 or higher"},
            "any": [
                {"field": "bp", "part": "systolic", "gte": 180},
                {"field": "bp", "part": "diastolic", "gte": 110},
            ],
            "requires": "reported",
        }
    ],
}


def test_a_met_danger_value_of_the_definition_is_a_red_mark_without_a_marks_file():
    (mark,) = marks_of((), DANGEROUS, {"bp": {"systolic": 150, "diastolic": 115}, "reported": True})
    assert (mark.field, mark.kind) == ("bp", "danger")
    assert mark.message["zh"] == "血压≥180/110：须当日报告村医或卫生院"


def test_a_danger_value_not_met_is_no_mark():
    assert marks_of((), DANGEROUS, {"bp": {"systolic": 150, "diastolic": 95}}) == []


def test_the_definitions_danger_marks_come_before_the_marks_files():
    rules = [{"field": "bp", "kind": "plausible", "part": "systolic", "max": 170}]
    found = marks_of(rules, DANGEROUS, {"bp": {"systolic": 200, "diastolic": 95}})
    assert [m.kind for m in found] == ["danger", "plausible"]


def test_a_marks_file_danger_on_a_field_the_definition_already_marks_is_not_said_twice():
    rules = [
        {"field": "bp", "kind": "danger", "part": "systolic", "at_least": 180,
         "message": {"zh": "收缩压≥180", "en": "Systolic 180 or more"}},
        {"field": "bp", "kind": "danger", "part": "diastolic", "at_least": 110,
         "message": {"zh": "舒张压≥110", "en": "Diastolic 110 or more"}},
    ]  # fmt: skip
    found = marks_of(rules, DANGEROUS, {"bp": {"systolic": 185, "diastolic": 112}})
    assert [(m.field, m.kind) for m in found] == [("bp", "danger")]


def test_a_marks_file_danger_still_marks_a_version_without_danger_rules():
    rules = [{"field": "bp", "kind": "danger", "part": "systolic", "at_least": 180,
              "message": {"zh": "收缩压≥180", "en": "Systolic 180 or more"}}]  # fmt: skip
    older = {"fields": DANGEROUS["fields"]}
    found = marks_of(rules, older, {"bp": {"systolic": 185, "diastolic": 90}})
    assert [(m.field, m.kind) for m in found] == [("bp", "danger")]
