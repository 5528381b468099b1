"""Placeholder while the outcomes tables are being curated."""

from pathlib import Path


def build(research: Path) -> dict:
    return {}
