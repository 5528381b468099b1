"""GP-registered neck and back complaints (Nivel data via RIVM/VZinfo) from ``gp_data/``.

Changes to the extracts, in the open:
- Dutch notation in `value_as_published` is kept; `value` holds the same number with a dot.
- Figures published in millions ('ruim 1,1 miljoen') stay in millions (measure
  `persons_million`), so no precision is invented by writing them out as persons.
- Verbal qualifiers move from the number's text to `value_qualifier` (English key).
- Rows whose year the source leaves unclear get an empty `year` and the `year_uncertain` caveat.
- Rows whose case definition the research marks '(assumed)' (the 2017 figures: the articles do
  not state the ICPC codes) keep the VZinfo definition key and get the `definition_assumed`
  caveat.
- The ICPC table drops the four empty per-category value columns: no per-category figure was
  readable, and the resource description says so instead of shipping empty columns.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from analysis.curation import check, join_caveats, read_extract
from analysis.vocabulary import AGE_GROUPS_18

VZINFO_2018 = (
    "https://www.volksgezondheidenzorg.info/onderwerp/nek-en-rugklachten/cijfers-context/"
    "huidige-situatie"
)

QUALIFIERS = {
    "": "",
    "naar schatting (estimate)": "estimate",
    "ongeveer (about)": "about",
    "ruim (just over)": "just over",
    "bijna (almost)": "almost",
    "meer dan (more than)": "more than",
    "dik (well over)": "well over",
}

DEFINITIONS = {
    "L01-L03;L83;L84;L86": "vzinfo_gp_neck_back",
    "L01-L03;L83;L84;L86 (assumed; article cites RIVM)": "vzinfo_gp_neck_back",
    "L01-L03;L83;L84;L86 (assumed)": "vzinfo_gp_neck_back",
    "neck/back pain (not specified)": "gp_neck_back_unspecified",
    "back pain (definition in article not visible)": "gp_back_pain_unspecified",
    "low back only (Nivel/Radboudumc Zinnige Zorg study 2013-2018)": "gp_low_back_only",
}

MEASURES = {
    ("persons known to GP (annual prevalence)", "persons"): "persons",
    ("persons known to GP (annual prevalence)", "million persons"): "persons_million",
    ("annual prevalence rate", "per 1,000 men"): "rate_per_1000",
    ("annual prevalence rate", "per 1,000 women"): "rate_per_1000",
    ("of whom long-lasting or chronic complaints", "persons"): "persons_chronic",
    ("share of all men", "percent"): "share_pct",
    ("share of all women", "percent"): "share_pct",
    ("increase in persons known to GP versus 2016", "persons"): "persons_change_vs_previous_year",
    (
        "people visiting the GP for neck or back pain each year",
        "million persons",
    ): "persons_million",
    ("patients with back pain who went to the GP", "persons"): "persons",
    ("people with low-back complaints", "million persons"): "persons_million",
}


def _site(url: str) -> str:
    """A short slug for the publishing site, used to keep figure ids unique per source."""
    host = urlparse(url).netloc.removeprefix("www.")
    return host.split(".")[0].replace("-", "")


def age_sex(research: Path) -> pd.DataFrame:
    raw = read_extract(research, "gp_data/prevalence_by_age_sex_2018.csv")
    check(len(raw) == 36, f"expected 36 age-sex rows for 2018, got {len(raw)}")
    check(set(raw["source_url"]) == {VZINFO_2018}, "all 2018 age rows should cite VZinfo 2018")
    for row in raw.itertuples():
        check(
            row.rate_per_1000 == row.rate_as_published.replace(",", "."),
            f"rate {row.rate_per_1000} does not match its published text {row.rate_as_published}",
        )
    out = pd.DataFrame(
        {
            "year": raw["year"],
            "sex": raw["sex"],
            "age_group": raw["age_group"],
            "rate_per_1000": raw["rate_per_1000"],
            "value_as_published": raw["rate_as_published"],
            "definition": "vzinfo_gp_neck_back",
            "caveats": "inferred_unit",
            "source_url": raw["source_url"],
            "note": "Annual prevalence: persons known to the GP with one of the neck/back "
            "categories at some time in 2018, even without a contact that year.",
        }
    )
    order = {g: i for i, g in enumerate(AGE_GROUPS_18)}
    check(set(out["age_group"]) == set(AGE_GROUPS_18), "age groups differ from the 18 groups")
    sex_order = {"men": 0, "women": 1}
    return out.sort_values(
        ["age_group", "sex"], key=lambda s: s.map(order if s.name == "age_group" else sex_order)
    ).reset_index(drop=True)


def totals(research: Path) -> pd.DataFrame:
    raw = read_extract(research, "gp_data/prevalence_totals_by_sex.csv")
    rows = []
    for r in raw.itertuples():
        measure = MEASURES.get((r.measure, r.unit))
        check(measure is not None, f"unmapped measure {r.measure!r} in unit {r.unit!r}")
        check(r.qualifier in QUALIFIERS, f"unmapped qualifier {r.qualifier!r}")
        definition = DEFINITIONS.get(r.case_definition)
        check(definition is not None, f"unmapped case definition {r.case_definition!r}")
        year_stated = r.year_certainty == "stated"
        check(year_stated == bool(r.year), f"year and year_certainty disagree: {r.year!r}")
        source_type = "primary" if r.source_type.startswith("primary") else "secondary"
        url, _, url_note = r.source_url.partition(" ")
        check(url.startswith("https://"), f"source_url should start with a URL: {r.source_url!r}")
        notes = [r.note] if r.note else []
        if url_note:
            notes.append(f"Text read {url_note.strip('()')}.")
        if not year_stated:
            notes.append(f"Year: {r.year_certainty}.")
        caveats = join_caveats(
            "secondary_source" if source_type == "secondary" else "",
            "covid_registration_dip" if r.year == "2020" else "",
            "rounding" if r.year == "2018" and r.sex == "total" and measure == "persons" else "",
            "verbal_quantity" if QUALIFIERS[r.qualifier] not in ("", "estimate") else "",
            "different_definition" if definition != "vzinfo_gp_neck_back" else "",
            "definition_assumed" if "(assumed" in r.case_definition else "",
            "year_uncertain" if not year_stated else "",
        )
        figure_id = f"{r.year or 'unknown_year'}_{r.sex}_{measure}_{_site(url)}"
        rows.append(
            {
                "figure_id": figure_id,
                "year": r.year,
                "sex": r.sex,
                "definition": definition,
                "measure": measure,
                "value": r.value,
                "value_as_published": r.value_as_published,
                "value_qualifier": QUALIFIERS[r.qualifier],
                "source_type": source_type,
                "caveats": caveats,
                "source_url": url,
                "note": " ".join(notes),
            }
        )
    out = pd.DataFrame(rows)
    dupes = out["figure_id"][out["figure_id"].duplicated()]
    check(dupes.empty, f"figure ids are not unique: {list(dupes)}")
    return out


def icpc(research: Path) -> pd.DataFrame:
    raw = read_extract(research, "gp_data/icpc_diagnosis_categories.csv")
    value_cols = [c for c in raw.columns if c.startswith(("prevalence_", "incidence_"))]
    check(
        all((raw[c] == "").all() for c in value_cols),
        "per-category values are now present in the extract: add them as a table",
    )
    return pd.DataFrame(
        {
            "icpc_code": raw["icpc_code"],
            "label_nl": raw["label_nl_as_published"],
            "label_en": raw["label_en"],
            "exclusion": raw["exclusion_as_published"],
            "source_url": raw["source_url"],
            "note": "Category list and exclusions as defined on the 2020 VZinfo page.",
        }
    )


def build(research: Path) -> dict[str, pd.DataFrame]:
    return {
        "gp_prevalence_age_sex": age_sex(research),
        "gp_prevalence_totals": totals(research),
        "icpc_categories": icpc(research),
    }
