"""One format for every benchmark's figures: printed as a table and written as JSON under
bench/results/<bench>.json, so `make bench` and the README table read the same numbers."""

from __future__ import annotations

import json
import platform
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

RESULTS = Path(__file__).resolve().with_name("results")


@dataclass
class Figure:
    """One measured figure, its target (in words) and whether the target is met.

    `met` is None for figures reported without a target (absolute seconds, growth factors).
    """

    name: str
    value: float
    unit: str
    target: str = ""
    met: bool | None = None
    detail: dict = field(default_factory=dict)


def machine() -> dict:
    """Where the figures were measured (they only mean something next to their baseline)."""
    import os

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def format_value(figure: Figure) -> str:
    value = figure.value
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}" if value else "0"
    return f"{text} {figure.unit}".strip()


def table(bench: str, figures: list[Figure]) -> str:
    """Plain-text table for the terminal."""
    rows = [("figure", "value", "target", "met")]
    for f in figures:
        met = "-" if f.met is None else "yes" if f.met else "NO"
        rows.append((f.name, format_value(f), f.target or "-", met))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = [f"== {bench} =="]
    for r in rows:
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)))
    return "\n".join(lines)


def record(bench: str, figures: list[Figure], settings: dict | None = None) -> Path:
    """Print the table and write bench/results/<bench>.json; return the path."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{bench}.json"
    payload = {
        "bench": bench,
        "machine": machine(),
        "settings": settings or {},
        "figures": [asdict(f) for f in figures],
    }
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(table(bench, figures), flush=True)
    return path


def load(bench: str) -> dict | None:
    path = RESULTS / f"{bench}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
