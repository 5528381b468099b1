"""Placeholder while the covid_care tables are being curated."""

from pathlib import Path


def build(research: Path) -> dict:
    return {}
