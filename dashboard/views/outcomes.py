"""The Treatment outcomes page as a pure function: filters from the link and the clinic's
suppressed aggregates -> charts, words and the published benchmarks.

Public: only the suppressed aggregates of `analysis.clinic_view.public_outcomes` reach it.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

import pandas as pd

from analysis import clinic_view, data, natural_course, outcomes
from analysis import homeworking as hw
from analysis.vocabulary import ALL, CLAIM_SESSIONS
from dashboard.charts import outcomes as charts
from dashboard.charts.common import Chart
from dashboard.i18n import number, percent, t
from dashboard.params import OUTCOMES
from dashboard.views.page import PageView, Section, Table, Text, settings_type
from dashboard.words import outcomes as w

PATH = "outcomes"
Settings = settings_type("OutcomesSettings", OUTCOMES)
CONTROLS: dict[str, tuple[str, ...]] = {
    "results": ("group", "sex", "age", "period"),
    "counts": (),
    "curve": (),
    "pain": (),
    "course": (),
    "trials": (),
    "time": (),
    "benchmarks": (),
    "caveats": (),
}
# National home-working advice levels (not "none", not the regional advice of early March).
NATIONAL_ADVICE = ("urgent_work_at_home", "at_least_half_at_home", "work_at_home_if_possible")
# The page of the clinic's website that makes the claims, set by the owner (optional).
WEBSITE_ENV = "RUGZICHT_CLINIC_WEBSITE"
_URL = re.compile(r"^https?://[^\s<>\"']{1,200}$")


def clinic_website() -> str | None:
    """The owner's website address from the environment, when it is a plain http(s) URL."""
    url = os.environ.get(WEBSITE_ENV, "").strip()
    return url if _URL.fullmatch(url) else None


@lru_cache(maxsize=1)
def _benchmarks():
    raw = data.load("outcome_benchmarks")
    return (
        outcomes.benchmarks_table(raw),
        outcomes.gerac_findings(raw),
        outcomes.response_citation(raw),
        outcomes.natural_course(raw),
    )


@lru_cache(maxsize=1)
def covid_periods() -> pd.DataFrame:
    """The periods of home-working advice (shaded on the intake chart)."""
    return hw.covid_periods(data.load("covid_timeline"))


def advice_start(periods: pd.DataFrame) -> pd.Timestamp:
    """The first day of national home-working advice (12 March 2020 in the timeline)."""
    return pd.Timestamp(periods.loc[periods["advice"].isin(NATIONAL_ADVICE), "start"].min())


def clinic_intake(
    result: clinic_view.PublicOutcomes, lang: str
) -> tuple[Chart, outcomes.IntakeFindings]:
    """The clinic's new episodes over time on the covid measures' time axis (the chart), and the
    findings its sentence states: on the outcomes page and beside the national evidence of the
    Home working page's covid check."""
    periods = covid_periods()
    found = outcomes.intake_findings(
        result.intake, result.intake_resolution, result.pre_covid_year, advice_start(periods)
    )
    chart = charts.intake_chart(
        result.intake,
        result.intake_resolution,
        result.pre_covid_year,
        periods,
        w.intake_sentence(found, lang),
        lang,
        result.is_demo,
        result.threshold,
    )
    return chart, found


def _cell(row, column: str, lang: str) -> str:
    """A count of the response table, "hidden" where suppressed, "–" where missing."""
    value = getattr(row, column)
    if bool(row.suppressed):
        return t("outcomes.hidden_cell", lang)
    if pd.isna(value):
        return "–"
    return number(int(value), lang)


def _share_cell(row, lang: str) -> str:
    """One way of counting in one cell: the share responded, its 95% interval and the episodes
    it counts (for Kaplan-Meier those still followed at the session), or that it is hidden."""
    if row is not None and bool(row.suppressed):
        return t("outcomes.hidden_cell", lang)
    if row is None or pd.isna(row.estimate):
        return "–"
    interval = (
        "–"
        if pd.isna(row.ci_low)
        else f"{percent(row.ci_low * 100, lang, 0)}–{percent(row.ci_high * 100, lang, 0)}"
    )
    key = "outcomes.km_cell" if row.method == "kaplan_meier" else "outcomes.share_cell"
    share = percent(float(row.estimate) * 100, lang, 0)
    return t(key, lang, share=share, interval=interval, n=_cell(row, "n_episodes", lang))


