"""The Home working & covid page as a pure function: settings from the link -> charts and facts.

Home-working shares by definition with the covid advice; then the check of the clinic website's
covid sentence against the national evidence (with the clinic's own intake once imported); then,
on demand, GP and physiotherapy care on one time axis, employees' complaints and the
home-working odds ratios. Only the first follows the link's setting. Each chart carries one
short finding; its values, definitions and caveats are folded under it ("About this data").
Findings come from `analysis.homeworking` and `analysis.prevalence`; the words from
`dashboard.words.home_working`.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Hashable, Sequence
from functools import lru_cache

from analysis import data
from analysis import homeworking as hw
from analysis import prevalence as p
from dashboard.charts import homeworking as charts
from dashboard.charts.common import Chart
from dashboard.i18n import t
from dashboard.params import HOME_WORKING
from dashboard.views.page import Block, Details, PageView, Section, Text, settings_type
from dashboard.words import home_working as w

PATH = "home-working"
Settings = settings_type("HomeWorkingSettings", HOME_WORKING)
CONTROLS: dict[str, tuple[str, ...]] = {
    "trend": ("series",),
    "claim": (),
    "care": (),
    "workers": (),
    "odds": (),
}


def about_details(about: charts.About, lang: str, key: str = "") -> Details:
    """A chart's "About this data" expander: every plotted value, the definitions and notes,
    and the caveats of the plotted rows; with a `key`, drawn only once opened."""
    blocks = [Text(about.values), *(Text(note, "prose") for note in about.notes)]
    if about.caveats:
        blocks.append(Text(about.caveats, "prose"))
    return Details(t("home_working.about_title", lang), tuple(blocks), key=key)


def _blocks(built: tuple[Chart, charts.About], lang: str) -> tuple[Chart, Details]:
    chart, about = built
    # Long reference text: drawn when opened, so the page opens and redraws sooner.
    return chart, about_details(about, lang, key=f"about_{chart.name}")


@lru_cache(maxsize=8)
def _trend(series: str, lang: str):
    timeline = data.load("covid_timeline")
    periods = hw.covid_periods(timeline)
    shares = hw.select_series(hw.home_working_share(data.load("homeworking")), series)
    breaks = hw.definition_breaks(shares)
    found = hw.trend_findings(shares, breaks)
    advised = periods[periods["advice"].isin(charts.NATIONAL_ADVICE)]
    built = charts.home_working_trend(
        shares,
        breaks,
        periods,
        hw.undated_events(timeline),
        w.trend_title(found, lang),
        w.trend_sentence(found, advised, lang),
        w.trend_finding(found, advised, lang),
        lang,
    )
    return _blocks(built, lang), found


@lru_cache(maxsize=1)
def _tables():
    """The analysis tables the care, workers and odds charts and the claim check share."""
    gp_contacts, physio = data.load("gp_contacts_covid"), data.load("physio_use")
    published = p.published_totals(data.load("gp_prevalence_totals"))
    complaints = hw.workers_msk_complaints(data.load("msk_workers"))
    ratios = hw.odds_ratios(data.load("msk_homeworking_studies"))
    return published, gp_contacts, physio, complaints, ratios


@lru_cache(maxsize=1)
def claim_check() -> hw.CovidClaimCheck:
    """The national evidence on the website's covid sentence, and its verdict."""
    return hw.covid_claim_check(*_tables())


@lru_cache(maxsize=4)
def _others(lang: str):
    periods = hw.covid_periods(data.load("covid_timeline"))
    published, gp_contacts, physio, complaints, ratios = _tables()
    dip = p.covid_dip(published, gp_contacts)
    changes = hw.care_changes(gp_contacts, physio)
    undated = hw.undated_care_changes(gp_contacts, physio)
    care = charts.care_panels(
        hw.gp_prevalence_persons(data.load("gp_prevalence_totals")),
        changes,
        undated,
        periods,
        dip,
        w.care_finding(dip, lang),
        lang,
    )
    workers = charts.workers_msk_chart(complaints, w.workers_finding(complaints, lang), lang)
    odds_found = hw.odds_findings(ratios)
    odds = charts.odds_ratio_forest(
        ratios, w.odds_title(odds_found, lang), w.odds_finding(odds_found, lang), lang
    )
    # The analysis tables these charts' sentences are written from are facts of the page.
    return (
        _blocks(care, lang),
        _blocks(workers, lang),
        _blocks(odds, lang),
        (dip, periods, changes, undated, complaints, ratios, odds_found),
    )


