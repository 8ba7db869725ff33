"""National ID numbers (GB 11643-1999): length, digits, birth date, check character, masking."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from server.core.clock import local_today
from server.domain.registry.idnumber import birth_date_of, check_character, id_number_problem, mask
from tests.factories import valid_id_number

STANDARD_EXAMPLE = "11010519491231002X"


def test_the_standards_own_example_is_valid():
    assert id_number_problem(STANDARD_EXAMPLE) is None


def test_a_lower_case_x_check_character_is_accepted():
    assert id_number_problem(STANDARD_EXAMPLE.lower()) is None


def test_check_character_follows_mod_11_2():
    assert check_character(STANDARD_EXAMPLE[:17]) == "X"
    assert check_character("35052119800101123") == valid_id_number(date(1980, 1, 1))[-1]


def test_a_wrong_check_digit_is_named_as_such():
    wrong = STANDARD_EXAMPLE[:17] + "1"
    assert "check digit" in id_number_problem(wrong)


def test_one_mistyped_digit_is_caught_by_the_check_digit():
    good = valid_id_number(date(1975, 6, 15))
    typo = good[:15] + str((int(good[15]) + 1) % 10) + good[16:]
    assert "check digit" in id_number_problem(typo)


@pytest.mark.parametrize("number", [STANDARD_EXAMPLE[:17], STANDARD_EXAMPLE + "1", ""])
def test_anything_but_18_characters_is_refused(number):
    assert id_number_problem(number) == "An ID number has 18 characters."


@pytest.mark.parametrize(
    "number", ["11010519491231A02X", "1101051949123100Y2", "11010519491231002Y"]
)
def test_letters_other_than_a_final_x_are_refused(number):
    assert id_number_problem(number) == "An ID number is 17 digits followed by a digit or X."


@pytest.mark.parametrize("born", ["19490230", "19491301", "18700101"])
def test_an_impossible_birth_date_is_refused(born):
    first17 = f"110105{born}002"
    assert "not a real date" in id_number_problem(first17 + check_character(first17))


def test_a_birth_date_after_today_in_china_is_refused():
    tomorrow = local_today() + timedelta(days=1)
    assert "not a real date" in id_number_problem(valid_id_number(tomorrow))


def test_someone_born_today_in_china_is_valid():
    assert id_number_problem(valid_id_number(local_today())) is None


def test_birth_date_is_read_from_digits_7_to_14():
    assert birth_date_of(STANDARD_EXAMPLE) == date(1949, 12, 31)


def test_masking_keeps_the_region_and_hides_the_birth_date_sequence_and_check_digit():
    assert mask("350521198001011234") == "350521************"


def test_masking_leaves_a_missing_number_missing():
    assert mask(None) is None
    assert mask("") == ""
