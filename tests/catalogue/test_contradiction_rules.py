"""The two rule kinds that refuse contradictory answers, as the definition format takes them:
an `exclusive` option of a multi_choice ("无" with other complaints) and `max_field` on a number
(parity not greater than gravidity). What they refuse is in tests/contracts/formrules.json."""

from __future__ import annotations

import pytest

from server.domain.records.catalogue import CatalogueError, check_definition
from tests.factories import form_definition as _definition
from tests.factories import label as _label


def _options(*values: str, exclusive: str | None = None) -> list[dict]:
    return [
        {"value": v, "label": _label(v), **({"exclusive": True} if v == exclusive else {})}
        for v in values
    ]


def _number(name: str, kind: str = "integer", **extra) -> dict:
    return {"name": name, "type": kind, "label": _label(name), **extra}


def test_a_multi_choice_option_may_be_exclusive():
    field = {
        "name": "complaints",
        "type": "multi_choice",
        "label": _label("complaints"),
        "options": _options("none", "dizzy", exclusive="none"),
    }
    stored = check_definition(_definition(field))
    assert stored["fields"][0]["options"][0]["exclusive"] is True


def test_a_single_choice_option_may_not_be_exclusive():
    field = {
        "name": "kind",
        "type": "choice",
        "label": _label("kind"),
        "options": _options("a", "b", exclusive="a"),
    }
    with pytest.raises(CatalogueError):
        check_definition(_definition(field))


def test_exclusive_is_true_or_false_only():
    options = _options("none", "dizzy")
    options[0]["exclusive"] = "yes"
    field = {"name": "c", "type": "multi_choice", "label": _label("c"), "options": options}
    with pytest.raises(CatalogueError):
        check_definition(_definition(field))


def test_a_number_may_be_bounded_by_an_earlier_number():
    stored = check_definition(
        _definition(_number("gravidity"), _number("parity", max_field="gravidity"))
    )
    assert stored["fields"][1]["max_field"] == "gravidity"


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param(
            [_number("parity", max_field="gravidity"), _number("gravidity")], id="a later field"
        ),
        pytest.param([_number("parity", max_field="nobody")], id="no such field"),
        pytest.param(
            [
                {"name": "note", "type": "text", "label": _label("n")},
                _number("p", max_field="note"),
            ],
            id="a text field",
        ),
        pytest.param(
            [_number("a"), {"name": "d", "type": "date", "label": _label("d"), "max_field": "a"}],
            id="on a date field",
        ),
    ],
)
def test_max_field_names_an_earlier_number_on_a_number(fields):
    with pytest.raises(CatalogueError):
        check_definition(_definition(*fields))
