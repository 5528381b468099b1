"""Prevalence arithmetic: golden numbers from the sources, hand-worked frames, invariants."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from analysis import data
from analysis import prevalence as p
from analysis.vocabulary import AGE_GROUPS_18


@pytest.fixture(scope="module")
def tables():
    return {
        name: data.load(name)
        for name in (
            "gp_prevalence_totals",
            "population",
            "gp_prevalence_age_sex",
            "standard_population",
        )
    }


# ---------------------------------------------------------------- golden numbers


def test_2020_crude_rates_reproduce_vzinfo_with_average_population(tables):
    rates = p.crude_rates(tables["gp_prevalence_totals"], tables["population"], 2020).set_index(
        "sex"
    )
    # vzinfo.nl/nek-en-rugklachten/leeftijd-en-geslacht (2020): 91.6 men, 122.3 women per 1,000,
    # computed on the mean of CBS 1 January 2020 and 2021 (85496NED).
    assert rates.loc["men", "population"] == (8_648_031 + 8_686_536) / 2
    assert abs(rates.loc["men", "rate_per_1000"] - 91.6) < 0.1
    assert abs(rates.loc["women", "rate_per_1000"] - 122.3) < 0.1
    assert rates["difference"].abs().max() < 0.05


def test_1_january_denominators_give_different_rates(tables):
    jan = p.crude_rates(tables["gp_prevalence_totals"], tables["population"], 2020, "1jan")
    jan = jan.set_index("sex")
    assert jan.loc["men", "rate_per_1000"] == pytest.approx(793_800 / 8_648_031 * 1000)
    assert jan.loc["men", "difference"] > 0.15 and jan.loc["women", "difference"] > 0.15
    jan18 = p.crude_rates(tables["gp_prevalence_totals"], tables["population"], 2018, "1jan")
    jan18 = jan18.set_index("sex")
    # 2018 on 1 January 2018: 102.2 and 137.9, not VZinfo's 101.8 and 137.6.
    assert round(jan18.loc["men", "rate_per_1000"], 1) == 102.2
    assert round(jan18.loc["women", "rate_per_1000"], 1) == 137.9


def test_2018_crude_rates_reproduce_vzinfo_with_the_mean_population(tables):
    """Golden: VZinfo 2018 (volksgezondheidenzorg.info, huidige situatie) 101.8 men and 137.6
    women per 1,000 = 871,200 / 8,554,063.5 and 1,193,800 / 8,677,560, the mean of CBS 1 January
    2018 (8,527,041 / 8,654,043) and 2019 (8,581,086 / 8,701,077), 7461BEV."""
    avg = p.crude_rates(tables["gp_prevalence_totals"], tables["population"], 2018).set_index("sex")
    assert avg.loc["men", "population"] == 8_554_063.5
    assert avg.loc["women", "population"] == 8_677_560
    assert round(avg.loc["men", "rate_per_1000"], 3) == 101.846
    assert round(avg.loc["women", "rate_per_1000"], 3) == 137.573
    assert round(avg.loc["men", "rate_per_1000"], 1) == 101.8
    assert round(avg.loc["women", "rate_per_1000"], 1) == 137.6
    # Both sexes together: mean of 17,181,084 (2018) and 17,282,163 (2019).
    assert avg.loc["total", "population"] == (17_181_084 + 17_282_163) / 2


def test_denominator_checks_show_the_mean_population_reproduces_every_published_rate(tables):
    checks = p.denominator_checks(tables["gp_prevalence_totals"], tables["population"])
    mean = {(c.year, c.sex): c for c in checks if c.denominator == "average"}
    assert set(mean) == {(2018, "men"), (2018, "women"), (2020, "men"), (2020, "women")}
    assert all(c.reproduces for c in mean.values())
    assert not any(c.reproduces for c in checks if c.denominator == "1jan")
    summary = p.denominator_summary(checks)
    assert (summary.checked, summary.reproduced_mean, summary.reproduced_1jan) == (4, 4, 0)


def test_change_2018_2020_is_minus_198000_persons(tables):
    change = p.change_between(tables["gp_prevalence_totals"], 2018, 2020).set_index("sex")
    # 1,866,900 (2020) - 2,064,900 (2018)
    assert change.loc["total", "persons_change"] == -198_000
    assert change.loc["men", "persons_change"] == -77_400
    assert change.loc["women", "persons_change"] == -120_700
    assert change.loc["women", "rate_change"] == pytest.approx(-15.3)


def test_2017_is_kept_as_secondary_with_its_definition_assumed(tables):
    totals = p.published_totals(tables["gp_prevalence_totals"])
    assert set(totals.loc[totals["year"] == 2017, "source_type"]) == {"secondary"}
    assert set(totals.loc[totals["year"] != 2017, "source_type"]) == {"primary"}
    # M1: the research marks the 2017 case definition "(assumed)".
    assert totals.loc[totals["year"] == 2017, "is_definition_assumed"].all()
    assert not totals.loc[totals["year"] != 2017, "is_definition_assumed"].any()
    with pytest.raises(p.PrevalenceDataError, match="assumed"):
        p.change_between(tables["gp_prevalence_totals"], 2017, 2018)


def test_2017_women_are_the_published_1_17_million(tables):
    """H1: perssupport.nl (NCA press release) publishes '1,17 miljoen' women without qualifier;
    it was dropped because only the 'persons' measure was kept."""
    figures = p.year_figures(p.published_totals(tables["gp_prevalence_totals"]))
    women = figures[(2017, "women")]
    assert women.persons is not None
    assert (women.persons.value, women.persons.scale, women.persons.decimals) == (
        1_170_000,
        1_000_000,
        2,
    )
    assert women.persons.qualifier == ""
    assert women.is_secondary and women.is_definition_assumed


def test_2017_total_is_a_lower_bound_from_a_practice_website(tables):
    """H2: 'meer dan 2.028.000' (oefentherapielos.nl, citing Nivel) is a lower bound."""
    figures = p.year_figures(p.published_totals(tables["gp_prevalence_totals"]))
    total = figures[(2017, "total")]
    assert total.persons.value == 2_028_000 and total.persons.is_lower_bound
    assert total.source_url == "https://www.oefentherapielos.nl/nek-en-rugklachten/"


def test_peak_age_group_and_ratio(tables):
    rates = p.age_rates(tables["gp_prevalence_age_sex"])
    assert p.peak_age_group(rates, "women")["age_group"] == "85+"  # 285.57 per 1,000
    assert p.peak_age_group(rates, "men")["age_group"] == "80-84"  # 205.19 per 1,000
    ratio = p.rate_ratio(rates).set_index("age_group")
    assert ratio.loc["45-49", "ratio_women_to_men"] == pytest.approx(153.97 / 126.46)
    assert (ratio["ratio_women_to_men"] > 1).all()


def test_population_by_age_covers_2014_to_2025(tables):
    assert p.population_years(tables["population"]) == tuple(range(2014, 2026))
    assert len(p.population_by_age(tables["population"], 2018)) == 54
    with pytest.raises(p.PrevalenceDataError, match="1 January 2013"):
        p.population_by_age(tables["population"], 2013)


def test_2018_persons_by_age_use_the_2018_mean_population_and_sum_to_the_published(tables):
    """M7 and the research's DERIVED check: the 2018 age rates x the mean of the 1 January 2018
    and 2019 populations sum to 871,158 men and 1,193,777 women (published 871,200 and
    1,193,800); shown rounded to hundreds, as 'about'."""
    rates = p.age_rates(tables["gp_prevalence_age_sex"])
    exact = p.persons_by_age(rates, p.mean_population_by_age(tables["population"], 2018))
    sums = exact.groupby("sex")["persons"].sum()
    assert round(sums["men"]) == 871_158 and round(sums["women"]) == 1_193_777
    rounded = p.estimated_persons_by_age(rates, tables["population"])
    assert (rounded["persons"] % 100 == 0).all()
    found = p.age_findings(rounded, p.published_totals(tables["gp_prevalence_totals"]), "persons")
    assert found.totals["men"].value == 871_200 and found.totals["men"].qualifier == "about"
    assert found.totals["women"].value == 1_193_800
    assert found.population_years == (2018, 2019)


def test_women_outnumber_men_only_from_age_10_in_counts_but_at_every_age_in_rates(tables):
    """M2: more boys than girls at 0-4 and 5-9 in counts of people; L7: men's rates fall at 65-69
    and 85+, so 'rises with age' holds for women's rates only, not for men's."""
    rates = p.age_rates(tables["gp_prevalence_age_sex"])
    by_age = p.estimated_persons_by_age(rates, tables["population"])
    published = p.published_totals(tables["gp_prevalence_totals"])
    persons = p.age_findings(by_age, published, "persons")
    assert persons.women_higher_groups == 16 and not persons.women_higher_everywhere
    rate = p.age_findings(by_age, published, "rate")
    assert rate.women_higher_everywhere
    assert rate.rises_with_age == {"men": False, "women": True}
    # M3: the rate a sentence gives is VZinfo's crude rate, not a mean of 18 age-group rates.
    assert rate.totals["women"].value == 137.6
    assert rates.loc[rates["sex"] == "women", "rate_per_1000"].mean() != pytest.approx(137.6, 0.01)


def test_covid_dip_carries_both_gp_contact_figures(tables):
    """M5: the first wave (-11%, March-June 2020) and the whole year (-2.7%)."""
    dip = p.covid_dip(
        p.published_totals(tables["gp_prevalence_totals"]), data.load("gp_contacts_covid")
    )
    assert dip.change.difference.value == -198_000
    assert dip.first_wave_contacts.value == -11
    assert dip.full_year_contacts.value == -2.7


def test_esp_weights_cover_the_18_groups(tables):
    weights = p.standard_weights("esp2013", tables["standard_population"], tables["population"])
    assert list(weights["age_group"].astype(str)) == list(AGE_GROUPS_18)
    assert weights["weight"].sum() == 100_000
    with pytest.raises(ValueError, match="unknown standard"):
        p.standard_weights("who2000", tables["standard_population"], tables["population"])


def test_rebuilt_crude_from_age_table_gives_the_published_rate(tables):
    rates = p.age_rates(tables["gp_prevalence_age_sex"])
    by_age = p.persons_by_age(rates, p.mean_population_by_age(tables["population"], 2018))
    rebuilt = p.rebuilt_crude(by_age).set_index("sex")
    assert round(rebuilt.loc["men", "rate_per_1000"], 1) == 101.8
    assert round(rebuilt.loc["women", "rate_per_1000"], 1) == 137.6


def test_nl2018_standard_is_the_1_january_2018_population(tables):
    weights = p.standard_weights("nl2018", tables["standard_population"], tables["population"])
    assert weights["weight"].sum() == 17_181_084
    table = p.standardisation_table(
        tables["gp_prevalence_totals"],
        p.age_rates(tables["gp_prevalence_age_sex"]),
        tables["standard_population"],
        tables["population"],
    )
    assert set(table["standard"]) == {"crude", "esp2013", "nl2018", "nl2020"}


# ---------------------------------------------------------------- hand-worked frames


def _rates(men, women, groups=("0-4", "5-9")):
    return pd.DataFrame(
        {
            "sex": ["men"] * len(groups) + ["women"] * len(groups),
            "age_group": pd.Categorical(list(groups) * 2, AGE_GROUPS_18, ordered=True),
            "rate_per_1000": [*men, *women],
        }
    )


def test_hand_worked_persons_and_standardisation():
    rates = _rates([10.0, 30.0], [20.0, 40.0])
    pop = pd.DataFrame(
        {
            "sex": ["men", "men", "women", "women"],
            "age_group": pd.Categorical(["0-4", "5-9"] * 2, AGE_GROUPS_18, ordered=True),
            "persons": [1000.0, 3000.0, 2000.0, 2000.0],
        }
    )
    by_age = p.persons_by_age(rates, pop)
    assert list(by_age["persons"]) == [10.0, 90.0, 40.0, 80.0]
    expected = pd.DataFrame(
        {
            "sex": ["men", "women"],
            "persons": [100.0, 120.0],
            "population": [4000.0, 4000.0],
            "rate_per_1000": [25.0, 30.0],
        }
    )
    assert_frame_equal(p.rebuilt_crude(by_age), expected)
    weights = pd.DataFrame(
        {
            "age_group": pd.Categorical(["0-4", "5-9"], AGE_GROUPS_18, ordered=True),
            "weight": [1.0, 1.0],
        }
    )
    std = p.standardised_rates(rates, weights).set_index("sex")["rate_per_1000"]
    assert std.to_dict() == {"men": 20.0, "women": 30.0}


def test_hand_worked_catchment():
    rates = _rates([10.0, 30.0], [20.0, 40.0])
    pop = pd.DataFrame(
        {
            "sex": ["men", "men", "women", "women", "total", "total"],
            "age_group": pd.Categorical(["0-4", "5-9"] * 3, AGE_GROUPS_18, ordered=True),
            "persons": [1000.0, 1000.0, 1000.0, 1000.0, 2000.0, 2000.0],
        }
    )
    out = p.catchment_estimate(rates, pop, 400).set_index("sex")
    # 100 inhabitants in each sex-age cell: 1 + 3 + 2 + 4 = 10 expected.
    assert out.loc["total", "expected_persons"] == pytest.approx(10.0)
    assert out.loc["men", "inhabitants"] == pytest.approx(200.0)
    assert out.loc["total", "rate_per_1000"] == pytest.approx(25.0)


# ---------------------------------------------------------------- invariants

cells = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=400, allow_nan=False),
        st.floats(min_value=1, max_value=1e6, allow_nan=False),
    ),
    min_size=18,
    max_size=18,
)


def _frames(men, women):
    groups = list(AGE_GROUPS_18)
    rates = pd.DataFrame(
        {
            "sex": ["men"] * 18 + ["women"] * 18,
            "age_group": pd.Categorical(groups * 2, AGE_GROUPS_18, ordered=True),
            "rate_per_1000": [r for r, _ in men] + [r for r, _ in women],
        }
    )
    pop = rates[["sex", "age_group"]].assign(persons=[n for _, n in men] + [n for _, n in women])
    return rates, pop


@settings(max_examples=60, deadline=None)
@given(cells, cells)
def test_standardising_with_the_study_population_returns_the_crude_rate(men, women):
    rates, pop = _frames(men, women)
    crude = p.rebuilt_crude(p.persons_by_age(rates, pop)).set_index("sex")["rate_per_1000"]
    for sex in ("men", "women"):
        own = pop[pop["sex"] == sex][["age_group", "persons"]].rename(columns={"persons": "weight"})
        std = p.standardised_rates(rates[rates["sex"] == sex], own)["rate_per_1000"].item()
        assert std == pytest.approx(crude[sex], rel=1e-9, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(cells, cells)
def test_rates_times_population_give_counts_and_strata_sum_to_totals(men, women):
    rates, pop = _frames(men, women)
    by_age = p.persons_by_age(rates, pop)
    counts = (by_age["persons"] * 1000).to_list()
    assert counts == pytest.approx((by_age["rate_per_1000"] * by_age["population"]).to_list())
    totals = p.rebuilt_crude(by_age).set_index("sex")
    for sex in ("men", "women"):
        part = by_age[by_age["sex"] == sex]
        assert totals.loc[sex, "persons"] == pytest.approx(part["persons"].sum())
    shares = p.age_shares(by_age)
    for sex in ("men", "women"):
        if shares.loc[shares["sex"] == sex, "persons"].sum() > 0:
            assert shares.loc[shares["sex"] == sex, "share_pct"].sum() == pytest.approx(100)


@settings(max_examples=60, deadline=None)
@given(cells, cells, st.floats(min_value=0, max_value=1e7, allow_nan=False))
def test_catchment_scales_with_inhabitants_and_sums(men, women, inhabitants):
    rates, pop = _frames(men, women)
    out = p.catchment_estimate(rates, pop, inhabitants).set_index("sex")
    assert out.loc["total", "inhabitants"] == pytest.approx(inhabitants)
    assert out.loc["total", "expected_persons"] == pytest.approx(
        out.loc["men", "expected_persons"] + out.loc["women", "expected_persons"]
    )
    assert 0 <= out.loc["total", "expected_persons"] <= inhabitants * 0.4 + 1e-6


def test_value_and_qualifier_come_from_the_same_publication(tables):
    totals = p.published_totals(tables["gp_prevalence_totals"]).set_index(["year", "sex"])
    # ED (Nov 2018): 858,600 men in 2017, no qualifier; NCA's 'bijna 859.000' is another row.
    assert totals.loc[(2017, "men"), "persons"] == 858_600
    assert pd.isna(totals.loc[(2017, "men"), "value_qualifier"])
    # oefentherapielos.nl: 'meer dan 2.028.000' in 2017.
    assert totals.loc[(2017, "total"), "value_qualifier"] == "more than"


def test_headline_is_about_one_in_eight(tables):
    head = p.headline(tables["gp_prevalence_totals"], tables["population"], 2018)
    # 2,064,900 of an average 17,231,623.5 inhabitants in 2018 = 12.0%, about 1 in 8.
    assert head["persons"].value == 2_064_900 and head["persons"].qualifier == "estimate"
    assert head["share_pct"].shown == 12.0
    assert head["one_in"].value == 8
    assert (head["rate_men"].value, head["rate_women"].value) == (101.8, 137.6)
