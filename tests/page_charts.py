"""Every chart the public pages build, for every view a link can ask for, in both languages.

Built with the same chart builders and the same analysis calls as ``dashboard/views/*.py`` on the
bundled data (and the demo clinic records), so a test can check all of them without a browser.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from itertools import product

from analysis import clinic_store, clinic_view, data, demo, outcomes
from analysis import homeworking as hw
from analysis import prevalence as p
from dashboard.charts import homeworking as hw_charts
from dashboard.charts import outcomes as out_charts
from dashboard.charts import prevalence as prev_charts
from dashboard.charts.common import Chart
from dashboard.params import HOME_WORKING, OUTCOMES, PREVALENCE

LANGS = ("en", "nl")


def prevalence_charts(lang: str) -> Iterator[tuple[str, Chart]]:
    totals = data.load("gp_prevalence_totals")
    population = data.load("population")
    rates = p.age_rates(data.load("gp_prevalence_age_sex"), 2018)
    by_age = p.persons_by_age(rates, p.population_by_age(population, 2020))
    published = p.published_totals(totals)
    table = p.standardisation_table(
        totals, rates, data.load("standard_population"), population, year=2018
    )
    yield "prevalence/ratio", prev_charts.ratio_chart(p.rate_ratio(rates), 2018, lang)
    for measure in PREVALENCE["measure"].options:
        yield f"prevalence/pyramid/{measure}", prev_charts.pyramid(by_age, measure, 2018, lang)
    for sex in PREVALENCE["sex"].options:
        for year in PREVALENCE["year"].options:
            yield (
                f"prevalence/totals/{year}/{sex}",
                prev_charts.totals_chart(published, year, sex, lang),
            )
        for measure in PREVALENCE["measure"].options:
            yield (
                f"prevalence/age/{measure}/{sex}",
                prev_charts.age_profile(by_age, measure, sex, 2018, lang),
            )
        for standard in PREVALENCE["standard"].options:
            yield (
                f"prevalence/standardised/{standard}/{sex}",
                prev_charts.standardised_chart(table, standard, sex, lang),
            )


def home_working_charts(lang: str) -> Iterator[tuple[str, Chart]]:
    timeline = data.load("covid_timeline")
    periods = hw.covid_periods(timeline)
    gp_contacts, physio = data.load("gp_contacts_covid"), data.load("physio_use")
    all_shares = hw.home_working_share(data.load("homeworking"))
    for series in HOME_WORKING["series"].options:
        shares = hw.select_series(all_shares, series)
        yield (
            f"home-working/trend/{series}",
            hw_charts.home_working_trend(
                shares, hw.definition_breaks(shares), periods, hw.undated_events(timeline), lang
            ),
        )
    yield (
        "home-working/care",
        hw_charts.care_panels(
            hw.gp_prevalence_persons(data.load("gp_prevalence_totals")),
            hw.care_changes(gp_contacts, physio),
            hw.undated_care_changes(gp_contacts, physio),
            periods,
            lang,
        ),
    )
    yield (
        "home-working/workers",
        hw_charts.workers_msk_chart(hw.workers_msk_complaints(data.load("msk_workers")), lang),
    )
    yield (
        "home-working/odds",
        hw_charts.odds_ratio_forest(hw.odds_ratios(data.load("msk_homeworking_studies")), lang),
    )


@cache
def _demo_visits():
    result = clinic_store.read_export(demo.DEMO_PATH.read_bytes(), demo.DEMO_PATH.name)
    assert result.ok, result.problems
    return clinic_store.pseudonymise(result.visits, demo.DEMO_SECRET)


def outcome_charts(lang: str) -> Iterator[tuple[str, Chart]]:
    visits = _demo_visits()
    benchmarks = outcomes.benchmarks_table(data.load("outcome_benchmarks"))
    # Every group, and each filter on its own (the combinations only hide more cells).
    views = [(group, "all", "all") for group in OUTCOMES["group"].options]
    views += [("all", sex, "all") for sex in OUTCOMES["sex"].options[1:]]
    views += [("all", "all", age) for age in OUTCOMES["age"].options[1:]]
    for group, sex, age in views:
        result = clinic_view.public_outcomes(
            visits, group=group, sex=sex, age_band=age, is_demo=True
        )
        view = f"{group}/{sex}/{age}"
        yield (
            f"outcomes/km/{view}",
            out_charts.km_chart(result.km, result.claims, lang, result.is_demo, result.threshold),
        )
        yield (
            f"outcomes/pain/{view}",
            out_charts.pain_trajectory(result.pain, lang, result.is_demo, result.threshold),
        )
        yield (
            f"outcomes/benchmarks/{view}",
            out_charts.benchmark_forest(result.claims, benchmarks, lang, result.is_demo),
        )


def every_chart() -> Iterator[tuple[str, Chart]]:
    """(a name saying which page, chart and view, the chart) for every language."""
    for lang, builder in product(LANGS, (prevalence_charts, home_working_charts, outcome_charts)):
        for name, chart in builder(lang):
            yield f"{lang}/{name}", chart
