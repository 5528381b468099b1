"""The Home working & covid page as a pure function: settings from the link -> charts and facts.

Home-working shares by definition with the covid advice, GP and physiotherapy care on one time
axis, employees' complaints and the home-working odds ratios. Findings come from
`analysis.homeworking` and `analysis.prevalence`; the trend's words from
`dashboard.words.home_working`.
"""

from __future__ import annotations

from functools import lru_cache

from analysis import data
from analysis import homeworking as hw
from analysis import prevalence as p
from dashboard.charts import homeworking as charts
from dashboard.i18n import t
from dashboard.params import HOME_WORKING
from dashboard.views.page import PageView, Section, settings_type
from dashboard.words import home_working as w

PATH = "home-working"
Settings = settings_type("HomeWorkingSettings", HOME_WORKING)
CONTROLS: dict[str, tuple[str, ...]] = {
    "trend": ("series",),
    "care": (),
    "workers": (),
    "odds": (),
}


@lru_cache(maxsize=8)
def _trend(series: str, lang: str):
    timeline = data.load("covid_timeline")
    periods = hw.covid_periods(timeline)
    shares = hw.select_series(hw.home_working_share(data.load("homeworking")), series)
    breaks = hw.definition_breaks(shares)
    found = hw.trend_findings(shares, breaks)
    advised = periods[periods["advice"].isin(charts.NATIONAL_ADVICE)]
    chart = charts.home_working_trend(
        shares,
        breaks,
        periods,
        hw.undated_events(timeline),
        w.trend_title(found, lang),
        w.trend_sentence(found, advised, lang),
        lang,
    )
    return chart, found


@lru_cache(maxsize=4)
def _others(lang: str):
    periods = hw.covid_periods(data.load("covid_timeline"))
    gp_contacts, physio = data.load("gp_contacts_covid"), data.load("physio_use")
    totals = data.load("gp_prevalence_totals")
    dip = p.covid_dip(p.published_totals(totals), gp_contacts)
    changes = hw.care_changes(gp_contacts, physio)
    undated = hw.undated_care_changes(gp_contacts, physio)
    complaints = hw.workers_msk_complaints(data.load("msk_workers"))
    ratios = hw.odds_ratios(data.load("msk_homeworking_studies"))
    care = charts.care_panels(
        hw.gp_prevalence_persons(totals), changes, undated, periods, dip, lang
    )
    workers = charts.workers_msk_chart(complaints, lang)
    odds_found = hw.odds_findings(ratios)
    odds = charts.odds_ratio_forest(ratios, w.odds_title(odds_found, lang), lang)
    # The analysis tables these charts' sentences are written from are facts of the page.
    return care, workers, odds, (dip, periods, changes, undated, complaints, ratios, odds_found)


def view(settings: Settings, lang: str) -> PageView:
    """Everything the Home working & covid page shows for `settings` in `lang`."""
    trend, found = _trend(settings.series, lang)
    care, workers, odds, facts = _others(lang)
    return PageView(
        path=PATH,
        title=t("nav.home_working", lang),
        intro=t("home_working.intro", lang),
        sections=(
            Section("trend", (trend,), heading=t("home_working.heading_trend", lang)),
            Section("care", (care,), heading=t("home_working.heading_care", lang)),
            Section("workers", (workers,), heading=t("home_working.heading_workers", lang)),
            Section("odds", (odds,), heading=t("home_working.heading_odds", lang)),
        ),
        facts=(found, *facts),
    )


def link_settings() -> list[Settings]:
    """Every view a link can ask for."""
    return [Settings(series=series) for series in HOME_WORKING["series"].options]
