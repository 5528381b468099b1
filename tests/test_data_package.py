"""The shipped tables: valid, sourced, and holding the published figures (golden numbers)."""

import pandas as pd
import pytest
from frictionless import validate

from analysis import data
from analysis.metadata.fields import AGE_GROUPS_18

VZINFO_2018 = (
    "https://www.volksgezondheidenzorg.info/onderwerp/nek-en-rugklachten/cijfers-context/"
    "huidige-situatie"
)


def test_package_validates_with_frictionless():
    report = validate(str(data.DATA_DIR / "datapackage.json"))
    assert report.valid, report.flatten(["taskNumber", "rowNumber", "fieldName", "type", "note"])


@pytest.mark.parametrize("name", data.resource_names())
def test_every_row_has_a_source_url(name):
    frame = data.load(name)
    assert "source_url" in frame.columns
    assert frame["source_url"].notna().all()
    assert frame["source_url"].str.match(r"^https?://\S+$").all()


@pytest.mark.parametrize("name", data.resource_names())
def test_no_table_is_empty_and_keys_are_unique(name):
    frame = data.load(name)
    key = data.resource_descriptor(name)["schema"]["primaryKey"]
    assert len(frame) > 0
    assert not frame.duplicated(subset=key).any()


def _figure(frame: pd.DataFrame, **where) -> float:
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    assert mask.sum() == 1, where
    return frame.loc[mask, "value"].item()


def test_golden_2018_and_2020_totals():
    totals = data.load("gp_prevalence_totals")
    vz = totals[
        (totals["definition"] == "vzinfo_gp_neck_back") & totals["source_type"].eq("primary")
    ]
    # VZinfo 2018 edition ("huidige situatie"): 2,064,900 persons; 871,200 men; 1,193,800 women;
    # crude rates 101.8 and 137.6 per 1,000.
    assert _figure(vz, year=2018, sex="total", measure="persons") == 2_064_900
    assert _figure(vz, year=2018, sex="men", measure="persons") == 871_200
    assert _figure(vz, year=2018, sex="women", measure="persons") == 1_193_800
    assert _figure(vz, year=2018, sex="men", measure="rate_per_1000") == 101.8
    assert _figure(vz, year=2018, sex="women", measure="rate_per_1000") == 137.6
    # vzinfo.nl/nek-en-rugklachten/leeftijd-en-geslacht (2020 edition): 1,866,900 persons.
    assert _figure(vz, year=2020, sex="total", measure="persons") == 1_866_900
    row = vz[(vz["year"] == 2018) & (vz["sex"] == "total") & (vz["measure"] == "persons")]
    assert row["source_url"].item() == VZINFO_2018


def test_golden_2017_figures_are_marked_secondary():
    totals = data.load("gp_prevalence_totals")
    y2017 = totals[totals["year"] == 2017]
    assert len(y2017) > 0
    assert (y2017["source_type"] == "secondary").all()
    assert y2017["caveats"].str.contains("secondary_source").all()
    # ED, Nov 2018, quoting RIVM: 858,600 men known to the GP in 2017.
    assert _figure(y2017, sex="men", measure="persons", source_type="secondary", value=858_600)


def test_golden_age_table_has_36_rows_in_published_order():
    ages = data.load("gp_prevalence_age_sex")
    assert len(ages) == 36
    assert list(ages["age_group"].cat.categories) == list(AGE_GROUPS_18)
    assert ages["age_group"].cat.ordered
    assert list(ages["age_group"].drop_duplicates()) == list(AGE_GROUPS_18)
    # VZinfo 2018 table: women aged 85+ 285.57 per 1,000; men aged 0-4 7.10.
    women_85 = ages[(ages["sex"] == "women") & (ages["age_group"] == "85+")]
    assert women_85["rate_per_1000"].item() == 285.57
    assert women_85["value_as_published"].item() == "285,57"
    men_0 = ages[(ages["sex"] == "men") & (ages["age_group"] == "0-4")]
    assert men_0["rate_per_1000"].item() == 7.10


def test_golden_cbs_population_1_january_2018():
    pop = data.load("population")
    total = pop[(pop["year"] == 2018) & (pop["sex"] == "total") & (pop["age_scheme"] == "total")]
    # CBS StatLine 37296ned, 1 January 2018: 17,181,084 inhabitants.
    assert total["persons"].item() == 17_181_084
    assert total["cbs_table_id"].item() == "37296ned"


def test_population_strata_add_up_to_published_totals():
    pop = data.load("population")
    totals = pop[pop["age_scheme"] == "total"].set_index(["year", "sex"])["persons"]
    for scheme in ("5_year", "10_year", "broad"):
        part = pop[pop["age_scheme"] == scheme]
        sums = part.groupby(["year", "sex"], observed=True)["persons"].sum()
        for (year, sex), value in sums.items():
            assert value == totals[(year, sex)], (scheme, year, sex)


def test_open_85_group_equals_its_five_year_parts():
    pop = data.load("population")
    for year in (2020, 2021):
        for sex in ("men", "women", "total"):
            rows = pop[(pop["year"] == year) & (pop["sex"] == sex)]
            open_85 = rows[rows["age_scheme"] == "5_year_open_85"]["persons"].item()
            parts = rows[rows["age_group"].isin(["85-89", "90-94", "95+"])]["persons"].sum()
            assert open_85 == parts, (year, sex)


def test_standard_population_weights_sum_to_100000_per_layout():
    esp = data.load("standard_population")
    sums = esp.groupby("age_scheme", observed=True)["weight"].sum()
    assert set(sums.index) == {"esp_21", "esp_19", "esp_18"}
    assert (sums == 100_000).all()
    esp18 = esp[esp["age_scheme"] == "esp_18"]
    assert sorted(esp18["age_group"].astype(str), key=AGE_GROUPS_18.index) == list(AGE_GROUPS_18)
    assert esp18.loc[esp18["age_group"] == "85+", "weight"].item() == 2500


def test_projections_keep_current_and_superseded_apart():
    proj = data.load("population_projections")
    current = proj[proj["is_current"]]
    assert set(current["cbs_table_id"]) == {"85324NED"}
    assert proj.loc[~proj["is_current"], "caveats"].str.contains("superseded").all()
    # 85324NED: 19,789,385 inhabitants expected on 1 January 2050.
    y2050 = current[(current["year"] == 2050) & (current["age_group"] == "total")]
    assert y2050["persons"].item() == 19_789_385


def test_home_working_definitions_are_never_one_series():
    hw = data.load("homeworking")
    assert hw["definition"].nunique() >= 3
    assert hw["definition"].notna().all()


@pytest.mark.parametrize("name", data.resource_names())
def test_downloads_of_the_package_are_safe_in_a_spreadsheet(name):
    """The Sources page offers each table as CSV: no text cell may start like a formula, and
    numbers (negative changes such as -11) stay numbers."""
    from io import StringIO

    from dashboard.export import package_csv_bytes

    fields = data.resource_descriptor(name)["schema"]["fields"]
    text_columns = [f["name"] for f in fields if f["type"] == "string"]
    raw = pd.read_csv(data.DATA_DIR / "public" / f"{name}.csv", dtype=str, keep_default_na=False)
    served = pd.read_csv(
        StringIO(package_csv_bytes(raw, text_columns).decode("utf-8")),
        dtype=str,
        keep_default_na=False,
    )
    for column in text_columns:
        assert not served[column].str[:1].isin(["=", "+", "-", "@", "\t", "\r"]).any(), column
    numeric = [f["name"] for f in fields if f["type"] in ("number", "integer")]
    assert served[numeric].equals(raw[numeric])
