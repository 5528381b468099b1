"""Treatment outcomes: reads the filters, renders `dashboard.views.outcomes.view` with the
suppressed aggregates (cached for every session), as a fragment: a filter change reruns this page
only (`dashboard.render.run_page`)."""

import streamlit as st

from dashboard import cached, url_state
from dashboard.cached import build
from dashboard.i18n import t
from dashboard.params import OUTCOMES as P
from dashboard.render import PageSlots, run_page
from dashboard.views import outcomes as page

lang = url_state.current_lang()
labels = {"group": "group_label", "sex": "sex_label", "age": "age_label", "period": "period_label"}


def option_label(key: str, value: str) -> str:
    """A filter option in the reader's language (the URL keeps the code)."""
    if value == "all":
        return t("outcomes.all", lang)
    if key == "sex":
        return t(f"sex.{value}", lang)
    if key == "group":
        return t(f"outcomes.group_option.{value}", lang)
    return value  # age bands and years read the same in both languages


def body() -> None:
    slots = PageSlots(page.CONTROLS)
    choices = {}
    with slots.controls("results"):
        # Segmented controls: every option in sight and one click (a dropdown takes two, and
        # the browser longer); two filters a row leave the options room.
        for row in (list(P.items())[:2], list(P.items())[2:]):
            for column, (key, param) in zip(st.columns(2), row, strict=True):
                with column:
                    options = (
                        param.options if key != "period" else ("all", *cached.outcome_periods())
                    )
                    choices[key] = url_state.widget(
                        st.segmented_control,
                        param,
                        label=t(f"outcomes.{labels[key]}", lang),
                        options=options,
                        format_func=lambda v, key=key: option_label(key, v),
                        required=True,
                    )

    settings = page.Settings(**choices)
    result = cached.public_outcomes(settings.group, settings.sex, settings.age, settings.period)
    slots.fill(build(page.view, settings, lang, result), lang)


run_page(body, "outcomes")
