"""Home working & covid: home-working shares by definition with the covid advice, GP and
physiotherapy care on one time axis, employees' complaints and the home-working odds ratios."""

import streamlit as st

from analysis import data
from analysis import homeworking as hw
from dashboard.cached import build
from dashboard.charts import homeworking as charts
from dashboard.components import show_chart
from dashboard.i18n import t
from dashboard.params import HOME_WORKING
from dashboard.url_state import current_lang, widget

lang = current_lang()
timeline = data.load("covid_timeline")
periods = build(hw.covid_periods, timeline)
gp_contacts, physio = data.load("gp_contacts_covid"), data.load("physio_use")

st.title(t("nav.home_working", lang))
st.write(t("home_working.intro", lang))

st.subheader(t("home_working.heading_trend", lang))
series = widget(
    st.segmented_control,
    HOME_WORKING["series"],
    label=t("home_working.series_label", lang),
    options=HOME_WORKING["series"].options,
    format_func=lambda code: t(f"home_working.series.{code}", lang),
    required=True,
)
shares = build(hw.select_series, build(hw.home_working_share, data.load("homeworking")), series)
show_chart(
    build(
        charts.home_working_trend,
        shares,
        build(hw.definition_breaks, shares),
        periods,
        build(hw.undated_events, timeline),
        lang,
    ),
    lang,
)

st.subheader(t("home_working.heading_care", lang))
show_chart(
    build(
        charts.care_panels,
        build(hw.gp_prevalence_persons, data.load("gp_prevalence_totals")),
        build(hw.care_changes, gp_contacts, physio),
        build(hw.undated_care_changes, gp_contacts, physio),
        periods,
        lang,
    ),
    lang,
)

st.subheader(t("home_working.heading_workers", lang))
show_chart(
    build(
        charts.workers_msk_chart, build(hw.workers_msk_complaints, data.load("msk_workers")), lang
    ),
    lang,
)

st.subheader(t("home_working.heading_odds", lang))
show_chart(
    build(
        charts.odds_ratio_forest, build(hw.odds_ratios, data.load("msk_homeworking_studies")), lang
    ),
    lang,
)
