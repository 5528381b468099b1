"""Streamlit caches shared by the pages. Only aggregates are cached, never patient rows, and
every cache is bounded (max_entries and ttl)."""

from __future__ import annotations

import streamlit as st

from analysis import clinic_view


@st.cache_data(max_entries=64, ttl=600, show_spinner=False)
def public_outcomes(
    group: str = "all", sex: str = "all", age: str = "all", period: str = "all"
) -> clinic_view.PublicOutcomes:
    """Suppressed outcome aggregates for one selection of the clinic's (or the demo) records."""
    visits, is_demo = clinic_view.clinic_visits()
    return clinic_view.public_outcomes(
        visits, group=group, sex=sex, age_band=age, period=period, is_demo=is_demo
    )


@st.cache_data(max_entries=4, ttl=600, show_spinner=False)
def outcome_periods() -> list[str]:
    """The start years present in the records, for the period filter."""
    visits, _ = clinic_view.clinic_visits()
    from analysis import outcomes

    return clinic_view.periods(outcomes.episodes(visits))
