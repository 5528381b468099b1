"""Every shipped CSV is exactly what the curation code makes of the research extracts."""

import pytest

from analysis.curation import DEFAULT_RESEARCH, build_all, dutch_number, to_csv_text
from analysis.data import DATA_DIR

needs_research = pytest.mark.skipif(
    not DEFAULT_RESEARCH.is_dir(),
    reason=f"research extracts not found at {DEFAULT_RESEARCH} (they sit beside the repository)",
)


@needs_research
def test_curation_reproduces_every_table_byte_for_byte():
    for name, frame in build_all(DEFAULT_RESEARCH).items():
        stored = (DATA_DIR / "public" / f"{name}.csv").read_text(encoding="utf-8")
        assert to_csv_text(frame) == stored, f"{name}: run `python -m analysis.curation`"


def test_dutch_number_notation():
    assert dutch_number("2.064.900") == "2064900"
    assert dutch_number("101,8") == "101.8"
    assert dutch_number("7,10") == "7.10"
