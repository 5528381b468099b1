"""Streamlit caches shared by the pages. Only aggregates are cached, never patient rows, and
every cache is bounded (max_entries and ttl)."""

from __future__ import annotations

import contextlib
import gc
import importlib
import pickle
import sys
import threading
from collections.abc import Callable
from typing import TypeVar

import pandas as pd
import streamlit as st

from analysis import clinic_view

R = TypeVar("R")


def _outcomes_key(result: clinic_view.PublicOutcomes):
    """How a clinic aggregate is told apart as a cache key: by what it was cut from and how
    (hashing its tables took ~17 ms a rerun), or by its contents when it has no key."""
    return result.key or pickle.dumps(result)


@st.cache_resource(
    max_entries=512,
    ttl=3600,
    show_spinner=False,
    hash_funcs={clinic_view.PublicOutcomes: _outcomes_key},
)
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


# The clinic's protected source is built once per version of the records (several seconds):
# `warm_server` builds it in a background thread when the app first runs, and every use below
# waits for that build instead of starting a second one beside it.
_CLINIC_LOCK = threading.Lock()
_WARMING: list[threading.Thread] = []
_PAGE_VIEWS = ("overview", "prevalence", "home_working", "outcomes", "patients", "sources")


def _clinic_source() -> tuple:
    """(visits, is_demo, protected source) of the clinic; call it holding _CLINIC_LOCK."""
    visits, is_demo = clinic_view.clinic_visits()
    return visits, is_demo, clinic_view.protected_source(visits)


def _freeze_heap() -> None:
    """Collect, then move every object alive now (modules, the data package's tables, the
    protected source: what lives as long as the server) out of the garbage collector's sight.

    Streamlit collects garbage after every script run (runner.postScriptGC) and holds the
    interpreter meanwhile, so the run's last messages wait for it: with the dashboard's heap
    about 0.1 s per filter change, against about 1 ms for the objects made after this. Frozen
    objects are still freed when nothing refers to them; only reference cycles among them stay.
    """
    gc.collect()
    gc.freeze()


def warm_server() -> None:
    """Once per server process, in a background thread: import every page's modules and load
    the data package, then build the clinic's protected source, freezing the heap after each
    (`_freeze_heap`). The first open of a page then waits for none of it, and filter changes
    do not wait for the garbage collector to walk it. Not under pytest: test processes build
    what they use (and would wait for this thread at exit)."""
    if _WARMING or "pytest" in sys.modules:
        return

    def warm() -> None:
        with contextlib.suppress(Exception):
            for name in _PAGE_VIEWS:
                importlib.import_module(f"dashboard.views.{name}")
            from analysis import data

            for name in data.resource_names():
                data.load(name)
        _freeze_heap()
        with _CLINIC_LOCK, contextlib.suppress(Exception):
            # A failure is the page's to show: the page that needs the source builds it again.
            _clinic_source()
        _freeze_heap()

    # Not a daemon: the interpreter waits for the build at exit instead of killing it inside
    # native code (which aborts the process).
    thread = threading.Thread(target=warm, name="rugzicht-warm", daemon=False)
    _WARMING.append(thread)
    thread.start()


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


# Shared, not copied per session (st.cache_data would unpickle it on every rerun): the views
# only read it. Every filter combination fits (4 groups x 3 sexes x 4 age bands x 5 years).
@st.cache_resource(max_entries=256, ttl=600, show_spinner=False)
def _public_outcomes(
    group: str = "all", sex: str = "all", age: str = "all", period: str = "all"
) -> clinic_view.PublicOutcomes:
    with _CLINIC_LOCK:
        visits, is_demo, _ = _clinic_source()
        return clinic_view.public_outcomes(
            visits, group=group, sex=sex, age_band=age, period=period, is_demo=is_demo
        )


@st.cache_data(max_entries=4, ttl=600, show_spinner=False)
def outcome_periods() -> list[str]:
    """The start years present in the records, for the period filter."""
    with _CLINIC_LOCK:
        return list(_clinic_source()[2].periods)


@st.cache_data(max_entries=1, ttl=600, show_spinner=False)
def clinic_is_demo() -> bool:
    """Whether the pages show the demo clinic (no records imported yet)."""
    return clinic_view.clinic_visits()[1]


def _clear_clinic() -> None:
    """Forget the clinic's cached aggregates (after an import or an undo)."""
    _public_outcomes.clear()
    clinic_is_demo.clear()


public_outcomes.clear = _clear_clinic  # as the cached function's own .clear() was called
