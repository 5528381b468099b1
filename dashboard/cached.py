"""Streamlit caches shared by the pages. Only aggregates are cached, never patient rows, and
every cache is bounded (max_entries and ttl)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TypeVar

import pandas as pd
import streamlit as st

from analysis import clinic_view

R = TypeVar("R")


@st.cache_resource(max_entries=512, ttl=3600, show_spinner=False)
def _built(qualname: str, args: tuple, kwargs: tuple):
    module, _, name = qualname.rpartition(".")
    return getattr(importlib.import_module(module), name)(*args, **dict(kwargs))


def build(func: Callable[..., R], *args, **kwargs) -> R:
    """`func(*args, **kwargs)` computed once per distinct input for every session: for the pure
    table and chart builders of `analysis` and `dashboard.charts`, whose Plotly figures take most
    of a rerun to build. The result is shared, not copied: a DataFrame comes back as a
    copy-on-write view (changing it never touches the cached one); a Chart must not be changed.
    """
    result = _built(f"{func.__module__}.{func.__qualname__}", args, tuple(sorted(kwargs.items())))
    return result.copy(deep=False) if isinstance(result, pd.DataFrame) else result


def public_outcomes(
    group: str = "all", sex: str = "all", age: str = "all", period: str = "all"
) -> clinic_view.PublicOutcomes:
    """Suppressed outcome aggregates for one selection of the clinic's (or the demo) records,
    with a spinner while the protected source is first built (seconds, once per data version;
    Streamlit shows a spinner only when the wait passes half a second)."""
    from dashboard.i18n import t
    from dashboard.url_state import current_lang

    with st.spinner(t("app.preparing_clinic", current_lang())):
        return _public_outcomes(group, sex, age, period)


@st.cache_data(max_entries=64, ttl=600, show_spinner=False)
def _public_outcomes(
    group: str = "all", sex: str = "all", age: str = "all", period: str = "all"
) -> clinic_view.PublicOutcomes:
    visits, is_demo = clinic_view.clinic_visits()
    return clinic_view.public_outcomes(
        visits, group=group, sex=sex, age_band=age, period=period, is_demo=is_demo
    )


@st.cache_data(max_entries=4, ttl=600, show_spinner=False)
def outcome_periods() -> list[str]:
    """The start years present in the records, for the period filter."""
    visits, _ = clinic_view.clinic_visits()
    return list(clinic_view.protected_source(visits).periods)


@st.cache_data(max_entries=1, ttl=600, show_spinner=False)
def clinic_is_demo() -> bool:
    """Whether the pages show the demo clinic (no records imported yet)."""
    return clinic_view.clinic_visits()[1]


def _clear_clinic() -> None:
    """Forget the clinic's cached aggregates (after an import or an undo)."""
    _public_outcomes.clear()
    clinic_is_demo.clear()


public_outcomes.clear = _clear_clinic  # as the cached function's own .clear() was called
