"""CBS population, CBS projections and the European Standard Population 2013.

From ``gp_data/population_cbs_1jan_*.csv``, ``gaps/`` (population by sex and age, projections,
ESP 2013) and ``population/`` (CBS 7461BEV by sex and age, 2014-2025). Changes to the extracts,
in the open:
- Totals by sex come from the published CBS totals (37296ned / 85496NED). The extract's own
  sums for 2018, 2020 and 2021 are checked against them and then dropped as duplicates.
- The 2020/2021 five-year groups are sums of CBS single-year counts (7461BEV, read from a copy in
  the RIVM repository rivm-syso/CoMixNL); the `derivation` column says so on every such row.
- 2014-2025 by sex (totals, five-year groups 0-4 ... 95+ and the open 85+) come from sums of
  CBS 7461BEV single-year counts as stored in the GitHub repository rcsmit/COVIDcases, added
  only where no row gives the same year, sex and group yet: a published total or the 2020/2021
  groups keep their row. Before that, every sum is recomputed from the single-year counts, and
  every existing row the single years can form (totals, 2018 ten-year groups, broad groups,
  2020/2021 groups) must equal it, or curation stops. The research notes on these rows are
  reworded as sentences (NEW_NOTES); a total that equals a CBS published total says so.
- The 2018 ten-year groups were printed in thousands with three decimals; the extract multiplied
  by 1,000 (exact, since the three decimals are the last three digits).
- Age-scheme labels are shortened to keys (`5_year`, `5_year_open_85`, `10_year`, `broad`,
  `total`) so that overlapping groupings are never added together.
- Projection and standard-population values are copied as published; the two 37714ned cells that
  look swapped are flagged, not corrected.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.curation import check, join_caveats, read_extract
from analysis.metadata.fields import age_bounds

# CBS 7461BEV as cited by the 2014-2025 extracts (population/SOURCES.md).
CBS_7461BEV_URL = "https://opendata.cbs.nl/#/CBS/nl/dataset/7461bev/table"

# The research notes of the 2014-2025 extracts, as sentences for the `note` column.
NEW_NOTES = {
    "": "",
    "latest years: check CBS for revisions before use": (
        "Latest years: check CBS for revisions before use."
    ),
    "2019 by sex was missing in shared/research; no stored CBS page shows it directly - the value "
    "is the sum of the CBS single-age export, whose 2019 total equals the published 17,282,163 "
    "and whose sex totals equal CBS in every other checked year": (
        "No stored CBS page shows 2019 by sex; the value is the sum of the CBS single-year "
        "export, whose 2019 total equals the published 17,282,163 and whose totals by sex equal "
        "the CBS published totals in every other year checked."
    ),
    "do not add to the 85-89/90-94/95+ rows (overlap)": (
        "do not add to the 85-89/90-94/95+ rows (overlap)"
    ),
}

SCHEMES = {
    "5-year": "5_year",
    "5-year (85+ open, matches VZinfo prevalence table)": "5_year_open_85",
    "10-year": "10_year",
    "total": "total",
}

ESP_SCHEMES = {
    "21 groups (Eurostat original: 0, 1-4, 5-year groups, 90-94, 95+)": "esp_21",
    "19 groups (0-4 ... 85-89, 90+)": "esp_19",
    "18 groups (0-4 ... 80-84, 85+) = VZinfo 2018 prevalence table groups": "esp_18",
}


def _copy_derivation(r) -> str:
    """A derivation that names the repository copy of the CBS single-year counts."""
    return (
        f"{r.derivation} (CBS 7461BEV single-year counts as stored in {r.source_repo}, "
        f"{r.source_path} @ {r.source_commit[:12]})"
    )


def _single_year_sums(single: pd.DataFrame):
    """A function (year, sex, age_group) -> the sum of the single-year counts it covers."""
    check(set(single["sex"]) == {"men", "women"}, "single-year counts by sex only")
    check(single["age"].str.fullmatch(r"\d+\+?").all(), "single-year ages are whole numbers")
    check(
        single["age"].str.endswith("+").sum() == single.groupby(["year", "sex"]).ngroups,
        "one open oldest age per year and sex",
    )
    table = single.assign(age=single["age"].str.rstrip("+").astype(int))
    table["value"] = table["value"].astype(int)

    def total(year: str, sex: str, age_group: str) -> int:
        low, high = age_bounds(age_group) if age_group != "total" else (0, 1000)
        sexes = ("men", "women") if sex == "total" else (sex,)
        part = table[
            (table["year"] == year) & table["sex"].isin(sexes) & table["age"].between(low, high)
        ]
        check(not part.empty, f"no single-year counts for {year} {sex} {age_group}")
        return int(part["value"].sum())

    return total


def _population_2014_2025(research: Path, existing: pd.DataFrame) -> list[dict]:
    """Rows for 2014-2025 by sex and five-year group that the package does not hold yet."""
    by_sex = read_extract(research, "population/population_cbs_1jan_by_sex.csv")
    by_age = read_extract(research, "population/population_cbs_1jan_by_sex_age5.csv")
    single = read_extract(research, "population/population_cbs_1jan_single_age.csv")
    for name, raw in (("by sex", by_sex), ("by age", by_age), ("single", single)):
        check(set(raw["source_url"]) == {CBS_7461BEV_URL}, f"7461BEV {name}: other source URLs")
        check(set(raw["unit"]) == {"persons"}, f"7461BEV {name}: units other than persons")
    summed = _single_year_sums(single)

    # Every existing cell the single years can form must equal their sum.
    have = existing.set_index(["year", "sex", "age_scheme", "age_group"])["persons"]
    years = set(single["year"])
    for (year, sex, scheme, group), persons in have.items():
        if year in years:
            single_years = summed(year, sex, group)
            check(
                int(persons) == single_years,
                f"{year} {sex} {scheme} {group}: package holds {persons}, 7461BEV single years "
                f"sum to {single_years}",
            )

    rows = []
    for r in by_sex.itertuples():
        check(int(r.population) == summed(r.year, r.sex, "total"), f"{r.year} {r.sex} total")
        if (r.year, r.sex, "total", "total") in have.index:
            continue
        check(r.note in NEW_NOTES, f"no sentence for the research note {r.note!r}")
        notes = [NEW_NOTES[r.note]]
        if r.check_result == "MATCH":
            check(r.check_published_value == r.population, f"{r.year} {r.sex}: check value")
            notes.append(f"Equals the total CBS publishes in {r.check_published_table}.")
        rows.append(
            {
                "year": r.year,
                "reference_date": r.reference_date,
                "sex": r.sex,
                "age_scheme": "total",
                "age_group": "total",
                "persons": r.population,
                "cbs_table_id": "7461BEV",
                "derivation": _copy_derivation(r),
                "caveats": join_caveats("derived_sum", "mirror_source"),
                "source_url": r.source_url,
                "note": " ".join(n for n in notes if n),
            }
        )
    totals = {(r.year, r.sex): r.population for r in by_sex.itertuples()}
    for r in by_age.itertuples():
        check(r.measure == "population on 1 January", f"unexpected measure {r.measure!r}")
        check(int(r.value) == summed(r.year, r.sex, r.age_group), f"{r.year} {r.sex} {r.age_group}")
        scheme = SCHEMES[r.age_scheme]
        if scheme == "total":
            check(totals[(r.year, r.sex)] == r.value, f"{r.year} {r.sex}: two totals differ")
            continue
        if (r.year, r.sex, scheme, r.age_group) in have.index:
            continue
        check(r.note in NEW_NOTES, f"no sentence for the research note {r.note!r}")
        rows.append(
            {
                "year": r.year,
                "reference_date": r.reference_date,
                "sex": r.sex,
                "age_scheme": scheme,
                "age_group": r.age_group,
                "persons": r.value,
                "cbs_table_id": "7461BEV",
                "derivation": _copy_derivation(r),
                "caveats": join_caveats("derived_sum", "mirror_source"),
                "source_url": r.source_url,
                "note": NEW_NOTES[r.note],
            }
        )
    return rows


def population(research: Path) -> pd.DataFrame:
    by_sex = read_extract(research, "gp_data/population_cbs_1jan_by_sex.csv")
    broad = read_extract(research, "gp_data/population_cbs_1jan_broad_age.csv")
    by_age = read_extract(research, "gaps/population_cbs_1jan_by_sex_age.csv")

    published_total = {(r.year, r.sex): r.population for r in by_sex.itertuples()}
    rows = []
    for r in by_sex.itertuples():
        url, _, more = r.source_url.partition(" ; ")
        rows.append(
            {
                "year": r.year,
                "reference_date": r.reference_date,
                "sex": r.sex,
                "age_scheme": "total",
                "age_group": "total",
                "persons": r.population,
                "cbs_table_id": r.cbs_table.replace(" / ", ";"),
                "derivation": "as published",
                "caveats": "",
                "source_url": url,
                "note": f"Also published at {more}." if more else "",
            }
        )

    for r in by_age.itertuples():
        scheme = SCHEMES[r.age_scheme]
        if scheme == "total":
            check(
                published_total.get((r.year, r.sex)) == r.value,
                f"summed total {r.year} {r.sex} = {r.value} differs from the CBS published total",
            )
            continue
        is_copy = r.source_repo != ""
        derivation = _copy_derivation(r) if is_copy else r.derivation
        rows.append(
            {
                "year": r.year,
                "reference_date": r.reference_date,
                "sex": r.sex,
                "age_scheme": scheme,
                "age_group": r.age_group,
                "persons": r.value,
                "cbs_table_id": "7461BEV" if r.cbs_table.startswith("7461BEV") else "",
                "derivation": derivation,
                "caveats": join_caveats(
                    "derived_sum" if is_copy else "", "mirror_source" if is_copy else ""
                ),
                "source_url": r.source_url,
                "note": r.note
                or ("CBS page names no table; totals match 37296ned." if not is_copy else ""),
            }
        )

    for r in broad.itertuples():
        if r.age_group == "total":
            check(published_total.get((r.year, "total")) == r.population, f"broad total {r.year}")
            continue
        rows.append(
            {
                "year": r.year,
                "reference_date": r.reference_date,
                "sex": r.sex,
                "age_scheme": "broad",
                "age_group": r.age_group,
                "persons": r.population,
                "cbs_table_id": r.cbs_table,
                "derivation": "as published",
                "caveats": "",
                "source_url": r.source_url,
                "note": "Five broad age groups, both sexes together.",
            }
        )
    out = pd.DataFrame(rows)
    out = pd.concat([out, pd.DataFrame(_population_2014_2025(research, out))], ignore_index=True)
    dupes = out[out.duplicated(["year", "sex", "age_scheme", "age_group"], keep=False)]
    check(dupes.empty, f"population rows share a primary key:\n{dupes}")
    # Strata add up to the totals (published ones where CBS printed them) wherever a full
    # breakdown exists, and the open 85+ group equals the five-year groups it overlaps.
    persons = out.set_index(["year", "sex", "age_scheme", "age_group"])["persons"].astype(int)
    for (year, sex, scheme), part in out[
        out.age_scheme.isin(["5_year", "10_year", "broad"])
    ].groupby(["year", "sex", "age_scheme"]):
        total = persons[(year, sex, "total", "total")]
        check(
            part["persons"].astype(int).sum() == int(total),
            f"{year} {sex} {scheme} groups sum to {part['persons'].astype(int).sum()}, not {total}",
        )
    for year, sex, _, _ in persons[
        persons.index.get_level_values("age_scheme") == "5_year_open_85"
    ].index:
        parts = sum(persons[(year, sex, "5_year", g)] for g in ("85-89", "90-94", "95+"))
        check(persons[(year, sex, "5_year_open_85", "85+")] == parts, f"{year} {sex}: 85+ != parts")
    out["_order"] = out["age_group"].map(age_bounds)
    scheme_order = {"total": 0, "broad": 1, "10_year": 2, "5_year": 3, "5_year_open_85": 4}
    sex_order = {"total": 0, "men": 1, "women": 2}
    out = out.sort_values(
        by=["year", "age_scheme", "sex", "_order"],
        key=lambda s: (
            s.map(scheme_order)
            if s.name == "age_scheme"
            else s.map(sex_order)
            if s.name == "sex"
            else s
        ),
    )
    return out.drop(columns="_order").reset_index(drop=True)


def projections(research: Path) -> pd.DataFrame:
    raw = read_extract(research, "gaps/population_projections_cbs.csv")
    check(set(raw["unit"]) == {"persons"}, "projection units other than persons")
    variants = {
        "prognosis (point)": "point",
        "lower bound 95% prognosis interval": "lower_95",
    }
    current = {"85324NED"}
    rows = []
    for r in raw.itertuples():
        swapped = "look swapped" in r.note
        rows.append(
            {
                "cbs_table_id": r.table_id,
                "cbs_table_title": r.table_title,
                "projection_vintage": r.projection_vintage,
                "is_current": "true" if r.table_id in current else "false",
                "year": r.year,
                "reference_date": r.reference_date,
                "sex": r.sex,
                "age_group": r.age_group,
                "projection_variant": variants[r.variant],
                "persons": r.value,
                "value_as_published": r.value_as_published,
                "caveats": join_caveats(
                    "projection",
                    "superseded" if r.table_id not in current else "",
                    "possible_source_error" if swapped else "",
                    "truncated_source" if r.value == "" else "",
                ),
                "source_url": r.source_url,
                "note": r.note,
            }
        )
    return pd.DataFrame(rows)


def standard_population(research: Path) -> pd.DataFrame:
    raw = read_extract(research, "gaps/european_standard_population_2013.csv")
    for scheme, part in raw.groupby("age_scheme"):
        check(part["weight"].astype(int).sum() == 100000, f"ESP weights of {scheme} sum != 100000")
    derived = raw["derivation"].str.contains("summed here|= 0 \\(1000\\)", regex=True)
    return pd.DataFrame(
        {
            "standard": "esp2013",
            "age_scheme": raw["age_scheme"].map(ESP_SCHEMES),
            "age_group": raw["age_group"],
            "weight": raw["weight"],
            "derivation": raw["derivation"],
            "caveats": derived.map({True: "derived_sum", False: ""}),
            "source_url": raw["source_url"],
            "note": raw["note"].where(
                raw["note"] != "",
                "Weights copied from public copies of the Eurostat table; the PDF annex itself "
                "was not readable.",
            ),
        }
    )


def build(research: Path) -> dict[str, pd.DataFrame]:
    return {
        "population": population(research),
        "population_projections": projections(research),
        "standard_population": standard_population(research),
    }
