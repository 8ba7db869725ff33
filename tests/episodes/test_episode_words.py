"""Every coded answer the resident page's episode card can show has a Chinese word (and an
English one): the card shows a fact's stored value through `episode.value.<code>`, and a code
without a word is shown as the code itself."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CARD = (REPO / "pwa" / "js" / "screens" / "episodes.js").read_text(encoding="utf-8")
SHOWN = {
    kind: re.findall(r"'(\w+)'", names)
    for kind, names in re.findall(
        r"(\w+): \[([^\]]*)\]", CARD.split("const SHOWN = {")[1].split("};")[0]
    )
}


def words(language: str) -> set[str]:
    text = (REPO / "pwa" / "js" / "i18n" / f"episodes.{language}.js").read_text(encoding="utf-8")
    return set(re.findall(r"'(episode\.value\.\w+)'", text))


def shown_codes() -> list[tuple[str, str]]:
    """(form file, option value) of each choice field a shown fact of an episode takes."""
    found = []
    for path in sorted((REPO / "server" / "forms").glob("*/v*.json")):
        form = json.loads(path.read_text(encoding="utf-8"))
        fields = {f["name"]: f for f in form["fields"]}
        for effect in form.get("effects", []):
            for fact, source in (effect.get("facts") or {}).items():
                if fact in SHOWN.get(effect.get("episode"), []) and source in fields:
                    for option in fields[source].get("options", []):
                        found.append((path.parent.name + "/" + path.name, option["value"]))
    return found


def test_the_card_shows_coded_facts_of_the_forms():
    assert shown_codes()


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_every_code_the_episode_card_shows_has_a_word(language):
    known = words(language)
    assert [
        (form, code) for form, code in shown_codes() if f"episode.value.{code}" not in known
    ] == []
