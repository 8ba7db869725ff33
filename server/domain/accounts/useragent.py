"""Which phone and browser a device is, from its User-Agent: for people, never for security.

A supervisor tells "张医生's Redmi in WeChat" from "her Huawei's own browser" far sooner than
two random client ids. Android puts the model code in the User-Agent ("Android 13; 22081212C
Build/…"); the brand is read from the code's known shapes (Xiaomi's 2201123C and M2012K11AC,
Huawei's ALN-AL00, OPPO's PEGM00, vivo's V2134A, Samsung's SM-S9080). The browser is the app
that names itself last: WeChat's, UC, Quark, the phone makers' own, then Chrome. Strings stay
keys (`brand`, `browser`) the workspace words in each language; `model` is the code as sent.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

# Checked in order; the first that names itself wins (WeChat's WebView also says Chrome).
BROWSERS = (
    ("MicroMessenger", "wechat"),
    ("UCBrowser", "uc"),
    ("Quark", "quark"),
    ("HuaweiBrowser", "huawei"),
    ("HeyTapBrowser", "oppo"),
    ("MiuiBrowser", "xiaomi"),
    ("VivoBrowser", "vivo"),
    ("SamsungBrowser", "samsung"),
    ("EdgA/", "edge"),
    ("Edg/", "edge"),
    ("Firefox/", "firefox"),
    ("CriOS/", "chrome"),
    ("Chrome/", "chrome"),
    ("Safari/", "safari"),
)
BRANDS = (
    (re.compile(r"^Redmi\b", re.I), "redmi"),
    (re.compile(r"^(Xiaomi|MI|Mi)\b"), "xiaomi"),
    (re.compile(r"^(M\d{4}[A-Z]\d{1,2}[A-Z]{1,3}|2\d{6,7}[A-Z]{1,3})$"), "xiaomi"),
    (re.compile(r"^HONOR\b", re.I), "honor"),
    (re.compile(r"^HUAWEI\b", re.I), "huawei"),
    (re.compile(r"^[A-Z]{3}-[A-Z]{2}\d{2}[A-Z]?$"), "huawei"),
    (re.compile(r"^OPPO\b", re.I), "oppo"),
    (re.compile(r"^P[A-Z]{2,3}\d{2,3}$"), "oppo"),
    (re.compile(r"^vivo\b", re.I), "vivo"),
    (re.compile(r"^V\d{4}[A-Z]{1,2}$"), "vivo"),
    (re.compile(r"^(SM-|SAMSUNG|Galaxy)", re.I), "samsung"),
)
SKIP = re.compile(r"^(Linux|U|wv|K|HMSCore.*|[a-z]{2}[-_][A-Za-z]{2}|Android.*|HarmonyOS.*)$")
ANDROID = re.compile(r"Android (\d+(?:\.\d+)?)")


@dataclass(frozen=True)
class DeviceKind:
    brand: str | None
    model: str | None
    browser: str | None
    os: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _model(inside: str) -> str | None:
    for token in (t.strip() for t in inside.split(";")):
        token = token.split(" Build/")[0].split(" MIUI/")[0].strip()
        if token and not SKIP.match(token):
            return token[:60]
    return None


def _os(agent: str) -> str | None:
    if "HarmonyOS" in agent or "OpenHarmony" in agent:
        return "HarmonyOS"
    found = ANDROID.search(agent)
    if found:
        return f"Android {found[1]}"
    if "iPhone" in agent or "iPad" in agent:
        return "iOS"
    if "Windows" in agent:
        return "Windows"
    if "Macintosh" in agent:
        return "macOS"
    return "Linux" if "Linux" in agent else None


def parse(agent: str | None) -> DeviceKind:
    """Brand, model, browser and system named by a User-Agent (None for what it does not say)."""
    agent = agent or ""
    browser = next((key for mark, key in BROWSERS if mark in agent), None)
    system = _os(agent)
    model = None
    inside = re.search(r"\(([^)]*)\)", agent)
    if inside and (system == "HarmonyOS" or (system or "").startswith("Android")):
        model = _model(inside[1])
    brand = next((key for shape, key in BRANDS if model and shape.search(model)), None)
    return DeviceKind(brand=brand, model=model, browser=browser, os=system)
