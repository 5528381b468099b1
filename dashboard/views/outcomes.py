"""Treatment outcomes: the clinic's responders, by session, beside trials and the natural course.

Public: only suppressed aggregates from `analysis.clinic_view` reach this page.
"""

import streamlit as st

from analysis import data, outcomes
from dashboard import cached, url_state
from dashboard.cached import build
from dashboard.charts import outcomes as charts
from dashboard.components import show_chart
from dashboard.i18n import number, t
from dashboard.params import OUTCOMES as P

lang = url_state.current_lang()
st.title(t("outcomes.title", lang))
st.write(t("outcomes.intro", lang))


def option_label(key: str, value: str) -> str:
    """A filter option in the reader's language (the URL keeps the code)."""
    if value == "all":
        return t("outcomes.all", lang)
    if key == "sex":
        return t(f"sex.{value}", lang)
    if key == "group":
        return t(f"outcomes.group_option.{value}", lang)
    return value  # age bands and years read the same in both languages


cols = st.columns(4)
labels = {"group": "group_label", "sex": "sex_label", "age": "age_label", "period": "period_label"}
choices = {}
for column, (key, param) in zip(cols, P.items(), strict=True):
    with column:
        options = param.options if key != "period" else ("all", *cached.outcome_periods())
        choices[key] = url_state.widget(
            st.selectbox,
            param,
            label=t(f"outcomes.{labels[key]}", lang),
            options=options,
            format_func=lambda v, key=key: option_label(key, v),
        )

result = cached.public_outcomes(choices["group"], choices["sex"], choices["age"], choices["period"])
if result.is_demo:
    st.warning(t("outcomes.demo_banner", lang), icon=":material/science:")
st.caption(
    t(
        "outcomes.patients",
        lang,
        patients=number(result.n_patients, lang),
        episodes=number(result.n_episodes, lang),
    )
)
st.markdown(t("outcomes.definition", lang))

show_chart(
    build(charts.km_chart, result.km, result.claims, lang, result.is_demo, result.threshold), lang
)
shown = result.medians[~result.medians["suppressed"].astype(bool)]
if not shown.empty:
    st.markdown(f"**{t('outcomes.medians_label', lang)}**")
    for row in shown.itertuples():
        key = "outcomes.median_value" if row.is_median_reached else "outcomes.median_not_reached"
        st.write(
            t(
                key,
                lang,
                group=t(f"outcomes.group.{row.group}", lang),
                median=row.median_sessions,
                low=row.ci_low,
                high=row.ci_high,
            )
        )
show_chart(build(charts.pain_trajectory, result.pain, lang, result.is_demo, result.threshold), lang)
benchmarks = build(outcomes.benchmarks_table, data.load("outcome_benchmarks"))
show_chart(build(charts.benchmark_forest, result.claims, benchmarks, lang, result.is_demo), lang)

st.subheader(t("outcomes.other_benchmarks", lang))
st.write(t("outcomes.other_benchmarks_intro", lang))
others = benchmarks[benchmarks["panel"] != "chronic_response"]
st.dataframe(
    others[["label", "definition_note", "source_url"]],
    hide_index=True,
    width="stretch",
    column_config={
        "label": t("outcomes.col_benchmark", lang),
        "definition_note": t("outcomes.col_definition", lang),
        "source_url": st.column_config.LinkColumn(t("outcomes.col_source", lang)),
    },
)

st.subheader(t("outcomes.caveats_heading", lang))
st.markdown(t("outcomes.caveats", lang, threshold=result.threshold))
