"""The Treatment outcomes page as a pure function: filters from the link and the clinic's
suppressed aggregates -> charts, words and the published benchmarks.

Public: only the suppressed aggregates of `analysis.clinic_view.public_outcomes` reach it.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

from analysis import clinic_view, data, outcomes
from analysis.vocabulary import ALL
from dashboard.charts import outcomes as charts
from dashboard.i18n import number, t
from dashboard.params import OUTCOMES
from dashboard.views.page import PageView, Section, Table, Text, settings_type
from dashboard.words import outcomes as w

PATH = "outcomes"
Settings = settings_type("OutcomesSettings", OUTCOMES)
CONTROLS: dict[str, tuple[str, ...]] = {
    "results": ("group", "sex", "age", "period"),
    "benchmarks": (),
    "caveats": (),
}
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
    benchmarks, gerac, citation, course = _benchmarks()
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
    blocks.append(charts.km_chart(result.km, result.claims, lang, result.is_demo, result.threshold))
    shown = result.medians[~result.medians["suppressed"].astype(bool)]
    if not shown.empty:
        blocks.append(Text(t("outcomes.medians_label", lang), "strong"))
        for row in shown.itertuples():
            key = (
                "outcomes.median_value" if row.is_median_reached else "outcomes.median_not_reached"
            )
            blocks.append(
                Text(
                    t(
                        key,
                        lang,
                        group=t(f"outcomes.group.{row.group}", lang),
                        median=row.median_sessions,
                        low=row.ci_low,
                        high=row.ci_high,
                    )
                )
            )
    blocks.append(charts.pain_trajectory(result.pain, lang, result.is_demo, result.threshold))
    blocks.append(
        charts.benchmark_forest(
            result.claims,
            benchmarks,
            w.forest_sentence(gerac, lang),
            w.forest_caption(gerac, lang),
            lang,
            result.is_demo,
        )
    )
    others = benchmarks[benchmarks["panel"] != "chronic_response"]
    return PageView(
        path=PATH,
        title=t("outcomes.title", lang),
        intro=w.intro(clinic_website(), lang),
        sections=(
            Section("results", tuple(blocks)),
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
            ),
            Section(
                "caveats",
                (Text(w.caveats(course, result.threshold, lang)),),
                heading=t("outcomes.caveats_heading", lang),
            ),
        ),
        facts=(gerac, citation, course, result, benchmarks),
    )


def link_settings(periods: list[str]) -> list[Settings]:
    """The views a link can ask for: every group, and each other filter on its own (their
    combinations only hide more cells), with the start years present in the records."""
    out = [Settings(group=group) for group in OUTCOMES["group"].options]
    out += [Settings(sex=sex) for sex in OUTCOMES["sex"].options if sex != ALL]
    out += [Settings(age=age) for age in OUTCOMES["age"].options if age != ALL]
    out += [Settings(period=period) for period in periods]
    return out
