"""Org-unit codes: the national 12-digit statistical division codes (统计用区划代码).

The National Bureau of Statistics publishes one code for every county, township and village
(updated yearly, at stats.gov.cn under 统计用区划和城乡划分代码): two digits of province, two of
city, two of county, three of township and three of village. The code says its own level (a
county's ends in six zeros, a township's in three) and begins like its parent's, so a typing
slip (a digit dropped, a village filed under the wrong township) is caught on import.
"""

from __future__ import annotations

import re

_SHAPE = re.compile(r"^\d{12}$")
# How many leading digits a unit shares with its parent, by the unit's level.
PARENT_PREFIX = {"township": 6, "village": 9}


def level_of_code(code: str) -> str | None:
    """The level a well-formed code names, or None for anything else (a province or city code,
    a code of the wrong length, letters)."""
    if not _SHAPE.match(code):
        return None
    if code[6:] == "000000":
        return "county" if code[4:6] != "00" else None
    if code[9:] == "000":
        return "township"
    return "village"


def fits_parent(code: str, parent_code: str, level: str) -> bool:
    """Does `code` (a unit of `level`) begin like its parent's code, as the national list has it?"""
    digits = PARENT_PREFIX.get(level)
    if digits is None or not _SHAPE.match(parent_code):
        return True  # a county has no parent; a parent of the old free-form kind is not checked
    return code[:digits] == parent_code[:digits]
