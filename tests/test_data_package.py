"""The shipped tables: valid, sourced, and holding the published figures (golden numbers)."""

import pandas as pd
import pytest
from frictionless import validate

from analysis import data
from analysis.vocabulary import AGE_GROUPS_18

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
    for year in range(2014, 2026):
        for sex in ("men", "women", "total"):
            rows = pop[(pop["year"] == year) & (pop["sex"] == sex)]
            open_85 = rows[rows["age_scheme"] == "5_year_open_85"]["persons"].item()
            parts = rows[rows["age_group"].isin(["85-89", "90-94", "95+"])]["persons"].sum()
            assert open_85 == parts, (year, sex)


POPULATION_YEARS = range(2014, 2026)


def _persons(pop: pd.DataFrame, year: int, sex: str, scheme: str, group: str) -> int:
    row = pop[
        (pop["year"] == year)
        & (pop["sex"] == sex)
        & (pop["age_scheme"] == scheme)
        & (pop["age_group"] == group)
    ]
    assert len(row) == 1, (year, sex, scheme, group)
    return int(row["persons"].item())


def _vzinfo_groups(pop: pd.DataFrame, year: int, sex: str) -> pd.Series:
    """The 18 VZinfo groups: 0-4 ... 80-84 (scheme 5_year) and the open 85+ (5_year_open_85)."""
    rows = pop[(pop["year"] == year) & (pop["sex"] == sex)]
    five = rows[(rows["age_scheme"] == "5_year") & rows["age_group"].isin(AGE_GROUPS_18[:-1])]
    open_85 = rows[(rows["age_scheme"] == "5_year_open_85") & (rows["age_group"] == "85+")]
    both = pd.concat([five, open_85])
    return both.set_index(both["age_group"].astype(str))["persons"].astype(int)


def test_golden_population_2014_2025_by_sex_and_vzinfo_group():
    pop = data.load("population")
    for year in POPULATION_YEARS:
        for sex in ("men", "women", "total"):
            groups = _vzinfo_groups(pop, year, sex)
            assert list(groups.index) == list(AGE_GROUPS_18), (year, sex)
            # Strata add up: the 18 groups sum to the year's total for that sex.
            assert groups.sum() == _persons(pop, year, sex, "total", "total"), (year, sex)
    # CBS 7461BEV via population/SOURCES.md: 1 January 2019, men 8,581,086 and women 8,701,077
    # (their sum is the published 17,282,163); 2018 men 45-49: 634,188; 2019 women 85+: 249,892.
    assert _persons(pop, 2019, "men", "total", "total") == 8_581_086
    assert _persons(pop, 2019, "women", "total", "total") == 8_701_077
    assert _persons(pop, 2019, "total", "total", "total") == 17_282_163
    assert _persons(pop, 2018, "men", "5_year", "45-49") == 634_188
    assert _persons(pop, 2019, "women", "5_year_open_85", "85+") == 249_892


def test_population_rows_keep_their_provenance():
    pop = data.load("population")
    new = pop[pop["cbs_table_id"] == "7461BEV"]
    assert new["derivation"].str.startswith(("sum of published single-year", "sum of single")).all()
    assert new["caveats"].eq("derived_sum;mirror_source").all()
    assert set(new["source_url"]) == {
        "https://opendata.cbs.nl/statline/#/CBS/nl/dataset/7461BEV/",  # 2020/2021 (CoMixNL)
        "https://opendata.cbs.nl/#/CBS/nl/dataset/7461bev/table",  # 2014-2025 (COVIDcases)
    }
    # Published rows name their table, except the 2018 ten-year groups from a CBS web article.
    published = pop[(pop["derivation"] == "as published")]
    assert published["cbs_table_id"].notna().all()
    assert pop.loc[pop["cbs_table_id"].isna(), "age_scheme"].eq("10_year").all()