def responses_table(responses: pd.DataFrame, lang: str) -> Table:
    """The share responded by sessions 5 and 10 of each group, counted three ways side by side
    (the conservative way first): one row per group and session, so that the three counts are
    read across a row; hidden cells say so."""
    rows = []
    by_cell = {}  # (group, session) -> {method: row}
    for row in responses.itertuples():
        by_cell.setdefault((row.complaint_duration, int(row.session)), {})[row.method] = row
    for group in outcomes.COMPLAINT_DURATIONS:
        for session in sorted({session for _, session in by_cell}):
            ways = by_cell.get((group, session))
            if ways is None:
                continue
            started = ways.get("all_started")
            rows.append(
                {
                    "group": t(f"outcomes.group.{group}", lang),
                    "session": int(session),
                    **{m: _share_cell(ways.get(m), lang) for m in outcomes.RESPONSE_METHODS},
                    "stopped": _cell(started, "n_stopped_before", lang) if started else "",
                    "ongoing": _cell(started, "n_ongoing", lang) if started else "",
                }
            )
    labels = {
        "group": t("outcomes.col_group", lang),
        "session": t("outcomes.col_session", lang),
        **{m: t(f"outcomes.col_{m}", lang) for m in outcomes.RESPONSE_METHODS},
        "stopped": t("outcomes.col_stopped", lang),
        "ongoing": t("outcomes.col_ongoing", lang),
    }
    return Table(pd.DataFrame(rows, columns=list(labels)), labels=labels)


def public(settings: Settings, visits=None, is_demo: bool = False) -> clinic_view.PublicOutcomes:
    """The suppressed aggregates of `visits` (by default the clinic's records, or the demo when
    none are imported) for the filters in `settings`."""
    if visits is None:
        visits, is_demo = clinic_view.clinic_visits()
    return clinic_view.public_outcomes(
        visits,
        group=settings.group,
        sex=settings.sex,
        age_band=settings.age,
        period=settings.period,
        is_demo=is_demo,
    )


