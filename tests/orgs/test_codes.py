"""12-digit statistical division codes: the level a code names and whether it fits its parent."""

from __future__ import annotations

import pytest

from server.domain.orgs.codes import fits_parent, level_of_code


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("350521000000", "county"),
        ("350521100000", "township"),
        ("350521100201", "village"),
        ("350521100001", "village"),  # 居委会 codes start at 001
        ("350500000000", None),  # a city (Quanzhou), not a county
        ("350000000000", None),  # a province
        ("35052110020", None),  # eleven digits
        ("3505211002011", None),  # thirteen
        ("35052110020X", None),
        ("DEMO-T1", None),
        ("", None),
    ],
)
def test_a_code_names_its_level(code, level):
    assert level_of_code(code) == level


@pytest.mark.parametrize(
    ("code", "parent", "level", "fits"),
    [
        ("350521100000", "350521000000", "township", True),
        ("350522100000", "350521000000", "township", False),  # another county's township
        ("350521100201", "350521100000", "village", True),
        ("350521101201", "350521100000", "village", False),  # filed under the wrong township
        ("350521000000", "", "county", True),
        ("350521100000", "T1", "township", True),  # an old free-form parent is not checked
    ],
)
def test_a_code_begins_like_its_parents(code, parent, level, fits):
    assert fits_parent(code, parent, level) is fits