def covid_claim_section(lang: str, clinic_blocks: Sequence[Block] = ()) -> Section:
    """The "Does the website's covid sentence hold?" section: what the national evidence says,
    each item with its limits and its sources (links), then the verdict in one or two sentences.

    `clinic_blocks` are shown after the national verdict, unchanged: the clinic's own intake
    beside the national figures, or the line saying where it will appear (`clinic_beside`)."""
    check = claim_check()
    blocks: list[Block] = [Text(t("home_working.claim.intro", lang))]
    for item in check.evidence:
        blocks.append(Text(w.claim_item(item, lang)))
        blocks.append(Text(w.claim_sources(item, lang), "caption"))
    blocks.append(Text(w.claim_verdict(check, lang), "strong"))
    blocks.extend(clinic_blocks)
    return Section(
        "claim", tuple(blocks), heading=t("home_working.heading_claim", lang), static=True
    )


def clinic_beside(clinic, lang: str) -> tuple[tuple[Block, ...], tuple]:
    """What goes beside the national verdict: the clinic's own intake over the covid years
    (protected, from the outcomes page) when the owner has imported records; with none (the
    demo), a line saying where it will appear. Returns the blocks and their facts."""
    from dashboard.views import outcomes as outcome_page

    if clinic is None or clinic.is_demo:
        return (Text(t("home_working.claim.clinic_missing", lang), "caption"),), ()
    chart, found = outcome_page.clinic_intake(clinic, lang)
    return (Text(t("home_working.claim.clinic_intro", lang)), chart), (clinic, found)


def records_key(clinic) -> Hashable:
    """What tells the clinic's aggregates apart: their key, or for aggregates made without one
    a digest of their contents (two clinics must never share a key)."""
    if clinic.key:
        return clinic.key
    return hashlib.sha256(pickle.dumps(clinic)).hexdigest()


def view(settings: Settings, lang: str, clinic=None) -> PageView:
    """Everything the Home working & covid page shows for `settings` in `lang`; `clinic` (the
    clinic's protected aggregates, `analysis.clinic_view.PublicOutcomes`) puts its intake
    beside the national verdict of the claim check (`covid_claim_section`)."""
    trend, found = _trend(settings.series, lang)
    care, workers, odds, facts = _others(lang)
    clinic_blocks, clinic_facts = clinic_beside(clinic, lang)
    return PageView(
        path=PATH,
        title=t("nav.home_working", lang),
        intro=t("home_working.intro", lang),
        sections=(
            Section("trend", trend, heading=t("home_working.heading_trend", lang)),
            # The answer to the website's sentence next, with the clinic's own intake beside it,
            # then the evidence in detail, on demand (the claim check states what each shows):
            # the same for every series, so drawn once, not again when the series changes. The
            # clinic's intake follows its records: `static_key` below says which.
            covid_claim_section(lang, clinic_blocks),
            Section(
                "care",
                care,
                heading=t("home_working.heading_care", lang),
                on_demand=True,
                static=True,
            ),
            Section(
                "workers",
                workers,
                heading=t("home_working.heading_workers", lang),
                on_demand=True,
                static=True,
            ),
            Section(
                "odds",
                odds,
                heading=t("home_working.heading_odds", lang),
                on_demand=True,
                static=True,
            ),
        ),
        facts=(found, *facts, claim_check(), *clinic_facts),
        static_key=records_key(clinic) if clinic_facts else None,
    )


def link_settings() -> list[Settings]:
    """Every view a link can ask for."""
    return [Settings(series=series) for series in HOME_WORKING["series"].options]
