"""What the PWA benchmark prints: rows against budgets, and the shell's size."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from server.web import PWA_DIR, shell_of

SHELL_KINDS = (".html", ".css", ".js", ".webmanifest")


KB = 1024


@dataclass
class Row:
    metric: str
    budget: str
    measured: str
    ok: bool | None = None


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, metric: str, budget: str, measured: str, ok: bool | None = None) -> None:
        self.rows.append(Row(metric, budget, measured, ok))
        print(f"  {metric}: {measured}", flush=True)

    def print(self) -> None:
        widths = [max(len(r.metric) for r in self.rows), 10]
        widths.append(max(len(r.measured) for r in self.rows))
        join = " | ".join
        head = ("metric", "budget", "measured")
        print()
        print(" | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + " | ok")
        print("-+-".join("-" * w for w in widths) + "-+---")
        for r in self.rows:
            verdict = "" if r.ok is None else ("yes" if r.ok else "NO")
            cells = (r.metric, r.budget, r.measured)
            print(join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + f" | {verdict}")
        for note in self.notes:
            print(note)


def shell_size(report: Report) -> None:
    """Bytes of the precached shell files that are HTML, CSS, JS or the manifest, plus sw.js."""
    shell = shell_of(PWA_DIR)
    counted: list[tuple[str, int]] = [("/sw.js", (PWA_DIR / "sw.js").stat().st_size)]
    other: list[tuple[str, int]] = []
    for url in shell.files:
        size = (PWA_DIR / url.lstrip("/")).stat().st_size
        (counted if url.endswith(SHELL_KINDS) else other).append((url, size))
    total = sum(size for _, size in counted)
    print(f"shell files counted ({len(counted)}):")
    for url, size in sorted(counted):
        print(f"  {size:>7,}  {url}")
    print(f"  {total:>7,}  total; not counted: " + ", ".join(f"{u} {s:,}" for u, s in other))
    report.add(
        "shell size (HTML+CSS+JS+manifest)",
        "<= 150 KB",
        f"{total / KB:.1f} KB ({total:,} B, {len(counted)} files)",
        total <= 150 * KB,
    )


def _median_ms(values: list[float]) -> str:
    return f"{statistics.median(values):.0f} ms (min {min(values):.0f}, max {max(values):.0f})"
