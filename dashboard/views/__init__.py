"""One pure function per page: settings from the link (and the clinic's protected aggregates)
-> a `PageView`. The Streamlit pages render these; tests, benchmarks, notebooks and the export
call them, and `every_view` walks every view a link can ask for."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import pandas as pd

from dashboard.i18n import LANGS
from dashboard.views.page import PageView


@cache
def demo_visits() -> pd.DataFrame:
    """The synthetic demo clinic's visits, read and pseudonymised as a real import would be."""
    from analysis import clinic, demo

    result = clinic.read_export(demo.DEMO_PATH.read_bytes(), demo.DEMO_PATH.name)
    if not result.ok:
        raise ValueError(f"the demo export does not import cleanly:\n{result.problems}")
    return clinic.pseudonymise(result.visits, demo.DEMO_SECRET)


def every_view(
    langs: tuple[str, ...] = LANGS, visits: pd.DataFrame | None = None, is_demo: bool = True
) -> Iterator[tuple[str, PageView]]:
    """(a name saying which page, settings and language, the view) for every view a link can
    ask for, on the bundled data and the given clinic visits (the demo clinic by default)."""
    from analysis import clinic_view, outcomes
    from dashboard.views import home_working, overview, prevalence, sources
    from dashboard.views import outcomes as outcome_page
    from dashboard.views import patients as patient_page

    visits = demo_visits() if visits is None else visits
    # Every start year in the records, offered or not: a link can name any of them.
    periods = clinic_view.periods(outcomes.episodes(visits, categorical=True))
    for lang in langs:
        yield (
            f"{lang}/overview",
            overview.view(lang, clinic_view.public_outcomes(visits, is_demo=is_demo)),
        )
        for settings in prevalence.link_settings():
            yield f"{lang}/prevalence/{_name(settings)}", prevalence.view(settings, lang)
        for settings in home_working.link_settings():
            yield f"{lang}/home-working/{_name(settings)}", home_working.view(settings, lang)
        for settings in outcome_page.link_settings(periods):
            result = outcome_page.public(settings, visits, is_demo)
            yield f"{lang}/outcomes/{_name(settings)}", outcome_page.view(settings, lang, result)
        for settings in patient_page.link_settings():
            chosen, everyone = patient_page.public(settings, visits, is_demo)
            yield (
                f"{lang}/patients/{_name(settings)}",
                patient_page.view(settings, lang, chosen, everyone),
            )
        yield f"{lang}/sources", sources.view(lang)


def _name(settings) -> str:
    return ",".join(f"{k}={v}" for k, v in vars(settings).items())


def every_chart(langs: tuple[str, ...] = LANGS):
    """(view name / chart name, chart) for every distinct chart of `every_view` (a chart shared
    by several views, memoised, is yielded once)."""
    seen: set[int] = set()
    for name, view in every_view(langs):
        for chart in view.charts:
            if id(chart) not in seen:
                seen.add(id(chart))
                yield f"{name}/{chart.name}", chart
