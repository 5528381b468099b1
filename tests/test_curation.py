"""Every shipped CSV is exactly what the curation code makes of the snapshots in data/sources,
the snapshots are unmodified copies of the research extracts, and each one is listed and read."""

import re
import shutil
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from analysis.curation import (
    DEFAULT_RESEARCH,
    SPECS_DIR,
    UPSTREAM_RESEARCH,
    CurationError,
    build_all,
    dutch_number,
)
from analysis.curation.__main__ import main
from analysis.curation.population import population
from analysis.data import DATA_DIR

README = DEFAULT_RESEARCH / "README.md"


def _snapshots() -> list[Path]:
    """Every copied research file under data/sources (not the README, not our specs)."""
    return sorted(
        p
        for p in DEFAULT_RESEARCH.rglob("*")
        if p.is_file() and p != README and SPECS_DIR not in p.parents
    )


def test_curation_reproduces_every_table_byte_for_byte(tmp_path, capsys):
    assert main(["--out", str(tmp_path)]) == 0
    built = {p.name for p in tmp_path.glob("*.csv")}
    shipped = {p.name for p in (DATA_DIR / "public").glob("*.csv")}
    assert built == shipped
    for name in sorted(built):
        stored = (DATA_DIR / "public" / name).read_bytes()
        assert (tmp_path / name).read_bytes() == stored, (
            f"{name}: run `python -m analysis.curation`"
        )


def test_check_mode_reports_a_stale_table(tmp_path, capsys):
    for path in (DATA_DIR / "public").glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    assert main(["--out", str(tmp_path), "--check"]) == 0
    stale = tmp_path / "icpc_categories.csv"
    stale.write_text(stale.read_text(encoding="utf-8").replace("L03", "L99"), encoding="utf-8")
    assert main(["--out", str(tmp_path), "--check"]) == 1
    assert "icpc_categories.csv differs" in capsys.readouterr().err


@pytest.mark.skipif(
    not UPSTREAM_RESEARCH.is_dir(),
    reason=f"research folder not found at {UPSTREAM_RESEARCH} (it sits beside some checkouts)",
)
def test_snapshots_are_unmodified_copies_of_the_research():
    for path in _snapshots():
        upstream = UPSTREAM_RESEARCH / path.relative_to(DEFAULT_RESEARCH)
        assert upstream.is_file(), f"{path} has no original at {upstream}"
        assert path.read_bytes() == upstream.read_bytes(), f"{path} differs from {upstream}"


def test_readme_lists_every_snapshot_and_spec_and_nothing_else():
    text = README.read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([^`]+)` \|", text, flags=re.MULTILINE))
    on_disk = {
        str(p.relative_to(DEFAULT_RESEARCH))
        for p in DEFAULT_RESEARCH.rglob("*")
        if p.is_file() and p != README
    }
    assert listed == on_disk


def test_every_snapshot_csv_is_read_by_curation(monkeypatch):
    """Snapshot exactly what curation reads: no copied extract lies unused."""
    read: set[Path] = set()
    original = pd.read_csv

    def recording(path, *args, **kwargs):
        read.add(Path(path).resolve())
        return original(path, *args, **kwargs)

    monkeypatch.setattr(pd, "read_csv", recording)
    build_all()
    # population_checks.csv is read by the tests (tests/test_data_package.py), not by curation.
    checks = DEFAULT_RESEARCH / "population" / "population_checks.csv"
    csvs = {p.resolve() for p in _snapshots() if p.suffix == ".csv"} - {checks.resolve()}
    assert csvs - read == set()
    assert {p for p in read if DEFAULT_RESEARCH.resolve() in p.parents} <= csvs


def test_every_folder_keeps_its_sources_md():
    for folder in {p.parent for p in _snapshots()}:
        assert (folder / "SOURCES.md").is_file(), folder


def test_specs_are_documented_toml():
    specs = sorted(SPECS_DIR.glob("*.toml"))
    assert specs
    for path in specs:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# Curation spec of data/public/"), path.name
        assert tomllib.loads(text), path.name


def test_population_curation_stops_when_a_source_disagrees(tmp_path):
    """A published cell that the 7461BEV single years contradict stops the build."""
    research = tmp_path / "sources"
    shutil.copytree(DEFAULT_RESEARCH, research)
    single = research / "population" / "population_cbs_1jan_single_age.csv"
    lines = single.read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines) if line.startswith("2018,2018-01-01,men,45,"))
    cells = lines[row].split(",")
    cells[4] = str(int(cells[4]) + 1)
    lines[row] = ",".join(cells)
    single.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(CurationError, match=r"2018 \w+ total total: package holds \d+, 7461BEV"):
        population(research)


def test_dutch_number_notation():
    assert dutch_number("2.064.900") == "2064900"
    assert dutch_number("101,8") == "101.8"
    assert dutch_number("7,10") == "7.10"
