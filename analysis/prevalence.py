"""GP-registered neck and back complaints: rates, counts, standardisation, catchments, and the
findings the Prevalence page and the Overview may state about them.

Pure functions over the package's tables (DataFrame in, DataFrame or fact record out). Rates are
per 1,000. What the data allow is stated where it matters:

- VZinfo computes crude rates on the *average* population of the year. CBS's average population
  is not in the package; the mean of 1 January of the year and of the next stands in for it (and
  is labelled so). With it the published rates are reproduced for 2018 (101.8 and 137.6) and
  2020 (91.6 and 122.3): `denominator_check`.
- Counts by age for 2018 apply the published 2018 rates to that same mean population of 2018 and
  2019, and are rounded to hundreds as VZinfo rounds its counts: they are estimates, never
  printed with more precision than the published totals.
- 2017 figures come only from secondary sources (news items and a press release quoting RIVM, a
  practice website citing Nivel) whose case definition is assumed, not stated: they are kept
  apart from the VZinfo series and never compared with it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.facts import Change, Quantity, decimals_of, qualifier_of, round_like_published
from analysis.vocabulary import AGE_GROUPS_18, BOTH_SEXES, MEN, PER_PEOPLE, SEXES, WOMEN

VZINFO = "vzinfo_gp_neck_back"
PER = float(PER_PEOPLE)
# The year of the published age table, and the standard populations a reader can choose.
AGE_TABLE_YEAR = 2018
STANDARDS = ("crude", "esp2013", "nl2018", "nl2020")
MEAN_POPULATION = "mean of 1 January {year} and {next}"
PERSONS_STEP = 100  # VZinfo rounds its counts of persons to hundreds
# VZinfo also publishes an age table for these years, which could not be read for the package
# (shared/research/gp_data/SOURCES.md); the pages say so rather than "only 2018".
UNREAD_AGE_TABLE_YEARS = (2020,)


class PrevalenceDataError(ValueError):
    """The tables do not hold what a calculation needs (for example a missing population)."""


# --------------------------------------------------------------------------- population


def population_totals(population: pd.DataFrame, year: int) -> pd.Series:
    """CBS population on 1 January of `year` by sex (men, women, total where published)."""
    rows = population[(population["year"] == year) & (population["age_scheme"] == "total")]
    return rows.set_index(rows["sex"].astype(str))["persons"].astype("Float64")


def average_population(population: pd.DataFrame, year: int) -> pd.Series:
    """Mean of the 1 January population of `year` and `year + 1` by sex: our stand-in for CBS's
    'gemiddelde bevolking', the denominator VZinfo uses. A sex whose two counts are not both
    published is left out rather than estimated."""
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


def mean_population_by_age(population: pd.DataFrame, year: int) -> pd.DataFrame:
    """The mean of the 1 January populations of `year` and `year + 1` by sex and age group: the
    stand-in for the average population of `year` that VZinfo's rates are computed on."""
    start = population_by_age(population, year).set_index(["sex", "age_group"])
    end = population_by_age(population, year + 1).set_index(["sex", "age_group"])
    return ((start["persons"] + end["persons"]) / 2).reset_index()


def population_years(population: pd.DataFrame) -> tuple[int, ...]:
    """The years with a full five-year breakdown by sex (the catchment can use any of them)."""
    years = []
    for year in sorted(population["year"].dropna().unique()):
        try:
            population_by_age(population, int(year))
        except PrevalenceDataError:
            continue
        years.append(int(year))
    return tuple(years)


# --------------------------------------------------------------------------- published totals


