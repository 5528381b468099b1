"""GP-registered neck and back complaints: rates, counts, standardisation and catchments.

Pure functions over the package's tables (DataFrame in, DataFrame out). Rates are per 1,000.
What the data allow, and what they do not, is stated where it matters:

- VZinfo computes crude rates with the *average* population of the year (mean of 1 January of
  that year and the next). For 2020 both are available by sex and the published 91.6 and 122.3
  are reproduced. For 2018 the 1 January 2019 population by sex is missing, so the 2018 average
  exists only for both sexes together; 1 January 2018 denominators give 102.2 and 137.9 instead
  of the published 101.8 and 137.6.
- The 2018 age table has no matching 2018 population in five-year groups by sex (CBS publishes it,
  but no readable copy was found). Counts by age therefore apply the 2018 rates to the CBS
  population of 1 January 2020, a stated proxy, and the difference from the published totals
  is reported, not hidden.
"""

from __future__ import annotations

import pandas as pd

from analysis.metadata.fields import AGE_GROUPS_18

VZINFO = "vzinfo_gp_neck_back"
PER = 1000.0


class PrevalenceDataError(ValueError):
    """The tables do not hold what a calculation needs (for example a missing population)."""


# --------------------------------------------------------------------------- population


def population_totals(population: pd.DataFrame, year: int) -> pd.Series:
    """CBS population on 1 January of `year` by sex (men, women, total where published)."""
    rows = population[(population["year"] == year) & (population["age_scheme"] == "total")]
    return rows.set_index(rows["sex"].astype(str))["persons"].astype("Float64")


def average_population(population: pd.DataFrame, year: int) -> pd.Series:
    """Mean of the 1 January population of `year` and `year + 1` by sex (CBS 'gemiddelde
    bevolking'), the denominator VZinfo uses. A sex whose two counts are not both published
    is left out rather than estimated."""
    start = population_totals(population, year)
    end = population_totals(population, year + 1)
    both = start.index.intersection(end.index)
    return ((start[both] + end[both]) / 2).rename("persons")


def population_by_age(population: pd.DataFrame, year: int) -> pd.DataFrame:
    """1 January population by sex in the 18 groups of the VZinfo table (0-4 ... 80-84, 85+).

    Uses the five-year groups up to 80-84 and the open 85+ group; raises when the year has no
    five-year breakdown.
    """
    rows = population[population["year"] == year]
    five = rows[(rows["age_scheme"] == "5_year") & rows["age_group"].isin(AGE_GROUPS_18[:-1])]
    open_85 = rows[rows["age_scheme"] == "5_year_open_85"]
    out = pd.concat([five, open_85])[["sex", "age_group", "persons"]]
    if len(out) != 3 * len(AGE_GROUPS_18):
        raise PrevalenceDataError(
            f"no five-year population by sex for 1 January {year} in the package "
            f"(found {len(out)} of {3 * len(AGE_GROUPS_18)} cells)"
        )
    out = out.assign(
        sex=out["sex"].astype(str),
        age_group=pd.Categorical(out["age_group"].astype(str), AGE_GROUPS_18, ordered=True),
        persons=out["persons"].astype("float64"),
    )
    return out.sort_values(["sex", "age_group"]).reset_index(drop=True)


# --------------------------------------------------------------------------- published totals


