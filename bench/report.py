"""The benchmarks' reporting: Markdown tables, verdicts and a text progress bar. Split from
harness.py (which re-exports it).
"""

from __future__ import annotations

import contextlib
import statistics
import sys
import time
from collections.abc import Iterator


def ms(value: float) -> str:
    return f"{value:.1f}"


def markdown_table(headers: list[str], rows: list[list[object]], align: str = "") -> str:
    """A Markdown table; ``align`` has one of l/r per column (default: first left, rest right)."""
    align = align or "l" + "r" * (len(headers) - 1)
    lines = [
        "| " + " | ".join(headers) + " |",
        "| " + " | ".join("---:" if a == "r" else "---" for a in align) + " |",
    ]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("pass" if ok else "FAIL")


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


@contextlib.contextmanager
def progress(label: str, total: int, *, stream=sys.stderr) -> Iterator:
    """A one-line text progress bar: ``with progress("posts", n) as step: step(k)``."""
    done = 0
    began = time.monotonic()
    last = 0.0

    def step(amount: int = 1) -> None:
        nonlocal done, last
        done += amount
        now = time.monotonic()
        if now - last >= 0.5 or done >= total:
            last = now
            width = 30
            filled = int(width * min(done, total) / max(total, 1))
            rate = done / max(now - began, 1e-6)
            stream.write(
                f"\r  {label:<14} [{'#' * filled}{'.' * (width - filled)}] "
                f"{done:,}/{total:,} {rate:,.0f}/s"
            )
            stream.flush()

    try:
        yield step
    finally:
        stream.write(f"  ({time.monotonic() - began:.1f} s)\n")
        stream.flush()
