"""Overview: the headline figures, each with its source and year, and where to read more."""

import streamlit as st

from analysis import data
from analysis import prevalence as p
from dashboard import url_state
from dashboard.i18n import number, percent, t

lang = url_state.current_lang()
totals = data.load("gp_prevalence_totals")
population = data.load("population")
head = p.headline(totals, population, 2018)
change = p.change_between(totals, 2018, 2020).set_index("sex")

st.title(t("overview.title", lang))
st.write(t("overview.intro", lang))

first, second, third = st.columns(3)
with first:
    st.metric(t("overview.persons_label", lang, year=2018), number(head["persons"], lang))
    st.caption(
        t(
            "overview.persons_note",
            lang,
            one_in=head["one_in"],
            share=percent(head["share_pct"], lang),
        )
    )
with second:
    st.metric(t("overview.women_label", lang, year=2018), number(head["rate_women"], lang, 1))
    st.caption(
        t(
            "overview.women_note",
            lang,
            women=number(head["women"], lang),
            men=number(head["men"], lang),
            rate_men=number(head["rate_men"], lang, 1),
        )
    )
with third:
    st.metric(
        t("overview.dip_label", lang),
        number(change.loc["total", "persons_end"], lang),
        delta=number(change.loc["total", "persons_change"], lang),
        delta_color="off",
    )
    st.caption(
        t(
            "overview.dip_note",
            lang,
            change=number(abs(change.loc["total", "persons_change"]), lang),
        )
    )
st.page_link(
    "views/prevalence.py", label=t("overview.more", lang) + " → " + t("nav.prevalence", lang)
)