def test_vzinfo_2018_crude_rates_use_the_mean_of_two_january_populations():
    """DERIVED check of population/SOURCES.md: VZinfo's 2018 persons divided by the mean of the
    1 January 2018 and 2019 populations give its published crude rates (101.8 and 137.6)."""
    pop = data.load("population")
    totals = data.load("gp_prevalence_totals")
    vz = totals[(totals["definition"] == "vzinfo_gp_neck_back") & (totals["year"] == 2018)]
    for sex, derived, published in (("men", 101.846, 101.8), ("women", 137.573, 137.6)):
        persons = _figure(vz, sex=sex, measure="persons")
        mean = (
            _persons(pop, 2018, sex, "total", "total") + _persons(pop, 2019, sex, "total", "total")
        ) / 2
        rate = persons / mean * 1000
        assert round(rate, 3) == derived, sex
        assert round(rate, 1) == published == _figure(vz, sex=sex, measure="rate_per_1000")


def _checks() -> pd.DataFrame:
    path = data.DATA_DIR / "sources" / "population" / "population_checks.csv"
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_population_checks_hold_for_the_package_cells():
    """Every check in population/population_checks.csv that names a cell of the package (a
    total, a broad or ten-year group, or the DERIVED VZinfo 2018 checks) holds for that cell.
    The two single-year comparisons with other GitHub files concern cells the package does not
    hold (single years of age); curation compares the 2020/2021 groups they form instead."""
    pop = data.load("population")
    ages = data.load("gp_prevalence_age_sex")
    schemes = {
        "sex total vs CBS published": "total",
        "broad age group vs CBS 37296ned (both sexes)": "broad",
        "10-year group by sex vs CBS web article 2018": "10_year",
    }
    checked = 0
    for r in _checks().itertuples():
        if r.check in schemes:
            assert r.result == "MATCH", r
            cell = _persons(pop, int(r.year), r.sex, schemes[r.check], r.age_group)
            assert cell == int(r.expected_published) == int(r.observed), r
        elif r.check.startswith("DERIVED") and r.age_group == "total":
            persons = int(r.observed_from.split(" / ")[0])
            mean = sum(_persons(pop, y, r.sex, "total", "total") for y in (2018, 2019)) / 2
            assert round(persons / mean * 1000, 3) == float(r.observed), r
            assert round(persons / mean * 1000, 1) == float(r.expected_published), r
        elif r.check.startswith("DERIVED"):
            rates = ages[ages["sex"] == r.sex]
            rates = rates.set_index(rates["age_group"].astype(str))["rate_per_1000"]
            mean = (_vzinfo_groups(pop, 2018, r.sex) + _vzinfo_groups(pop, 2019, r.sex)) / 2
            expected = (rates * mean).sum() / 1000
            assert round(expected) == int(r.observed), r
            assert abs(expected / int(r.expected_published) - 1) < 0.0001, r
        else:
            assert r.check.startswith("every single-age cell"), r
            continue
        checked += 1
    assert checked == 61


def test_2017_gp_figures_carry_the_assumed_definition():
    totals = data.load("gp_prevalence_totals")
    y2017 = totals[totals["year"] == 2017]
    assert y2017["caveats"].str.split(";").map(lambda keys: "definition_assumed" in keys).all()
    assert (
        not totals.loc[totals["year"] != 2017, "caveats"]
        .str.contains("definition_assumed", na=False)
        .any()
    )
    # 'meer dan 2.028.000' (a practice website citing Nivel) is a lower bound.
    total = y2017[(y2017["sex"] == "total") & (y2017["measure"] == "persons")]
    assert total["value"].item() == 2_028_000
    assert total["value_qualifier"].item() == "more than"


def test_intervals_printed_as_95_ci_are_labelled_so():
    bench = data.load("outcome_benchmarks").set_index("figure_id")
    for figure_id in (
        "vickers_2018_vs_penetrating_sham_smd",
        "vickers_2018_vs_non_penetrating_sham_smd",
        "vickers_2018_vs_usual_care_smd",
        "vickers_2018_vs_high_intensity_smd",
        "cochrane_2020_vs_usual_care_function_difference_post",
    ):
        assert bench.loc[figure_id, "benchmark_interval_kind"] == "ci95", figure_id
        assert "(95% CI)" in bench.loc[figure_id, "note"], figure_id
    unlabelled = bench[bench["benchmark_interval_kind"] == "unlabelled"]
    assert list(unlabelled.index) == ["sydney_cohort_median_days_to_pain_recovery"]
    studies = data.load("msk_homeworking_studies")
    with_interval = studies[studies["value_low"].notna()]
    assert with_interval["note"].str.contains("95% confidence interval").all()


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