def published_totals(totals: pd.DataFrame, definition: str = VZINFO) -> pd.DataFrame:
    """Persons and crude rates by year and sex for one case definition, one row per year and sex.

    Keeps each figure's source type, so 2017 (known only from news items quoting RIVM) is never
    mistaken for a primary figure, and the qualifier of the persons figure ('more than').
    """
    rows = totals[
        (totals["definition"] == definition)
        & totals["measure"].isin(["persons", "rate_per_1000"])
        & totals["year"].notna()
    ]
    # One whole row per year, sex and measure (a primary source first, then file order), so a
    # value and its qualifier always come from the same publication.
    chosen = (
        rows.assign(_secondary=rows["source_type"] != "primary")
        .sort_values("_secondary", kind="stable")
        .drop_duplicates(["year", "sex", "measure"])
    )
    persons = chosen[chosen["measure"] == "persons"].set_index(["year", "sex"])
    rate = chosen[chosen["measure"] == "rate_per_1000"].set_index(["year", "sex"])["value"]
    source = chosen.groupby(["year", "sex"], observed=True)["source_type"].agg(
        lambda s: "primary" if (s == "primary").any() else "secondary"
    )
    out = pd.DataFrame(
        {
            "persons": persons["value"],
            "published_rate_per_1000": rate,
            "source_type": source,
            "value_qualifier": persons["value_qualifier"].astype("string"),
        }
    ).reset_index()
    out["sex"] = out["sex"].astype(str)
    out["year"] = out["year"].astype(int)
    return out.sort_values(["year", "sex"]).reset_index(drop=True)


def crude_rates(
    totals: pd.DataFrame, population: pd.DataFrame, year: int, denominator: str = "average"
) -> pd.DataFrame:
    """Crude rate per 1,000 by sex recomputed from published persons and a CBS denominator.

    `denominator` is "average" (mean of 1 January of the year and the next, as VZinfo does) or
    "1jan" (1 January of the year). Rows whose denominator is not available keep an empty rate.
    Returns persons, denominator, the recomputed and published rate and their difference.
    """
    if denominator == "average":
        pop = average_population(population, year)
    elif denominator == "1jan":
        pop = population_totals(population, year)
    else:
        raise ValueError(f"denominator must be 'average' or '1jan', not {denominator!r}")
    pub = published_totals(totals)
    pub = pub[(pub["year"] == year) & pub["persons"].notna()].set_index("sex")
    out = pd.DataFrame(
        {
            "year": year,
            "sex": pub.index,
            "persons": pub["persons"].to_numpy(),
            "denominator": denominator,
            "population": pop.reindex(pub.index).astype("float64").to_numpy(),
            "published_rate_per_1000": pub["published_rate_per_1000"].to_numpy(),
        }
    )
    out["rate_per_1000"] = out["persons"] / out["population"] * PER
    out["difference"] = out["rate_per_1000"] - out["published_rate_per_1000"]
    return out


