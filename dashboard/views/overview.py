"""Overview: the headline figures, each with its source and year, and where to read more."""

import streamlit as st

from analysis import data
from analysis import homeworking as h
from analysis import prevalence as p
from dashboard import cached, url_state
from dashboard.i18n import number, percent, t

lang = url_state.current_lang()
totals = data.load("gp_prevalence_totals")
population = data.load("population")
head = p.headline(totals, population, 2018)
change = p.change_between(totals, 2018, 2020).set_index("sex")
shares = h.home_working_share(data.load("homeworking")).set_index(["definition", "year"])
before = shares.loc[("cbs_ebb_usually_or_occasionally", 2019), "share_pct"]
after = shares.loc[("cbs_ebb_most_of_time_or_sometimes", 2021), "share_pct"]

st.title(t("overview.title", lang))
st.write(t("overview.intro", lang))

(first, second), (third, fourth) = st.columns(2), st.columns(2)
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
with fourth:
    st.metric(t("overview.homework_label", lang), percent(after, lang, 0))
    st.caption(
        t(
            "overview.homework_note",
            lang,
            before=percent(before, lang, 0),
            after=percent(after, lang, 0),
        )
    )
clinic = cached.public_outcomes()
st.subheader(t("overview.outcomes_heading", lang))
if clinic.is_demo:
    st.warning(t("outcomes.demo_banner", lang), icon=":material/science:")
claims = clinic.claims[clinic.claims["method"] == "complete_case"].set_index("complaint_duration")
for column, (group, session) in zip(st.columns(2), (("acute", 5), ("chronic", 10)), strict=True):
    with column:
        label = t(
            "overview.outcome_label",
            lang,
            group=t(f"outcomes.group.{group}", lang),
            session=session,
        ).capitalize()
        if group in claims.index and not claims.loc[group, "suppressed"]:
            row = claims.loc[group]
            st.metric(label, percent(row["estimate"] * 100, lang, 0))
            st.caption(
                t(
                    "overview.outcome_note",
                    lang,
                    low=percent(row["ci_low"] * 100, lang, 0),
                    high=percent(row["ci_high"] * 100, lang, 0),
                    n=number(row["n_episodes"], lang),
                )
                + (" " + t("outcomes.caption_demo", lang) if clinic.is_demo else "")
            )
        else:
            st.metric(label, "–")
            st.caption(t("outcomes.too_few", lang, threshold=clinic.threshold))
for view, nav in (
    ("views/prevalence.py", "nav.prevalence"),
    ("views/home_working.py", "nav.home_working"),
    ("views/outcomes.py", "nav.outcomes"),
):
    st.page_link(view, label=f"{t('overview.more', lang)} → {t(nav, lang)}")
