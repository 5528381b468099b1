"""The Prevalence page as a pure function: settings from the link -> charts, facts and words.

Findings come from `analysis.prevalence`, words from `dashboard.words.prevalence`, figures from
`dashboard.charts.prevalence`; this module only puts them together. Parts that depend on fewer
settings than the whole view are memoised on those settings alone (bounded caches).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import pandas as pd

from analysis import data, provenance
from analysis import prevalence as p
from analysis.vocabulary import BOTH_SEXES, MEN, WOMEN
from dashboard import words
from dashboard.charts import prevalence as charts
from dashboard.charts.common import Chart
from dashboard.i18n import t
from dashboard.params import PREVALENCE
from dashboard.views.page import Figure, PageView, Section, Text, settings_type
from dashboard.words import prevalence as w

PATH = "prevalence"
Settings = settings_type("PrevalenceSettings", PREVALENCE)
# Page order; the Streamlit page puts each section's widgets (by link parameter) above it.
CONTROLS: dict[str, tuple[str, ...]] = {
    "by_year": ("year", "sex", "measure"),
    "by_age": (),
    "compared": (),
    "standardised": ("standard",),
    "catchment": ("catchment", "catchment_year"),
}
YEAR = p.AGE_TABLE_YEAR


@dataclass(frozen=True)
class Tables:
    """The package's tables this page uses and what `analysis.prevalence` makes of them."""

    totals: pd.DataFrame
    population: pd.DataFrame
    age_sex: pd.DataFrame
    standard_population: pd.DataFrame
    gp_contacts: pd.DataFrame
    published: pd.DataFrame
    rates: pd.DataFrame
    by_age: pd.DataFrame
    ratio: pd.DataFrame
    standardisation: pd.DataFrame


@lru_cache(maxsize=1)
def tables() -> Tables:
    totals, population = data.load("gp_prevalence_totals"), data.load("population")
    age_sex = data.load("gp_prevalence_age_sex")
    standard_population = data.load("standard_population")
    rates = p.age_rates(age_sex, YEAR)
    return Tables(
        totals=totals,
        population=population,
        age_sex=age_sex,
        standard_population=standard_population,
        gp_contacts=data.load("gp_contacts_covid"),
        published=p.published_totals(totals),
        rates=rates,
        by_age=p.estimated_persons_by_age(rates, population),
        ratio=p.rate_ratio(rates),
        standardisation=p.standardisation_table(
            totals, rates, standard_population, population, YEAR
        ),
    )


def _population_rows(population: pd.DataFrame, years: tuple[int, ...]) -> pd.DataFrame:
    """The population rows a calculation used (five-year groups and 85+ of `years`)."""
    return population[
        population["year"].isin(years) & population["age_scheme"].isin(["5_year", "5_year_open_85"])
    ]


# ---------------------------------------------------------------- parts


@lru_cache(maxsize=4)
def _totals(lang: str) -> tuple[Chart, p.CovidDip]:
    tab = tables()
    dip = p.covid_dip(tab.published, tab.gp_contacts)
    title = w.totals_title(dip, lang)
    shown = tab.published[tab.published["persons"].notna()]
    caption = words.caption(
        lang,
        w.totals_definition(p.totals_coverage(tab.published), lang),
        w.dip_reason(dip, lang),
        sources=[
            ("gp_prevalence_totals", shown),
            ("gp_contacts_covid", p.contact_rows(tab.gp_contacts, dip)),
        ],
    )
    data_ = shown[
        [
            "year",
            "sex",
            "persons",
            "persons_as_published",
            "value_qualifier",
            "published_rate_per_1000",
            "source_type",
            "is_definition_assumed",
            "source_url",
        ]
    ].reset_index(drop=True)
    figures = p.year_figures(tab.published)
    labelled = tab.published.assign(
        label=[
            words.say(figures[(y, s)].persons, lang) if figures[(y, s)].persons else ""
            for y, s in zip(tab.published["year"], tab.published["sex"], strict=True)
        ]
    )
    figure = charts.totals_chart(labelled, title, lang)
    return Chart("prevalence_by_year", figure, data_, title, "", caption), dip


@lru_cache(maxsize=32)
def _age(measure: str, sex: str, lang: str) -> tuple[Chart, Chart, p.AgeFindings]:
    tab = tables()
    found = p.age_findings(tab.by_age, tab.published, measure, YEAR)
    column = "rate_per_1000" if measure == "rate" else "persons"
    keep = ["sex", "age_group", "rate_per_1000"] + (
        ["population", "persons"] if measure == "persons" else []
    )
    age_rows = tab.age_sex[tab.age_sex["year"] == YEAR]
    sources = [("gp_prevalence_age_sex", age_rows)]
    extra = ""
    if measure == "persons":
        sources.append(("population", _population_rows(tab.population, (YEAR, YEAR + 1))))
        extra = w.persons_caption(YEAR, lang)
    caption = words.caption(lang, t("prevalence.caption_age", lang), extra, sources=sources)
    title = w.age_title(found, lang)
    profile = Chart(
        f"prevalence_by_age_{YEAR}_{measure}",
        charts.age_profile(tab.by_age, measure, sex, title, lang),
        tab.by_age[keep].reset_index(drop=True),
        title,
        w.age_sentence(found, sex, lang),
        caption,
    )
    published = p.year_figures(tab.published)
    pyramid_title = w.pyramid_title(found, lang)
    pyramid = Chart(
        f"prevalence_pyramid_{YEAR}_{measure}",
        charts.pyramid(tab.by_age, measure, pyramid_title, lang),
        tab.by_age[["sex", "age_group", column]].reset_index(drop=True),
        pyramid_title,
        w.pyramid_sentence(found, published, lang),
        caption,
    )
    return profile, pyramid, found


