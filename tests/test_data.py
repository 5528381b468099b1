"""The loader: typing, caching, and clear errors for broken tables."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import data
from analysis.data import DataValidationError

ROOT = Path(__file__).resolve().parents[1]


def _rewrite(path: Path, edit) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(edit(lines)) + "\n", encoding="utf-8")


def test_load_types_columns_from_the_schema():
    ages = data.load("gp_prevalence_age_sex")
    assert (
        isinstance(ages["age_group"].dtype, pd.CategoricalDtype) and ages["age_group"].cat.ordered
    )
    assert isinstance(ages["sex"].dtype, pd.CategoricalDtype)
    assert ages["rate_per_1000"].dtype == "float64"
    assert str(ages["year"].dtype) == "Int64"
    pop = data.load("population")
    assert str(pop["persons"].dtype) == "Int64"
    assert pd.api.types.is_datetime64_any_dtype(pop["reference_date"])
    assert pop["reference_date"].min() >= pd.Timestamp("2010-01-01")
    proj = data.load("population_projections")
    assert str(proj["is_current"].dtype) == "boolean"


def test_missing_values_stay_missing():
    proj = data.load("population_projections")
    cut_off = proj[(proj["year"] == 2070) & (proj["age_group"] == "20-64")]
    assert cut_off["persons"].isna().all()


def test_load_returns_an_independent_frame():
    first = data.load("icpc_categories")
    first["label_en"] = "changed"
    assert (data.load("icpc_categories")["label_en"] != "changed").all()


def test_unknown_resource_names_the_known_ones():
    with pytest.raises(KeyError, match="gp_prevalence_age_sex"):
        data.load("no_such_table")


def test_bad_type_names_row_column_value_and_rule(package_copy):
    csv = package_copy / "public" / "gp_prevalence_age_sex.csv"
    _rewrite(csv, lambda lines: [lines[0], lines[1].replace(",7.10,", ",seven,"), *lines[2:]])
    with pytest.raises(DataValidationError) as caught:
        data.load("gp_prevalence_age_sex", package_copy)
    message = str(caught.value)
    assert "gp_prevalence_age_sex" in message
    assert "row 2, column 'rate_per_1000', value 'seven'" in message
    assert "wrong type" in message


def test_unknown_sex_is_refused(package_copy):
    csv = package_copy / "public" / "population.csv"
    _rewrite(csv, lambda lines: [lines[0], lines[1].replace(",total,", ",vrouw,", 1), *lines[2:]])
    with pytest.raises(DataValidationError) as caught:
        data.load("population", package_copy)
    problem = caught.value.problems[0]
    assert (problem.row, problem.column, problem.value) == (2, "sex", "vrouw")
    assert "enum" in problem.rule


def test_duplicate_key_is_refused(package_copy):
    csv = package_copy / "public" / "icpc_categories.csv"
    _rewrite(csv, lambda lines: [*lines, lines[1]])
    with pytest.raises(
        DataValidationError, match=r"row 8: duplicate primary key: same key as row 2"
    ):
        data.load("icpc_categories", package_copy)


def test_missing_column_is_named(package_copy):
    csv = package_copy / "public" / "icpc_categories.csv"
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False).drop(columns="label_en")
    frame.to_csv(csv, index=False)
    with pytest.raises(DataValidationError, match=r"column 'label_en': column is missing"):
        data.load("icpc_categories", package_copy)


def test_empty_source_url_is_refused(package_copy):
    csv = package_copy / "public" / "icpc_categories.csv"
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    frame.loc[2, "source_url"] = ""
    frame.to_csv(csv, index=False)
    with pytest.raises(DataValidationError, match=r"row 4, column 'source_url'"):
        data.load("icpc_categories", package_copy)


def test_a_changed_file_is_reloaded_not_served_from_cache(package_copy):
    assert len(data.load("icpc_categories", package_copy)) == 6
    csv = package_copy / "public" / "icpc_categories.csv"
    _rewrite(csv, lambda lines: [*lines, lines[1].replace("L01", "L99", 1)])
    assert len(data.load("icpc_categories", package_copy)) == 7


def test_check_command_passes_on_the_package_and_fails_on_a_broken_copy(package_copy):
    ok = subprocess.run(
        [sys.executable, "-m", "analysis.data", "check"], cwd=ROOT, capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "0 invalid" in ok.stdout
    csv = package_copy / "public" / "icpc_categories.csv"
    _rewrite(csv, lambda lines: [*lines, lines[1]])
    bad = subprocess.run(
        [sys.executable, "-m", "analysis.data", "check", str(package_copy)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 1
    assert "icpc_categories" in bad.stdout and "duplicate primary key" in bad.stdout