def published_totals(totals: pd.DataFrame, definition: str = VZINFO) -> pd.DataFrame:
    """Persons and crude rates by year and sex for one case definition, one row per year and sex.

    A count published in millions ('1,17 miljoen') is a count of persons too: it is kept, with
    its scale, so it is printed as published. Among several figures for one year and sex, a
    primary source wins, then a figure without qualifier, then one in persons rather than
    millions; the qualifier, source and caveats always come from the chosen row.
    """
    measures = ["persons", "persons_million", "rate_per_1000"]
    rows = totals[
        (totals["definition"] == definition)
        & totals["measure"].isin(measures)
        & totals["year"].notna()
    ]
    rows = rows.assign(
        _secondary=rows["source_type"] != "primary",
        _qualified=rows["value_qualifier"].notna() & (rows["value_qualifier"] != ""),
        _million=rows["measure"] == "persons_million",
        _kind=rows["measure"].where(rows["measure"] == "rate_per_1000", "persons"),
    )
    chosen = rows.sort_values(["_secondary", "_qualified", "_million"], kind="stable")
    chosen = chosen.drop_duplicates(["year", "sex", "_kind"])
    persons = chosen[chosen["_kind"] == "persons"].set_index(["year", "sex"])
    rate = chosen[chosen["_kind"] == "rate_per_1000"].set_index(["year", "sex"])["value"]
    scale = persons["_million"].map({True: 1_000_000, False: 1})
    out = pd.DataFrame(
        {
            "persons": persons["value"].astype("float64") * scale,
            "persons_scale": scale,
            "persons_as_published": persons["value_as_published"].astype("string"),
            "published_rate_per_1000": rate,
            "source_type": persons["source_type"].astype("string"),
            "value_qualifier": persons["value_qualifier"].astype("string"),
            "caveats": persons["caveats"].astype("string"),
            "source_url": persons["source_url"].astype("string"),
        }
    ).reset_index()
    out["sex"] = out["sex"].astype(str)
    out["year"] = out["year"].astype(int)
    out["is_definition_assumed"] = out["caveats"].fillna("").str.contains("definition_assumed")
    return out.sort_values(["year", "sex"]).reset_index(drop=True)


def crude_rates(
    totals: pd.DataFrame, population: pd.DataFrame, year: int, denominator: str = "average"
) -> pd.DataFrame:
    """Crude rate per 1,000 by sex recomputed from published persons and a CBS denominator.

    `denominator` is "average" (mean of 1 January of the year and the next, our stand-in for
    the average population VZinfo uses) or "1jan" (1 January of the year). Rows whose
    denominator is not available keep an empty rate.
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

    Only for years of the same (stated) case definition: a year whose definition is assumed is
    refused rather than compared.
    """
    pub = published_totals(totals).set_index(["year", "sex"])
    for year in (start, end):
        if pub.xs(year, level="year")["is_definition_assumed"].any():
            raise PrevalenceDataError(f"{year}'s case definition is assumed; not compared")
    sexes = [s for s in SEXES + (BOTH_SEXES,) if (start, s) in pub.index and (end, s) in pub.index]
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


def age_rates(age_sex: pd.DataFrame, year: int = AGE_TABLE_YEAR) -> pd.DataFrame:
    """The published rates per 1,000 by sex and age group for one year, in age order."""
    rows = age_sex[age_sex["year"] == year]
    if rows.empty:
        raise PrevalenceDataError(f"no age-specific rates for {year} in the package")
    out = rows[["sex", "age_group", "rate_per_1000"]].assign(sex=rows["sex"].astype(str))
    return out.sort_values(["sex", "age_group"]).reset_index(drop=True)


def persons_by_age(rates: pd.DataFrame, pop_by_age: pd.DataFrame) -> pd.DataFrame:
    """Persons by sex and age group = rate per 1,000 x population / 1,000 (unrounded)."""
    merged = rates.merge(pop_by_age, on=["sex", "age_group"], how="left", validate="one_to_one")
    if merged["persons"].isna().any():
        missing = merged.loc[merged["persons"].isna(), ["sex", "age_group"]].to_dict("records")
        raise PrevalenceDataError(f"no population for {missing}")
    merged = merged.rename(columns={"persons": "population"})
    merged["persons"] = merged["rate_per_1000"] * merged["population"] / PER
    return merged