def view(
    settings: Settings, lang: str, result: clinic_view.PublicOutcomes | None = None
) -> PageView:
    """Everything the outcomes page shows for `settings` in `lang`; `result` is the protected
    aggregate for those settings (computed here when not given)."""
    result = public(settings) if result is None else result
    benchmarks, gerac, citation, course_text = _benchmarks()
    blocks: list = []
    if result.is_demo:
        blocks.append(Text(t("outcomes.demo_banner", lang), "warning"))
    if result.n_patients is None:
        selection = t("outcomes.patients_hidden", lang, threshold=result.threshold)
    else:
        selection = t(
            "outcomes.patients",
            lang,
            patients=number(result.n_patients, lang),
            episodes=number(result.n_episodes, lang),
        )
    blocks.append(Text(selection, "caption"))
    blocks.append(Text(w.definition(citation, lang)))
    verdicts = result.verdicts
    if verdicts:
        blocks.append(Text(t("outcomes.verdict_heading", lang), "subheader"))
        for found in verdicts:
            blocks.append(Text(w.verdict(found, result.threshold, lang), "info"))
    elif settings.group not in CLAIM_SESSIONS:
        blocks.append(Text(t("outcomes.no_claim", lang, group=w.group_name(settings.group, lang))))
    sessions = outcomes.REPORT_SESSIONS
    counts_heading = t("outcomes.responses_heading", lang, first=sessions[0], last=sessions[-1])
    counts_blocks: tuple = ()
    if result.responses is not None and len(result.responses):
        counts_blocks = (
            Text(t("outcomes.responses_intro", lang), "caption"),
            responses_table(result.responses, lang),
        )
    curve_blocks = (
        charts.km_chart(result.km, result.claims, lang, result.is_demo, result.threshold),
    )
    shown = result.medians[~result.medians["suppressed"].astype(bool)]
    if not shown.empty:
        blocks.append(Text(t("outcomes.medians_label", lang), "strong"))
        lines = (
            t(
                "outcomes.median_value" if row.is_median_reached else "outcomes.median_not_reached",
                lang,
                group=t(f"outcomes.group.{row.group}", lang),
                median=row.median_sessions,
                low=row.ci_low,
                high=row.ci_high,
            )
            for row in shown.itertuples()
        )
        blocks.append(Text("\n".join(f"- {line}" for line in lines)))  # one list, one element
    pain_blocks = (charts.pain_trajectory(result.pain, lang, result.is_demo, result.threshold),)
    course = result.course
    shown_course = course[~course["suppressed"].astype(bool)]
    course_found = natural_course.comparisons(shown_course)
    groups = tuple(g for g in outcomes.COMPLAINT_DURATIONS if (course["group"] == g).any())
    course_blocks = (
        Text(
            t(
                "outcomes.course_intro",
                lang,
                costa=course_text.costa,
                costa_year=course_text.costa_year,
            )
        ),
        charts.course_chart(
            course,
            w.course_sentence(course_found, groups, lang, result.threshold),
            lang,
            result.is_demo,
            result.threshold,
        ),
    )
    trial_blocks = (
        charts.benchmark_forest(
            result.claims,
            benchmarks,
            w.forest_sentence(gerac, lang),
            w.forest_caption(gerac, lang),
            lang,
            result.is_demo,
        ),
    )
    intake, intake_found = clinic_intake(result, lang)
    limits = outcomes.control_limits(result.quarters)
    quarter_found = outcomes.quarter_findings(limits)
    time_blocks = (
        intake,
        Text(t("outcomes.p_chart_heading", lang), "subheader"),
        charts.p_chart(
            limits,
            w.p_chart_sentence(quarter_found, lang, result.threshold),
            lang,
            result.is_demo,
            result.threshold,
        ),
    )
    others = benchmarks[benchmarks["panel"] != "chronic_response"]
    return PageView(
        path=PATH,
        title=t("outcomes.title", lang),
        intro=w.intro(clinic_website(), lang),
        sections=(
            # The answers in words first (the verdicts with their intervals, the medians); the
            # tables and charts behind them on demand: a filter change redraws only those open.
            Section("results", tuple(blocks)),
            *(
                Section(name, section_blocks, heading=heading, on_demand=True)
                for name, section_blocks, heading in (
                    ("counts", counts_blocks, counts_heading),
                    ("curve", curve_blocks, t("outcomes.curve_heading", lang)),
                )
                if section_blocks
            ),
            *(
                Section(
                    name,
                    section_blocks,
                    heading=t(f"outcomes.{name}_heading", lang),
                    on_demand=True,
                )
                for name, section_blocks in (
                    ("pain", pain_blocks),
                    ("course", course_blocks),
                    ("trials", trial_blocks),
                    ("time", time_blocks),
                )
            ),
            Section(
                "benchmarks",
                (
                    Text(t("outcomes.other_benchmarks_intro", lang)),
                    Table(
                        others[["label", "definition_note", "source_url"]],
                        labels={
                            "label": t("outcomes.col_benchmark", lang),
                            "definition_note": t("outcomes.col_definition", lang),
                            "source_url": t("outcomes.col_source", lang),
                        },
                        links=("source_url",),
                    ),
                ),
                heading=t("outcomes.other_benchmarks", lang),
                # Reference: a table of links (the interactive grid) drawn when opened.
                on_demand=True,
                static=True,
            ),
            Section(
                "caveats",
                (Text(w.caveats(course_text, result.threshold, lang)),),
                heading=t("outcomes.caveats_heading", lang),
                static=True,
            ),
        ),
        facts=(
            gerac,
            citation,
            course_text,
            course_found,
            result,
            benchmarks,
            verdicts,
            intake_found,
            quarter_found,
            limits,
        ),  # fmt: skip
    )


def link_settings(periods: list[str]) -> list[Settings]:
    """The views a link can ask for: every group, and each other filter on its own (their
    combinations only hide more cells), with the start years present in the records."""
    out = [Settings(group=group) for group in OUTCOMES["group"].options]
    out += [Settings(sex=sex) for sex in OUTCOMES["sex"].options if sex != ALL]
    out += [Settings(age=age) for age in OUTCOMES["age"].options if age != ALL]
    out += [Settings(period=period) for period in periods]
    return out
