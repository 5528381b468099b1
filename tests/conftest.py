"""Shared fixtures: a throw-away copy of the data package that a test may break."""

import shutil
from pathlib import Path

import pytest

from analysis.data import DATA_DIR

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A copy of data/ (descriptor and CSVs) in a temporary folder."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("demo"))
    return target