def estimated_persons_by_age(rates: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Persons by sex and age in the age table's year: the published rates times the mean
    population of that year (1 January of it and of the next), rounded to hundreds as VZinfo's
    published counts are. Columns: sex, age_group, rate_per_1000, population, persons."""
    year = AGE_TABLE_YEAR
    out = persons_by_age(rates, mean_population_by_age(population, year))
    return out.assign(persons=out["persons"].map(round_like_published))


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
    wide["ratio_women_to_men"] = wide[WOMEN] / wide[MEN]
    return wide[["age_group", MEN, WOMEN, "ratio_women_to_men"]]


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
    2013, with the 85+ weight summed from its parts), 'nl2018' or 'nl2020' (CBS 1 January of
    that year, both sexes).
    """
    if name == "esp2013":
        rows = standard_population[standard_population["age_scheme"] == "esp_18"]
        out = rows[["age_group", "weight"]].assign(weight=rows["weight"].astype("float64"))
    elif name in ("nl2018", "nl2020"):
        rows = population_by_age(population, int(name[2:]))
        rows = rows[rows["sex"] == BOTH_SEXES]
        out = rows[["age_group", "persons"]].rename(columns={"persons": "weight"})
    else:
        raise ValueError(f"unknown standard population {name!r}; use one of {STANDARDS[1:]}")
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
    mix = pop_by_age[pop_by_age["sex"].isin(SEXES)]
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
        "sex": BOTH_SEXES,
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
    year: int = AGE_TABLE_YEAR,
) -> pd.DataFrame:
    """Per sex: the published crude rate and the rates standardised to each standard population.

    One row per sex and standard ('crude', 'esp2013', 'nl2018', 'nl2020') with rate_per_1000.
    """
    pub = published_totals(totals)
    crude = pub[(pub["year"] == year) & pub["sex"].isin(SEXES)]
    frames = [
        crude[["sex", "published_rate_per_1000"]]
        .rename(columns={"published_rate_per_1000": "rate_per_1000"})
        .assign(standard="crude")
    ]
    for name in STANDARDS[1:]:
        weights = standard_weights(name, standard_population, population)
        frames.append(standardised_rates(rates, weights).assign(standard=name))
    out = pd.concat(frames, ignore_index=True)[["sex", "standard", "rate_per_1000"]]
    order = {MEN: 0, WOMEN: 1, **{name: i for i, name in enumerate(STANDARDS)}}
    return out.sort_values(["sex", "standard"], key=lambda s: s.map(order)).reset_index(drop=True)


