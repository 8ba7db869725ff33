"""Chinese resident ID numbers (GB 11643-1999): 17 digits, a birth date, and a check character."""

from __future__ import annotations

import re
from datetime import date

from server.core.clock import local_today

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SHAPE = re.compile(r"[0-9]{17}[0-9Xx]")  # ASCII only: str.isdigit() takes "１" and "²" too


def check_character(first17: str) -> str:
    """The 18th character for the first seventeen digits (ISO 7064 MOD 11-2)."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def birth_date_of(number: str) -> date | None:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def id_number_problem(number: str) -> str | None:
    """Why `number` is not a valid ID number, or None when it is."""
    if len(number) != 18:
        return "An ID number has 18 characters."
    if not _SHAPE.fullmatch(number):
        return "An ID number is 17 digits followed by a digit or X."
    born = birth_date_of(number)
    if born is None or born > local_today() or born.year < 1880:
        return "The birth date inside this ID number is not a real date."
    if check_character(number[:17]) != number[17].upper():
        return "The check digit of this ID number is wrong; look for a mistyped digit."
    return None


REGION_DIGITS = 6  # the county of first registration: public, and shared by most of a county


def mask(number: str | None) -> str | None:
    """Shown everywhere except a supervisor's detail view: the region only, `350521************`.

    The birth date (digits 7-14) is shown beside the mask anyway and the check digit follows from
    the rest, so any further visible digit would narrow the sequence digits 15-17, the only part
    that is not already known (docs/security.md, "ID numbers").
    """
    if not number:
        return number
    return number[:REGION_DIGITS] + "*" * (len(number) - REGION_DIGITS)


def masked_region(region: str | None) -> str:
    """The mask of an 18-character number from its region digits alone, for queries that select
    only those (exports: the full number never enters the process, nor a library's error text)."""
    return region + "*" * (18 - REGION_DIGITS) if region else ""


def is_full_number(text: str) -> bool:
    """A complete, valid number (an exact look-up), as opposed to a fragment of one."""
    return len(text) == 18 and id_number_problem(text.upper()) is None


def sees_full_numbers(role: str) -> bool:
    """A supervisor, who visits and verifies people, sees numbers unmasked; admins run a whole
    county and see them masked like everyone else."""
    return role == "supervisor"


def full_number_for(number: str | None, role: str) -> str | None:
    """The unmasked number for a role that may see it, else None (the masked one is sent too)."""
    return number if sees_full_numbers(role) else None