@lru_cache(maxsize=4)
def _ratio(lang: str) -> tuple[Chart, p.RatioFindings]:
    tab = tables()
    found = p.ratio_findings(tab.ratio, YEAR)
    title = w.ratio_title(found, lang)
    age_rows = tab.age_sex[tab.age_sex["year"] == YEAR]
    chart = Chart(
        f"prevalence_ratio_{YEAR}",
        charts.ratio_chart(tab.ratio, title, lang),
        tab.ratio.reset_index(drop=True),
        title,
        w.ratio_sentence(found, lang),
        words.caption(
            lang,
            t("prevalence.caption_ratio", lang),
            sources=[("gp_prevalence_age_sex", age_rows)],
        ),
    )
    return chart, found


@lru_cache(maxsize=32)
def _standardised(standard: str, sex: str, lang: str) -> tuple[Chart, p.StandardisationFindings]:
    tab = tables()
    found = p.standardisation_findings(tab.standardisation, YEAR)
    title = w.std_title(found, lang)
    std_rows = tab.standard_population[tab.standard_population["age_scheme"] == "esp_18"]
    chart = Chart(
        f"prevalence_standardised_{YEAR}",
        charts.standardised_chart(tab.standardisation, standard, title, lang),
        tab.standardisation.reset_index(drop=True),
        title,
        w.std_sentence(found, standard, sex, lang),
        words.caption(
            lang,
            w.std_caption(YEAR, lang),
            sources=[
                ("gp_prevalence_age_sex", tab.age_sex[tab.age_sex["year"] == YEAR]),
                ("gp_prevalence_totals", tab.published[tab.published["year"] == YEAR]),
                ("standard_population", std_rows),
                ("population", _population_rows(tab.population, (2018, 2020))),
            ],
        ),
    )
    return chart, found


# ---------------------------------------------------------------- the page


def view(settings: Settings, lang: str) -> PageView:
    """Everything the Prevalence page shows for `settings` in `lang`."""
    tab = tables()
    figures = p.year_figures(tab.published)
    totals, dip = _totals(lang)
    figure = figures.get((settings.year, settings.sex))
    producer = ""
    if figure is not None:
        entry = provenance.registry("gp_prevalence_totals").get(figure.source_url)
        producer = entry.producer_in(lang) if entry else ""
    totals = replace(
        totals, sentence=w.totals_sentence(figure, settings.year, settings.sex, producer, lang)
    )
    profile, pyramid, found = _age(settings.measure, settings.sex, lang)
    ratio, ratio_found = _ratio(lang)
    standardised, std_found = _standardised(settings.standard, settings.sex, lang)

    by_age: list = []
    if settings.year != YEAR:
        by_age.append(Text(w.no_age_detail(settings.year, lang), "info"))
    by_age.append(profile)

    # The published figures the sentences name: the selected one, and 2018 by sex (the persons
    # sentence sets the estimates beside them).
    published_2018 = [figures[(YEAR, sex)] for sex in (MEN, WOMEN)]
    facts: list = [dip, figure, *published_2018, found, ratio_found, std_found]
    catchment: list = []
    if settings.catchment:
        estimate = p.catchment_findings(
            tab.rates, tab.population, settings.catchment, settings.catchment_year
        )
        facts.append(estimate)
        catchment = [
            Figure(
                t("prevalence.catchment_heading", lang),
                words.say(estimate.expected[BOTH_SEXES], lang),
                "",
            ),
            Text(w.catchment_sentence(estimate, lang)),
            Text(w.catchment_assumption(estimate, lang), "caption"),
        ]
    return PageView(
        path=PATH,
        title=t("prevalence.title", lang),
        intro=t("prevalence.intro", lang),
        sections=(
            Section("by_year", (totals,)),
            Section("by_age", tuple(by_age)),
            # Women and men side by side, on demand: the same age table, two more charts.
            Section(
                "compared",
                (pyramid, ratio),
                heading=t("prevalence.compared_heading", lang),
                on_demand=True,
            ),
            # A derived comparison, with its own setting: on demand, the setting inside.
            Section(
                "standardised",
                (standardised,),
                heading=t("prevalence.standardised_heading", lang),
                on_demand=True,
            ),
            # The owner's own estimate, with two settings: on demand, the settings inside.
            Section(
                "catchment",
                tuple(catchment),
                heading=t("prevalence.catchment_heading", lang),
                on_demand=True,
            ),
        ),
        facts=tuple(f for f in facts if f is not None),
    )


def link_settings() -> list[Settings]:
    """Every view a link can ask for, with the free-number catchment at two sizes."""
    out = []
    for year in PREVALENCE["year"].options:
        for sex in PREVALENCE["sex"].options:
            for measure in PREVALENCE["measure"].options:
                for standard in PREVALENCE["standard"].options:
                    out.append(Settings(year=year, sex=sex, measure=measure, standard=standard))
    for catchment_year in PREVALENCE["catchment_year"].options:
        out.append(Settings(catchment=25_000, catchment_year=catchment_year))
    out.append(Settings(catchment=1, sex=BOTH_SEXES))
    return out