def denominator_comparison(totals: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Published crude rates beside rates recomputed on the mean population and on the 1 January
    population, for every year and sex where the published counts allow it (the methods text)."""
    frames = [
        crude_rates(totals, population, year, denominator)
        for year in (2018, 2020)
        for denominator in ("average", "1jan")
    ]
    out = pd.concat(frames, ignore_index=True)
    out = out[out["sex"].isin(SEXES)]
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


# =========================================================================== facts


@dataclass(frozen=True)
class YearFigure:
    """What was published for one year and sex: persons (with qualifier and scale) and the
    crude rate, whether the source is secondary and whether its case definition is assumed."""

    year: int
    sex: str
    persons: Quantity | None
    rate: Quantity | None
    is_secondary: bool
    is_definition_assumed: bool
    source_url: str


def year_figures(published: pd.DataFrame) -> dict[tuple[int, str], YearFigure]:
    """Every (year, sex) of `published_totals` as a `YearFigure`."""
    out = {}
    for row in published.itertuples():
        persons = None
        if pd.notna(row.persons):
            millions = row.persons_scale != 1
            persons = Quantity(
                row.persons,
                "persons",
                decimals=_published_decimals(row.persons_as_published) if millions else 0,
                qualifier=qualifier_of(row.value_qualifier),
                scale=int(row.persons_scale),
            )
        rate = None
        if pd.notna(row.published_rate_per_1000):
            rate = Quantity(float(row.published_rate_per_1000), "per_1000", decimals=1)
        out[(row.year, row.sex)] = YearFigure(
            year=row.year,
            sex=row.sex,
            persons=persons,
            rate=rate,
            is_secondary=row.source_type != "primary",
            is_definition_assumed=bool(row.is_definition_assumed),
            source_url=str(row.source_url),
        )
    return out


def _published_decimals(as_published: object) -> int:
    """Decimals of a published text such as '1,17 miljoen' (2) or 'ruim 1,1 miljoen' (1)."""
    text = str(as_published)
    for mark in (",", "."):
        if mark in text:
            digits = text.split(mark, 1)[1]
            return len(digits) - len(digits.lstrip("0123456789"))
    return 0


@dataclass(frozen=True)
class TotalsCoverage:
    """Which years the published totals cover: with the stated (VZinfo) definition, with an
    assumed one (secondary sources), and the years between them with no figure at all."""

    stated_years: tuple[int, ...]
    assumed_years: tuple[int, ...]
    missing_years: tuple[int, ...]


def totals_coverage(published: pd.DataFrame) -> TotalsCoverage:
    shown = published[published["persons"].notna()]
    assumed = shown["is_definition_assumed"].astype(bool)
    years = set(shown["year"].astype(int))
    every = range(min(years), max(years) + 1) if years else range(0)
    return TotalsCoverage(
        stated_years=tuple(sorted(set(shown.loc[~assumed, "year"].astype(int)))),
        assumed_years=tuple(sorted(set(shown.loc[assumed, "year"].astype(int)))),
        missing_years=tuple(y for y in every if y not in years),
    )


@dataclass(frozen=True)
class CovidDip:
    """The 2018 to 2020 change in persons known to their GP (both the VZinfo series), and the
    GP contact figures that say why 2020 is not comparable: the first-wave and full-year fall."""

    change: Change
    first_wave_contacts: Quantity
    full_year_contacts: Quantity
    reference_year: int  # the year the contact changes are measured against
    contact_figures: tuple[str, ...]  # figure_id of the gp_contacts_covid rows used


def covid_dip(published: pd.DataFrame, gp_contacts: pd.DataFrame) -> CovidDip:
    """The change 2018 -> 2020 for both sexes together, and the national GP practice contacts
    in March-June 2020 and in all of 2020 against the same period of 2019 (a primary figure
    first when there is one, then table order)."""
    figures = year_figures(published)
    start, end = figures[(2018, BOTH_SEXES)], figures[(2020, BOTH_SEXES)]
    if start.is_definition_assumed or end.is_definition_assumed:
        raise PrevalenceDataError("2018 and 2020 must both be VZinfo's stated definition")
    contacts = gp_contacts[
        (gp_contacts["measure"] == "practice_contacts_change_pct")
        & (gp_contacts["care_coverage"] == "national")
    ]
    contacts = contacts.assign(_secondary=contacts["source_type"] != "primary").sort_values(
        "_secondary", kind="stable"
    )

    def contact(period: str) -> pd.Series:
        rows = contacts[contacts["period"] == period]
        if rows.empty:
            raise PrevalenceDataError(f"no national GP practice contact change for {period}")
        return rows.iloc[0]

    first_wave, full_year = contact("2020-03 to 2020-06"), contact("2020")
    compared = [str(first_wave["compared_with"]), str(full_year["compared_with"])]
    if not all("2019" in text for text in compared):
        raise PrevalenceDataError(f"the contact changes are not both against 2019: {compared}")

    def pct(row: pd.Series) -> Quantity:
        value = float(row["value"])
        return Quantity(value, "pct", decimals=decimals_of(value))

    return CovidDip(
        change=Change(start.persons, end.persons, 2018, 2020),
        first_wave_contacts=pct(first_wave),
        full_year_contacts=pct(full_year),
        reference_year=2019,
        contact_figures=(str(first_wave["figure_id"]), str(full_year["figure_id"])),
    )


def contact_rows(gp_contacts: pd.DataFrame, dip: CovidDip) -> pd.DataFrame:
    """The GP contact rows a `CovidDip` states (for their source line)."""
    return gp_contacts[gp_contacts["figure_id"].isin(dip.contact_figures)]


@dataclass(frozen=True)
class AgeFindings:
    """What the age charts may say for one measure ('rate' or 'persons') of the age table."""

    year: int
    measure: str
    peak_group: dict[str, str]  # sex -> age group with the highest rate
    peak_rate: dict[str, Quantity]  # sex -> that rate per 1,000
    groups: int
    women_higher_groups: int  # age groups where women exceed men on this measure
    rises_with_age: dict[str, bool]  # sex -> rate never falls from one age group to the next
    totals: dict[str, Quantity]  # sex -> persons (estimated, 'about') or crude rate (published)
    unrounded: dict[str, Quantity]  # sex -> persons before rounding (the check on the totals)
    population_years: tuple[int, int]  # the two 1 January counts whose mean is the population

    @property
    def women_higher_everywhere(self) -> bool:
        return self.women_higher_groups == self.groups


def age_findings(
    by_age: pd.DataFrame, published: pd.DataFrame, measure: str, year: int = AGE_TABLE_YEAR
) -> AgeFindings:
    """Peak group, the women/men comparison for the measure shown, whether rates rise with age,
    and the totals a sentence may give: for persons the sum of the unrounded estimates, rounded
    to hundreds and marked 'about'; for rates VZinfo's published crude rate."""
    column = "rate_per_1000" if measure == "rate" else "persons"
    wide = by_age.pivot_table(index="age_group", columns="sex", values=column, observed=True)
    peak_group, peak_rate, rises, totals, unrounded = {}, {}, {}, {}, {}
    figures = year_figures(published)
    for sex in SEXES:
        rows = by_age[by_age["sex"] == sex].sort_values("age_group")
        peak = rows.loc[rows["rate_per_1000"].idxmax()]
        peak_group[sex] = str(peak["age_group"])
        peak_rate[sex] = Quantity(float(peak["rate_per_1000"]), "per_1000", decimals=1)
        rises[sex] = bool(rows["rate_per_1000"].is_monotonic_increasing)
        if measure == "persons":
            exact = (rows["rate_per_1000"] * rows["population"] / PER).sum()
            unrounded[sex] = Quantity(
                float(round(exact)), "persons", derived="published rates by age x mean population"
            )
            totals[sex] = Quantity(
                round_like_published(exact, PERSONS_STEP),
                "persons",
                qualifier="about",
                derived="published rates by age x mean population, rounded to hundreds",
            )
        else:
            totals[sex] = figures[(year, sex)].rate
    return AgeFindings(
        year=year,
        measure=measure,
        peak_group=peak_group,
        peak_rate=peak_rate,
        groups=len(wide),
        women_higher_groups=int((wide[WOMEN] > wide[MEN]).sum()),
        rises_with_age=rises,
        totals=totals,
        unrounded=unrounded,
        population_years=(year, year + 1),
    )


@dataclass(frozen=True)
class RatioFindings:
    """Women's rate over men's by age: the range and where the gap is widest."""

    year: int
    low: Quantity
    high: Quantity
    widest_group: str
    women_rate: Quantity
    men_rate: Quantity


def ratio_findings(ratio: pd.DataFrame, year: int = AGE_TABLE_YEAR) -> RatioFindings:
    top = ratio.loc[ratio["ratio_women_to_men"].idxmax()]
    derived = "women's published rate / men's published rate"
    return RatioFindings(
        year=year,
        low=Quantity(float(ratio["ratio_women_to_men"].min()), "ratio", 2, derived=derived),
        high=Quantity(float(ratio["ratio_women_to_men"].max()), "ratio", 2, derived=derived),
        widest_group=str(top["age_group"]),
        women_rate=Quantity(float(top[WOMEN]), "per_1000", 1),
        men_rate=Quantity(float(top[MEN]), "per_1000", 1),
    )


@dataclass(frozen=True)
class StandardisationFindings:
    """Crude and standardised rates by sex, and the largest move standardisation makes."""

    year: int
    rates: dict[tuple[str, str], Quantity]  # (sex, standard) -> rate per 1,000
    spread: Quantity


def standardisation_findings(
    table: pd.DataFrame, year: int = AGE_TABLE_YEAR
) -> StandardisationFindings:
    rates = {
        (row.sex, row.standard): Quantity(
            float(row.rate_per_1000),
            "per_1000",
            1,
            derived="" if row.standard == "crude" else f"direct standardisation to {row.standard}",
        )
        for row in table.itertuples()
    }
    spread = table.groupby("sex")["rate_per_1000"].agg(lambda s: s.max() - s.min()).max()
    return StandardisationFindings(
        year=year,
        rates=rates,
        spread=Quantity(float(spread), "per_1000", 1, derived="largest minus smallest rate"),
    )


@dataclass(frozen=True)
class CatchmentFindings:
    """Expected persons in an area of given size, with the national age-sex mix of one year."""

    inhabitants: Quantity
    population_year: int
    rates_year: int
    expected: dict[str, Quantity]  # men, women, total; rounded to tens, 'about'


def catchment_findings(
    rates: pd.DataFrame, population: pd.DataFrame, inhabitants: int, population_year: int
) -> CatchmentFindings:
    estimate = catchment_estimate(
        rates, population_by_age(population, population_year), inhabitants
    )
    rows = estimate.set_index("sex")["expected_persons"]
    method = f"{AGE_TABLE_YEAR} rates by sex and age x the {population_year} age-sex mix"
    return CatchmentFindings(
        inhabitants=Quantity(float(inhabitants), "persons"),
        population_year=population_year,
        rates_year=AGE_TABLE_YEAR,
        expected=_expected(rows, method),
    )


def _expected(rows: pd.Series, method: str) -> dict[str, Quantity]:
    """Expected persons by sex rounded to tens, and their total as the sum of the rounded parts
    (so the parts a sentence names add up to the total it names)."""
    parts = {sex: round_like_published(rows[sex], 10) for sex in SEXES}
    parts[BOTH_SEXES] = sum(parts.values())
    return {
        sex: Quantity(value, "persons", 0, "about", derived=method) for sex, value in parts.items()
    }


@dataclass(frozen=True)
class DenominatorCheck:
    """A published crude rate recomputed from its published count and a CBS denominator."""

    year: int
    sex: str
    persons: Quantity
    population: Quantity
    denominator: str  # 'average' (mean of two 1 January counts) or '1jan'
    recomputed: Quantity
    published: Quantity

    @property
    def reproduces(self) -> bool:
        """True when the recomputed rate rounds to the published one."""
        return round(self.recomputed.value, self.published.decimals) == self.published.value


def denominator_checks(totals: pd.DataFrame, population: pd.DataFrame) -> list[DenominatorCheck]:
    """Every row of `denominator_comparison` as a check record (the Sources & methods page)."""
    out = []
    for row in denominator_comparison(totals, population).itertuples():
        if pd.isna(row.population):
            continue
        out.append(
            DenominatorCheck(
                year=int(row.year),
                sex=row.sex,
                persons=Quantity(float(row.persons), "persons"),
                population=Quantity(
                    float(row.population), "persons", 1 if row.population % 1 else 0
                ),
                denominator=row.denominator,
                recomputed=Quantity(
                    float(row.rate_per_1000), "per_1000", 3, derived="persons / population x 1,000"
                ),
                published=Quantity(float(row.published_rate_per_1000), "per_1000", 1),
            )
        )
    return out


@dataclass(frozen=True)
class DenominatorSummary:
    """How many published rates by sex each denominator reproduces to the published decimal."""

    checked: int
    reproduced_mean: int
    reproduced_1jan: int


def denominator_summary(checks: list[DenominatorCheck]) -> DenominatorSummary:
    mean = [c for c in checks if c.denominator == "average"]
    jan = [c for c in checks if c.denominator == "1jan"]
    return DenominatorSummary(
        checked=len(mean),
        reproduced_mean=sum(c.reproduces for c in mean),
        reproduced_1jan=sum(c.reproduces for c in jan),
    )


def headline(totals: pd.DataFrame, population: pd.DataFrame, year: int = AGE_TABLE_YEAR) -> dict:
    """The overview's headline figures for one year as Quantities: persons by sex, rates by sex,
    and the share of the (mean) population, both sexes together, with '1 in N'."""
    figures = year_figures(published_totals(totals))
    average = average_population(population, year)
    total = figures[(year, BOTH_SEXES)].persons
    share = total.value / float(average[BOTH_SEXES]) * 100
    return {
        "year": year,
        "persons": total,
        "men": figures[(year, MEN)].persons,
        "women": figures[(year, WOMEN)].persons,
        "rate_men": figures[(year, MEN)].rate,
        "rate_women": figures[(year, WOMEN)].rate,
        "share_pct": Quantity(share, "pct", 1, derived="persons / mean population"),
        # "1 in N" with N rounded: the words say "about" before "1 in N".
        "one_in": Quantity(float(round(100 / share)), "count", 0, derived="1 / share, rounded"),
    }
