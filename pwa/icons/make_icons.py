"""Draws the app icons (a white disc with a green cross on green) as PNGs with the stdlib only.

Run `python pwa/icons/make_icons.py` after changing the design; the PNGs are committed so the
server never needs an imaging library. The drawing matches icon.svg (512-unit coordinates).
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

GREEN = (0x0B, 0x6E, 0x4F)
WHITE = (0xFF, 0xFF, 0xFF)
HERE = Path(__file__).resolve().parent


def _in_rounded_rect(x: float, y: float, x0: float, y0: float, w: float, h: float, r: float):
    """Whether a point lies inside a rectangle with rounded corners of radius r."""
    if not (x0 <= x <= x0 + w and y0 <= y <= y0 + h):
        return False
    cx = min(max(x, x0 + r), x0 + w - r)
    cy = min(max(y, y0 + r), y0 + h - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def colour_at(x: float, y: float) -> tuple[int, int, int, int]:
    """The icon's colour at a point in the 512x512 design space (transparent outside)."""
    if not _in_rounded_rect(x, y, 0, 0, 512, 512, 96):
        return (0, 0, 0, 0)
    cross = _in_rounded_rect(x, y, 216, 136, 80, 240, 12) or _in_rounded_rect(
        x, y, 136, 216, 240, 80, 12
    )
    if cross:
        return (*GREEN, 255)
    if (x - 256) ** 2 + (y - 256) ** 2 <= 176 * 176:
        return (*WHITE, 255)
    return (*GREEN, 255)


def render(size: int) -> bytes:
    """RGBA rows of the icon at `size` pixels, sampled at pixel centres."""
    scale = 512 / size
    rows = bytearray()
    for py in range(size):
        rows.append(0)  # PNG filter type "none" for this row
        for px in range(size):
            rows.extend(colour_at((px + 0.5) * scale, (py + 0.5) * scale))
    return bytes(rows)


def png(size: int) -> bytes:
    """A complete PNG file for a square RGBA image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(render(size), 9))
        + chunk(b"IEND", b"")
    )


def main() -> None:
    for size in (192, 512):
        (HERE / f"icon-{size}.png").write_bytes(png(size))


if __name__ == "__main__":
    main()