def change_between(totals: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """Change in published persons and crude rate by sex from `start` to `end` (end minus start).

    Between 2018 and 2020 this is a registration dip in a covid year (fewer GP contacts), not a
    fall in back problems; the charts say so.
    """
    pub = published_totals(totals).set_index(["year", "sex"])
    sexes = [
        s for s in ("men", "women", "total") if (start, s) in pub.index and (end, s) in pub.index
    ]
    rows = []
    for sex in sexes:
        first, last = pub.loc[(start, sex)], pub.loc[(end, sex)]
        rows.append(
            {
                "sex": sex,
                "start_year": start,
                "end_year": end,
                "persons_start": first["persons"],
                "persons_end": last["persons"],
                "persons_change": last["persons"] - first["persons"],
                "persons_change_pct": (last["persons"] / first["persons"] - 1) * 100,
                "rate_start": first["published_rate_per_1000"],
                "rate_end": last["published_rate_per_1000"],
                "rate_change": last["published_rate_per_1000"] - first["published_rate_per_1000"],
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- by age


def age_rates(age_sex: pd.DataFrame, year: int = 2018) -> pd.DataFrame:
    """The published rates per 1,000 by sex and age group for one year, in age order."""
    rows = age_sex[age_sex["year"] == year]
    if rows.empty:
        raise PrevalenceDataError(f"no age-specific rates for {year} in the package")
    out = rows[["sex", "age_group", "rate_per_1000"]].assign(sex=rows["sex"].astype(str))
    return out.sort_values(["sex", "age_group"]).reset_index(drop=True)


def persons_by_age(rates: pd.DataFrame, pop_by_age: pd.DataFrame) -> pd.DataFrame:
    """Persons by sex and age group = rate per 1,000 x population / 1,000."""
    merged = rates.merge(pop_by_age, on=["sex", "age_group"], how="left", validate="one_to_one")
    if merged["persons"].isna().any():
        missing = merged.loc[merged["persons"].isna(), ["sex", "age_group"]].to_dict("records")
        raise PrevalenceDataError(f"no population for {missing}")
    merged = merged.rename(columns={"persons": "population"})
    merged["persons"] = merged["rate_per_1000"] * merged["population"] / PER
    return merged


def rebuilt_crude(by_age: pd.DataFrame) -> pd.DataFrame:
    """Crude rate per 1,000 by sex rebuilt from an age table: sum of persons / sum of population."""
    sums = by_age.groupby("sex", observed=True)[["persons", "population"]].sum()
    sums["rate_per_1000"] = sums["persons"] / sums["population"] * PER
    return sums.reset_index()


def rate_ratio(rates: pd.DataFrame) -> pd.DataFrame:
    """Women's rate divided by men's rate in each age group."""
    wide = rates.pivot_table(
        index="age_group", columns="sex", values="rate_per_1000", observed=True
    ).reset_index()
    wide.columns.name = None
    wide["ratio_women_to_men"] = wide["women"] / wide["men"]
    return wide[["age_group", "men", "women", "ratio_women_to_men"]]


def peak_age_group(rates: pd.DataFrame, sex: str) -> pd.Series:
    """The age group with the highest rate for one sex (first one on a tie)."""
    rows = rates[rates["sex"] == sex]
    if rows.empty:
        raise PrevalenceDataError(f"no rates for sex {sex!r}")
    return rows.loc[rows["rate_per_1000"].idxmax()]


def age_shares(by_age: pd.DataFrame) -> pd.DataFrame:
    """Each age group's share (percent) of all persons with complaints, per sex."""
    out = by_age.copy()
    out["share_pct"] = (
        out["persons"] / out.groupby("sex", observed=True)["persons"].transform("sum") * 100
    )
    return out


# --------------------------------------------------------------------------- standardisation


def standard_weights(
    name: str, standard_population: pd.DataFrame, population: pd.DataFrame
) -> pd.DataFrame:
    """Age weights (18 groups) of a standard population: 'esp2013' (European Standard Population
    2013, with the 85+ weight summed from its parts) or 'nl2020' (CBS 1 January 2020, both sexes).
    """
    if name == "esp2013":
        rows = standard_population[standard_population["age_scheme"] == "esp_18"]
        out = rows[["age_group", "weight"]].assign(weight=rows["weight"].astype("float64"))
    elif name == "nl2020":
        rows = population_by_age(population, 2020)
        rows = rows[rows["sex"] == "total"]
        out = rows[["age_group", "persons"]].rename(columns={"persons": "weight"})
    else:
        raise ValueError(f"unknown standard population {name!r}; use 'esp2013' or 'nl2020'")
    out = out.assign(
        age_group=pd.Categorical(out["age_group"].astype(str), AGE_GROUPS_18, ordered=True)
    )
    if sorted(out["age_group"].astype(str)) != sorted(AGE_GROUPS_18):
        raise PrevalenceDataError(f"standard {name!r} does not cover the 18 age groups")
    return out.sort_values("age_group").reset_index(drop=True)


def standardised_rates(rates: pd.DataFrame, weights: pd.DataFrame) -> pd.DataFrame:
    """Directly age-standardised rate per 1,000 by sex: sum of weight x rate / sum of weights."""
    merged = rates.merge(weights, on="age_group", how="left", validate="many_to_one")
    if merged["weight"].isna().any():
        raise PrevalenceDataError("the standard population lacks some age groups of the rates")
    merged["weighted"] = merged["weight"] * merged["rate_per_1000"]
    sums = merged.groupby("sex", observed=True)[["weighted", "weight"]].sum()
    return (sums["weighted"] / sums["weight"]).rename("rate_per_1000").reset_index()


# --------------------------------------------------------------------------- catchment


def catchment_estimate(
    rates: pd.DataFrame, pop_by_age: pd.DataFrame, inhabitants: float
) -> pd.DataFrame:
    """Expected people known to their GP with neck/back complaints in a catchment of
    `inhabitants`, assuming the national age-sex mix of `pop_by_age` and the national rates.

    Returns one row per sex (men, women) and their sum: expected persons and the implied rate.
    """
    if inhabitants < 0:
        raise ValueError("inhabitants must not be negative")
    mix = pop_by_age[pop_by_age["sex"].isin(["men", "women"])]
    total = mix["persons"].sum()
    by_age = persons_by_age(rates, mix)
    by_sex = by_age.groupby("sex", observed=True)[["persons", "population"]].sum()
    out = pd.DataFrame(
        {
            "sex": by_sex.index,
            "inhabitants": by_sex["population"].to_numpy() / total * inhabitants,
            "expected_persons": by_sex["persons"].to_numpy() / total * inhabitants,
        }
    )
    out.loc[len(out)] = {
        "sex": "total",
        "inhabitants": out["inhabitants"].sum(),
        "expected_persons": out["expected_persons"].sum(),
    }
    out["rate_per_1000"] = out["expected_persons"] / out["inhabitants"] * PER
    return out


def standardisation_table(
    totals: pd.DataFrame,
    rates: pd.DataFrame,
    standard_population: pd.DataFrame,
    population: pd.DataFrame,
    year: int = 2018,
) -> pd.DataFrame:
    """Per sex: the published crude rate and the rates standardised to each standard population.

    One row per sex and standard ('crude', 'esp2013', 'nl2020') with rate_per_1000.
    """
    pub = published_totals(totals)
    crude = pub[(pub["year"] == year) & pub["sex"].isin(["men", "women"])]
    frames = [
        crude[["sex", "published_rate_per_1000"]]
        .rename(columns={"published_rate_per_1000": "rate_per_1000"})
        .assign(standard="crude")
    ]
    for name in ("esp2013", "nl2020"):
        weights = standard_weights(name, standard_population, population)
        frames.append(standardised_rates(rates, weights).assign(standard=name))
    out = pd.concat(frames, ignore_index=True)[["sex", "standard", "rate_per_1000"]]
    return out.sort_values(["sex", "standard"], key=lambda s: s.map(_ORDER)).reset_index(drop=True)


_ORDER = {"men": 0, "women": 1, "crude": 0, "esp2013": 1, "nl2020": 2}


def headline(totals: pd.DataFrame, population: pd.DataFrame, year: int = 2018) -> dict:
    """The overview's headline figures for one year: persons by sex, rates by sex, and the share
    of the population (on the average population of the year, both sexes together)."""
    pub = published_totals(totals).set_index(["year", "sex"])
    average = average_population(population, year)
    persons = pub.loc[(year, "total"), "persons"]
    share = persons / average["total"]
    return {
        "year": year,
        "persons": persons,
        "men": pub.loc[(year, "men"), "persons"],
        "women": pub.loc[(year, "women"), "persons"],
        "rate_men": pub.loc[(year, "men"), "published_rate_per_1000"],
        "rate_women": pub.loc[(year, "women"), "published_rate_per_1000"],
        "share_pct": share * 100,
        "one_in": round(1 / share),
    }


def denominator_comparison(totals: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Published crude rates beside rates recomputed on the average and on the 1 January
    population, for every year and sex where the published counts allow it (the methods text)."""
    frames = [
        crude_rates(totals, population, year, denominator)
        for year in (2018, 2020)
        for denominator in ("average", "1jan")
    ]
    out = pd.concat(frames, ignore_index=True)
    out = out[out["sex"].isin(["men", "women"])]
    return out[
        [
            "year",
            "sex",
            "denominator",
            "persons",
            "population",
            "rate_per_1000",
            "published_rate_per_1000",
        ]
    ].reset_index(drop=True)
