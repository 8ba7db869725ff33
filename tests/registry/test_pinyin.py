"""Pinyin keys: what a typed query has to match for a name to be found."""

from __future__ import annotations

import pytest

from server.domain.registry.model import Resident
from server.domain.registry.pinyin import normalise_query, pinyin_keys
from server.extensions import db
from tests.factories import make_resident


def test_full_pinyin_has_no_tones_and_no_spaces():
    assert pinyin_keys("张三丰").full == "zhangsanfeng"


def test_initials_take_the_first_letter_of_each_syllable():
    assert pinyin_keys("张三丰").initials == "zsf"


@pytest.mark.parametrize(
    ("name", "surname_reading"),
    [("曾国藩", "zengguofan"), ("单雄信", "shanxiongxin"), ("解缙", "xiejin"), ("仇英", "qiuying")],
)
def test_polyphonic_surname_is_read_as_a_surname_first(name, surname_reading):
    assert pinyin_keys(name).full.split(" ")[0] == surname_reading


def test_everyday_reading_of_a_polyphonic_surname_is_kept_as_a_second_key():
    keys = pinyin_keys("曾国藩")
    assert keys.full == "zengguofan cengguofan"
    assert keys.initials == "zgf cgf"


def test_compound_surname_is_read_as_one_surname():
    assert pinyin_keys("尉迟恭").full == "yuchigong"


def test_name_without_a_polyphonic_surname_has_one_key():
    assert pinyin_keys("李明").full == "liming"


def test_latin_letters_in_a_name_become_one_lowercase_word():
    assert pinyin_keys("李明 Tom").initials == "lmt"


def test_u_umlaut_is_typed_as_v():
    assert pinyin_keys("吕布").full == "lvbu"


def test_query_is_lowercased_and_spaces_removed():
    assert normalise_query("Zhang San Feng") == "zhangsanfeng"


def test_keys_are_filled_when_a_resident_is_saved(world):
    resident = make_resident(db.session, world.units["V1a"], name="单雄信")
    assert (resident.name_pinyin, resident.name_initials) == ("shanxiongxin danxiongxin", "sxx dxx")


def test_keys_follow_a_renamed_resident(world):
    resident = make_resident(db.session, world.units["V1a"], name="张三丰")
    resident.name = "李四"
    db.session.commit()
    stored = db.session.get(Resident, resident.id)
    assert (stored.name_pinyin, stored.name_initials) == ("lisi", "ls")
