"""Prevalence by sex and age: GP-registered neck and back complaints, 2017-2020."""

import streamlit as st

from analysis import data
from analysis import prevalence as p
from dashboard import url_state
from dashboard.cached import build
from dashboard.charts import prevalence as charts
from dashboard.components import show_chart
from dashboard.i18n import number, t
from dashboard.params import PREVALENCE as P

lang = url_state.current_lang()
totals = data.load("gp_prevalence_totals")
population = data.load("population")
rates = build(p.age_rates, data.load("gp_prevalence_age_sex"), 2018)
by_age = build(p.persons_by_age, rates, build(p.population_by_age, population, 2020))
published = build(p.published_totals, totals)

st.title(t("prevalence.title", lang))
st.write(t("prevalence.intro", lang))

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
            "prevalence.sex_option_total" if s == "total" else f"sex.{s}", lang
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

show_chart(build(charts.totals_chart, published, year, sex, lang), lang)

if year != 2018:
    st.info(t("prevalence.no_age_detail", lang, year=year), icon=":material/info:")
show_chart(build(charts.age_profile, by_age, measure, sex, 2018, lang), lang)
show_chart(build(charts.pyramid, by_age, measure, 2018, lang), lang)
show_chart(build(charts.ratio_chart, build(p.rate_ratio, rates), 2018, lang), lang)

standard = url_state.widget(
    st.segmented_control,
    P["standard"],
    label=t("prevalence.standard_label", lang),
    options=P["standard"].options,
    format_func=lambda s: t(f"standard.{s}", lang),
    required=True,
)
table = build(
    p.standardisation_table,
    totals,
    rates,
    data.load("standard_population"),
    population,
    year=2018,
)
show_chart(build(charts.standardised_chart, table, standard, sex, lang), lang)

st.subheader(t("prevalence.catchment_heading", lang))
inhabitants = url_state.widget(
    st.number_input,
    P["catchment"],
    label=t("prevalence.catchment_label", lang),
    help=t("prevalence.catchment_help", lang),
    min_value=1,
    max_value=20_000_000,
    step=1000,
)
if inhabitants:
    estimate = p.catchment_estimate(rates, p.population_by_age(population, 2020), inhabitants)
    total = estimate.set_index("sex").loc["total", "expected_persons"]
    st.metric(t("prevalence.catchment_heading", lang), number(round(total, -1), lang))
    st.write(charts.catchment_sentence(estimate, inhabitants, lang))
    st.caption(t("prevalence.catchment_assumption", lang))
