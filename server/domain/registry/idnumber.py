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


def mask(number: str | None) -> str | None:
    """Shown everywhere except a supervisor's detail view: `3505**********1234`."""
    if not number:
        return number
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def sees_full_numbers(role: str) -> bool:
    """A supervisor, who visits and verifies people, sees numbers unmasked; admins run a whole
    county and see them masked like everyone else."""
    return role == "supervisor"


def full_number_for(number: str | None, role: str) -> str | None:
    """The unmasked number for a role that may see it, else None (the masked one is sent too)."""
    return number if sees_full_numbers(role) else None
