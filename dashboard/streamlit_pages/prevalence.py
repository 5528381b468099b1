"""Prevalence by sex and age: reads the widgets, renders `dashboard.views.prevalence.view` (as a
fragment: a filter change reruns this page only, see `dashboard.render.run_page`)."""

import streamlit as st

from analysis.vocabulary import BOTH_SEXES
from dashboard import url_state
from dashboard.cached import build
from dashboard.i18n import t
from dashboard.params import PREVALENCE as P
from dashboard.render import PageSlots, run_page
from dashboard.views import prevalence as page

lang = url_state.current_lang()


def body() -> None:
    slots = PageSlots(page.CONTROLS, page.PATH)

    with slots.controls("by_year"):
        # The sex selector has the longest labels; it gets the widest column.
        left, middle, right = st.columns([1, 1.2, 1.1])
        with left:
            year = url_state.widget(
                st.segmented_control,
                P["year"],
                label=t("prevalence.year_label", lang),
                options=sorted(P["year"].options),
                format_func=str,
                required=True,
            )
        with middle:
            sex = url_state.widget(
                st.segmented_control,
                P["sex"],
                label=t("prevalence.sex_label", lang),
                options=P["sex"].options,
                format_func=lambda s: t(
                    "prevalence.sex_option_total" if s == BOTH_SEXES else f"sex.{s}", lang
                ),
                required=True,
            )
        with right:
            measure = url_state.widget(
                st.segmented_control,
                P["measure"],
                label=t("prevalence.measure_label", lang),
                options=P["measure"].options,
                format_func=lambda m: t(f"prevalence.measure_{m}", lang),
                required=True,
            )
    # Age standardisation on demand, its choice of standard population inside it.
    standardised = slots.folded("standardised", t("prevalence.standardised_heading", lang))
    if standardised is None:
        standard = url_state.value(P["standard"])
    else:
        with standardised:
            standard = url_state.widget(
                st.segmented_control,
                P["standard"],
                label=t("prevalence.standard_label", lang),
                options=P["standard"].options,
                format_func=lambda s: t(f"standard.{s}", lang),
                required=True,
            )
    # The catchment estimate on demand, its two settings inside.
    estimate = slots.folded("catchment", t("prevalence.catchment_heading", lang))
    if estimate is None:
        catchment = url_state.value(P["catchment"])
        catchment_year = url_state.value(P["catchment_year"])
    else:
        with estimate:
            inhabitants, population_year = st.columns([2, 1])
            with inhabitants:
                catchment = url_state.widget(
                    st.number_input,
                    P["catchment"],
                    label=t("prevalence.catchment_label", lang),
                    help=t("prevalence.catchment_help", lang),
                    min_value=1,
                    max_value=20_000_000,
                    step=1000,
                )
            with population_year:
                catchment_year = url_state.widget(
                    st.selectbox,
                    P["catchment_year"],
                    label=t("prevalence.catchment_year_label", lang),
                    options=P["catchment_year"].options[::-1],
                    format_func=str,
                )

    settings = page.Settings(
        year=year,
        sex=sex,
        measure=measure,
        standard=standard,
        catchment=catchment,
        catchment_year=catchment_year,
    )
    slots.fill(build(page.view, settings, lang), lang)


run_page(body, "prevalence")
