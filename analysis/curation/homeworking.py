"""Placeholder while the homeworking tables are being curated."""

from pathlib import Path


def build(research: Path) -> dict:
    return {}
