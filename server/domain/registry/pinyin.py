"""Pinyin search keys for Chinese names, so `zsf` or `zhangsanfeng` find 张三丰 (also offline).

Surnames are read as surnames: 曾 is "zeng", 单 "shan", 解 "xie", though a dictionary reads the
character otherwise in ordinary words. Because people type what they hear (or what they guess),
a name whose surname has a distinct surname reading gets both keys: the surname reading first,
then the everyday reading, separated by a space. Substring search on the stored key then finds
the person either way. Plain Python, no Flask: the model layer computes keys on every write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pypinyin import lazy_pinyin

# Compound surnames come first: their reading differs from reading the characters one by one.
COMPOUND_SURNAMES: dict[str, tuple[str, ...]] = {
    "尉迟": ("yu", "chi"),
    "万俟": ("mo", "qi"),
    "单于": ("chan", "yu"),
    "长孙": ("zhang", "sun"),
    "澹台": ("tan", "tai"),
    "令狐": ("ling", "hu"),
    "欧阳": ("ou", "yang"),
    "上官": ("shang", "guan"),
    "司马": ("si", "ma"),
    "诸葛": ("zhu", "ge"),
    "皇甫": ("huang", "fu"),
    "公孙": ("gong", "sun"),
}

# Single-character surnames whose surname reading is not the character's most common reading.
SURNAMES: dict[str, str] = {
    "曾": "zeng",
    "单": "shan",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "朴": "piao",
    "查": "zha",
    "覃": "qin",
    "盖": "ge",
    "缪": "miao",
    "种": "chong",
    "秘": "bi",
    "繁": "po",
    "员": "yun",
    "召": "shao",
    "黑": "he",
    "翟": "zhai",
    "句": "gou",
    "乐": "yue",
    "尉": "wei",
    "折": "she",
    "祭": "zhai",
    "宿": "su",
    "华": "hua",
    "任": "ren",
    "纪": "ji",
    "沈": "shen",
    "薄": "bo",
    "柏": "bai",
    "燕": "yan",
    "阚": "kan",
    "隗": "wei",
    "长": "chang",
    "重": "chong",
    "都": "du",
    "过": "guo",
    "藏": "zang",
    "参": "can",
    "洗": "xian",
    "冼": "xian",
}

_NON_KEY = re.compile(r"[^a-z0-9]+")
_SPLIT = re.compile(r"\s+")


@dataclass(frozen=True)
class PinyinKeys:
    """Search keys stored beside a name; variants are separated by a single space."""

    full: str
    initials: str


def _syllables(text: str) -> list[str]:
    """Lowercase syllables; non-Chinese runs (e.g. "Tom") are kept as one lowercase word."""
    out: list[str] = []
    for piece in lazy_pinyin(text, errors=lambda chars: _SPLIT.split(chars)):
        word = _NON_KEY.sub("", piece.lower())
        if word:
            out.append(word)
    return out


def _surname_split(name: str) -> tuple[tuple[str, ...], str] | None:
    """(surname syllables, rest of the name) when the name starts with a known surname."""
    for surname, syllables in COMPOUND_SURNAMES.items():
        if name.startswith(surname):
            return syllables, name[len(surname) :]
    if name[:1] in SURNAMES:
        return (SURNAMES[name[0]],), name[1:]
    return None


def readings(name: str) -> list[list[str]]:
    """Syllable lists for `name`: the surname reading first, the everyday reading if different."""
    name = name.strip()
    everyday = _syllables(name)
    split = _surname_split(name)
    if split is None:
        return [everyday] if everyday else []
    surname, rest = split
    as_surname = [*surname, *_syllables(rest)]
    return [as_surname] if as_surname == everyday else [as_surname, everyday]


def pinyin_keys(name: str | None) -> PinyinKeys:
    """The full-pinyin and initials keys for a name (empty strings for an empty name)."""
    variants = readings(name or "")
    full = " ".join(dict.fromkeys("".join(v) for v in variants))
    initials = " ".join(dict.fromkeys("".join(s[0] for s in v) for v in variants))
    return PinyinKeys(full=full, initials=initials)


def normalise_query(query: str) -> str:
    """What a typed query looks like in key space: lowercase letters and digits, no spaces."""
    return _NON_KEY.sub("", query.lower())


def is_pinyin_query(query: str) -> bool:
    """True when the query is Latin letters only (whitespace allowed), i.e. pinyin or initials."""
    stripped = "".join(query.split())
    return bool(stripped) and stripped.isascii() and stripped.isalpha()


__all__ = ["PinyinKeys", "is_pinyin_query", "normalise_query", "pinyin_keys", "readings"]
