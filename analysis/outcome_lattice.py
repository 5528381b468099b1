"""The outcome tables of every view a shared link can ask for (sex x age band x start year,
"all" included), unsuppressed, counted in one grouped pass over the clinic's episodes rather than
one pass per view. Patient rows never leave this module; `analysis.clinic_view` protects the
tables (disclosure control across all views) before anyone sees them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import data, disclosure, natural_course, outcomes
from analysis.vocabulary import (
    ALL,
    COMPLAINT_DURATIONS,
    CONFIDENCE,
    PAIN_BAND_PCT,
    PATIENT_AGE_BANDS,
    SEXES,
)


def periods(ep: pd.DataFrame) -> list[str]:
    """The start years present in the records, oldest first."""
    return sorted(str(p) for p in ep["period"].dropna().unique())


# The episode columns the public tables are computed from.
_USED = (
    "patient_key", "episode_key", "session", "visit_date", "pain_nrs", "baseline_pain",
    "is_responder", "is_substantial", "is_baseline_zero", "complaint_duration", "sex",
    "age_band", "region", "period",
)  # fmt: skip


def _durations(group: str) -> tuple[str, ...]:
    """The complaint durations a group filter keeps ("all": every known duration; episodes of
    unknown duration are in no group)."""
    return COMPLAINT_DURATIONS if group == ALL else (group,)


# The filters a link can set, as columns of the protected source; "all" is no filter.
VIEW_DIMS = ("sex", "age_band", "period")
MAX_SESSION = 12


def view_keys(periods_present: list[str]) -> list[tuple[str, str, str]]:
    """Every (sex, age band, start year) a link can ask for, "all" included."""
    sexes = (ALL, *SEXES)
    ages = (ALL, *PATIENT_AGE_BANDS)
    years = (ALL, *periods_present)
    return [(s, a, y) for s in sexes for a in ages for y in years]


@dataclass(frozen=True)
class TimeAxis:
    """How the clinic's figures over time are cut: the intake's resolution and buckets, the
    start quarters, the end of the records and the pre-covid comparison year (if covered)."""

    resolution: str
    buckets: tuple[str, ...]
    quarters: tuple[str, ...]
    end: pd.Timestamp | None
    pre_covid_year: int | None


def time_axis(
    ep_all: pd.DataFrame, threshold: int, summary: pd.DataFrame | None = None
) -> TimeAxis:
    """The time axis of the whole clinic's records (the same for every view); `summary` is
    `outcomes.episode_summary(ep_all)` when already at hand."""
    summary = outcomes.episode_summary(ep_all) if summary is None else summary
    end = outcomes.records_end(ep_all)
    resolution = outcomes.intake_resolution(summary, threshold)
    if summary.empty:
        return TimeAxis(resolution, (), (), end, None)
    first, last = summary["first_visit"].min(), summary["first_visit"].max()
    return TimeAxis(
        resolution,
        tuple(outcomes.bucket_range(first, last, resolution)),
        tuple(outcomes.bucket_range(first, last, "quarter")),
        end,
        outcomes.pre_covid_year(summary),
    )


# --------------------------------------------------------------------------- the lattice
#
# Every table of every view is computed at once. Along each filter with an "all" view (sex, age
# band, start year; for some tables the complaint group and the month or quarter too) a row has
# a *slot*: 1..n for its value, n + 1 when it is in none of the parts (sex or age unknown); slot
# 0 is the "all" view. Counts are made per cell of the finest split and then summed into the
# "all" slots (`_roll_up`): a handful of array operations instead of one pass per view. A
# dense array over (sex, age band, start year, ...) with slot 0 first lists the views in the
# order of `view_keys`.


def _slots(values: pd.Series, labels: Sequence[str]) -> np.ndarray:
    """Each row's slot along a filter whose parts are `labels` (see above)."""
    codes, uniques = pd.factorize(values)
    position = pd.Index(list(labels), dtype=object).get_indexer(
        pd.Index(np.asarray(uniques, dtype=object))
    )
    lookup = np.append(np.where(position >= 0, position + 1, len(labels) + 1), len(labels) + 1)
    return lookup[codes]  # code -1 (missing) takes the last entry: in no part


def _roll_up(fine: np.ndarray, n_filters: int) -> np.ndarray:
    """Counts per cell of the finest split (the first `n_filters` axes hold slots, slot 0
    empty) -> counts per view: slot 0 of each filter becomes the total over all its slots, and
    the "in no part" slot is dropped. Only for figures that add up (counts, sums)."""
    out = fine.copy()
    for axis in range(n_filters):
        moved = np.moveaxis(out, axis, 0)
        moved[0] = moved.sum(axis=0)
        out = np.moveaxis(moved[:-1], 0, axis)
    return out


def _spread(slots: Sequence[np.ndarray], sizes: Sequence[int]):
    """Each row once per view that holds it (along every filter its "all" slot and, unless it
    is in no part, its own): the row of each copy and the copies' slots."""
    rows = np.arange(len(slots[0]))
    out: list[np.ndarray] = []
    for slot, n in zip(slots, sizes, strict=True):
        own = slot[rows]
        in_part = (own >= 1) & (own <= n)
        out = [np.concatenate([o, o[in_part]]) for o in out]
        out.append(np.concatenate([np.zeros(len(rows), dtype="int64"), own[in_part]]))
        rows = np.concatenate([rows, rows[in_part]])
    return rows, out


def _lattice_sum(filters, keys=(), weights=None) -> np.ndarray:
    """Per view and key, the number of rows (or the sum of `weights`). `filters`: (slots, n)
    per filter with an "all" view; `keys`: (codes 0..n-1, n) per further column."""
    shape = tuple(n + 2 for _, n in filters) + tuple(n for _, n in keys)
    flat = np.ravel_multi_index([np.asarray(c) for c, _ in (*filters, *keys)], shape)
    fine = np.bincount(flat, weights, minlength=int(np.prod(shape))).reshape(shape)
    return _roll_up(fine, len(filters))


_run_starts = outcomes._run_starts  # whether each element starts a run of equal values


def _run_ends(keys: np.ndarray) -> np.ndarray:
    """Whether each element of a sorted array ends a run of equal values."""
    return np.r_[keys[1:] != keys[:-1], True] if len(keys) else np.zeros(0, dtype=bool)


def _tally(code: np.ndarray, weights: np.ndarray | None = None):
    """The distinct values of non-negative `code`, sorted, and how often each occurs (or the
    sum of its `weights`): by counting when the codes are few, else by sorting (quicker than
    np.unique's hashing of many distinct codes)."""
    if len(code) and code.max() < max(1 << 22, 4 * len(code)):
        occurs = np.bincount(code)
        distinct = np.flatnonzero(occurs)
        counts = occurs if weights is None else np.bincount(code, weights, minlength=len(occurs))
        return distinct, counts[distinct]
    order = np.argsort(code, kind="stable")
    code = code[order]
    starts = np.flatnonzero(_run_starts(code))
    if weights is None:
        counts = np.diff(np.append(starts, len(code)))
    else:
        counts = np.add.reduceat(weights[order], starts) if len(starts) else weights[:0]
    return code[starts], counts


def _highest(code: np.ndarray, n_levels: int) -> tuple[np.ndarray, np.ndarray]:
    """For codes `key * n_levels + level`: each distinct key once, with its highest level."""
    code = np.sort(code)
    top = code[_run_ends(code // n_levels)]
    return top // n_levels, top % n_levels


def _lattice_patients(filters, keys, episode, patient_of, level=None, n_levels=1) -> np.ndarray:
    """Distinct patients per view and key (shape as `_lattice_sum`, plus a last axis of
    `n_levels` when `level` is given: each patient counted once, at its highest level in the
    view, so "at least level l" is a reverse cumulative sum). `episode` is each row's episode
    (with at most one row per key: a visit per session, say), `patient_of` each episode's
    patient.

    A patient whose rows of a key all lie in one cell of the finest split (always so for a
    patient with one episode) is counted like any count and summed up. One in two cells
    (episodes in two start years, say) is counted in each, less once in the views that hold
    both (at the lower level: inclusion-exclusion), which are those of the cell that keeps a
    filter's value where the two agree and is in no part where they differ. One in more cells
    is counted by spreading its rows over the views that hold them, once per view."""
    sizes = [n for _, n in filters]
    fine_shape = tuple(n + 2 for n in sizes)
    view_shape = tuple(n + 1 for n in sizes)
    key_shape = tuple(n for _, n in keys)
    n_cells, n_keys = int(np.prod(fine_shape)), int(np.prod(key_shape))
    cell = np.ravel_multi_index([c for c, _ in filters], fine_shape)
    key = np.ravel_multi_index([c for c, _ in keys], key_shape) if keys else None
    by_level = level is not None
    level = np.asarray(level, dtype="int64") if by_level else None
    size = n_cells * n_keys * n_levels

    def tally(in_cell, in_key, at_level) -> np.ndarray:  # rows per (cell, key, level)
        flat = in_cell if in_key is None else in_cell * n_keys + in_key
        flat = flat if at_level is None else flat * n_levels + at_level
        return np.bincount(flat, minlength=size)

    def pick(values, rows):
        return None if values is None else values[rows]

    seen = np.zeros(len(patient_of), dtype=bool)
    seen[episode] = True
    per_patient = np.bincount(patient_of[seen], minlength=int(patient_of.max(initial=0)) + 1)
    alone = (per_patient == 1)[patient_of][episode]  # (per episode, then per row: fewer gathers)
    counts = tally(cell[alone], pick(key, alone), pick(level, alone))
    # Patients with several episodes: each (patient, key, cell) once, at its highest level.
    several_rows = ~alone
    who = patient_of[episode[several_rows]] * n_keys
    if key is not None:
        who += key[several_rows]
    code = who * n_cells + cell[several_rows]
    code = code * n_levels + level[several_rows] if by_level else code
    code, top = _highest(code, n_levels)
    who, in_cell = code // n_cells, code % n_cells
    start, end = _run_starts(who), _run_ends(who)
    single = start & end
    pair = start & ~end & np.r_[end[1:], False]  # the first of a run of two
    first = np.flatnonzero(pair)
    second = first + 1
    a = np.unravel_index(in_cell[first], fine_shape)
    b = np.unravel_index(in_cell[second], fine_shape)
    both = np.ravel_multi_index(
        [np.where(x == y, x, n + 1) for x, y, n in zip(a, b, sizes, strict=True)], fine_shape
    )
    levels = top if by_level else None
    counts += tally(in_cell[single], who[single] % n_keys, pick(levels, single))
    pair_key = who[first] % n_keys
    counts += tally(in_cell[first], pair_key, pick(levels, first))
    counts += tally(in_cell[second], pair_key, pick(levels, second))
    lower = np.minimum(top[first], top[second]) if by_level else None
    counts -= tally(both, pair_key, lower)
    out = _roll_up(counts.reshape(fine_shape + key_shape + (n_levels,)), len(filters))
    several = ~single
    several[first], several[second] = False, False
    if several.any():
        rows, views = _spread(np.unravel_index(in_cell[several], fine_shape), sizes)
        view = np.ravel_multi_index(views, view_shape)
        n_views = int(np.prod(view_shape))
        code = (who[several][rows] * n_views + view) * n_levels + top[several][rows]
        code, top = _highest(code, n_levels)
        flat = ((code % n_views) * n_keys + (code // n_views) % n_keys) * n_levels + top
        out = out + np.bincount(flat, minlength=out.size).reshape(out.shape)
    return out if by_level else out[..., 0]


def _lattice_quantiles(filters, keys, values, qs) -> list[np.ndarray]:
    """Per view and key, quantiles of `values` as pandas' groupby computes them (linear
    interpolation; the median the mean of the two middle values), NaN where there are none.
    The values' distribution is counted per cell of the finest split and spread over the
    views: the number of distinct values (a few dozen pain scores) bounds the work."""
    sizes = [n for _, n in filters]
    value_code, distinct = pd.factorize(np.asarray(values, dtype="float64"), sort=True)
    fine_shape = tuple(n + 2 for n in sizes)
    key_shape = tuple(n for _, n in keys)
    n_values = len(distinct)
    shape = (*fine_shape, *key_shape, n_values)
    code, count = _tally(
        np.ravel_multi_index([*(c for c, _ in (*filters, *keys)), value_code], shape)
    )
    parts = np.unravel_index(code, shape)
    rows, views = _spread(parts[: len(sizes)], sizes)
    out_shape = (*(n + 1 for n in sizes), *key_shape)
    cell_of = np.ravel_multi_index([*views, *(p[rows] for p in parts[len(sizes) : -1])], out_shape)
    code, count = _tally(cell_of * n_values + parts[-1][rows], count[rows])
    cell, value = code // n_values, np.asarray(distinct, dtype="float64")[code % n_values]
    starts = np.flatnonzero(_run_starts(cell))
    n = np.add.reduceat(count, starts) if len(starts) else np.zeros(0, dtype="int64")
    cum = np.cumsum(count)
    before = cum[starts] - count[starts] if len(starts) else cum[:0]

    def at(i: np.ndarray) -> np.ndarray:  # each cell's i-th smallest value (from 0)
        return value[np.searchsorted(cum, before + i, side="right")]

    out = []
    for q in qs:
        if q == 0.5:
            even = (at(n // 2) + at(np.maximum(n // 2 - 1, 0))) / 2
            result = np.where(n % 2 == 1, at(n // 2), even)
        else:
            position = q * (n - 1).astype("float64")
            low = position.astype("int64")
            frac = position % 1
            below = at(low)
            above = at(np.minimum(low + 1, n - 1))
            result = np.where(frac == 0.0, below, below + (above - below) * frac)
        dense = np.full(int(np.prod(out_shape)), np.nan)
        dense[cell[starts]] = result
        out.append(dense.reshape(out_shape))
    return out


@dataclass(frozen=True)
class _Lattice:
    """The episodes of the whole clinic, placed in the lattice of views: per episode its slots
    along sex, age band and start year, its complaint group (0, 1, 2 in COMPLAINT_DURATIONS'
    order) and its patient (a number); and the labels of every view."""

    summary: pd.DataFrame
    slots: tuple[np.ndarray, np.ndarray, np.ndarray]
    sizes: tuple[int, int, int]
    group: np.ndarray
    patient: np.ndarray
    labels: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]

    @classmethod
    def of(cls, summary: pd.DataFrame, present: Sequence[str]) -> _Lattice:
        dims = ((ALL, *SEXES), (ALL, *PATIENT_AGE_BANDS), (ALL, *present))
        slots = tuple(
            _slots(summary[col], labels[1:]) for col, labels in zip(VIEW_DIMS, dims, strict=True)
        )
        return cls(
            summary=summary,
            slots=slots,
            sizes=tuple(len(labels) - 1 for labels in dims),
            group=_slots(summary["complaint_duration"], COMPLAINT_DURATIONS) - 1,
            patient=summary["patient_key"].to_numpy(dtype="int64"),
            labels=dims,
        )

    def filters(self, episodes: np.ndarray | None = None) -> list[tuple[np.ndarray, int]]:
        """The (slots, size) of the view filters for the given episodes (default all)."""
        pick = slice(None) if episodes is None else episodes
        return [(s[pick], n) for s, n in zip(self.slots, self.sizes, strict=True)]

    def frame(self, keep: np.ndarray, columns: dict, labels: Sequence[tuple] = ()) -> pd.DataFrame:
        """The rows of the cells in `keep` (an array over views and further axes, in the order
        the rows are listed): `columns` are arrays of the same shape or functions of the cells'
        indices; `labels` (column, texts, axis) name an axis's positions; the view's filters
        come last, as columns sex, age_band and period."""
        index = np.nonzero(keep)
        out = {}
        for name, values in columns.items():
            out[name] = values(index) if callable(values) else np.asarray(values)[index]
        for name, texts, axis in labels:
            out[name] = _text(texts, index[axis])
        for axis, (name, texts) in enumerate(zip(VIEW_DIMS, self.labels, strict=True)):
            out[name] = _text(texts, index[axis])
        return pd.DataFrame(out)

    def views_with(self, group: bool = False) -> np.ndarray:
        """Whether each view holds any episode (per complaint group as a last axis)."""
        keys = [(self.group, len(COMPLAINT_DURATIONS))] if group else []
        return _lattice_sum(self.filters(), keys) > 0


def _text(texts: Sequence[str], codes: np.ndarray) -> pd.Series:
    return pd.Series(np.asarray(list(texts), dtype=object)[codes], dtype="str")


def _counts(values: np.ndarray, as_float: bool) -> np.ndarray:
    """Whole-number counts, as floats when some curve of the table was continued (its filled
    rows are floats, as the per-view tables' concatenation made them)."""
    return values.astype("float64") if as_float else values.astype("int64")


def _pain_lattice(lat: _Lattice, ep: pd.DataFrame) -> pd.DataFrame:
    """`outcomes.pain_by_session` by complaint duration for every view holding episodes, each
    group listed at every session 1..MAX_SESSION (none seen: counts 0, values NA)."""
    rows = ep["session"].to_numpy() <= MAX_SESSION
    episode = ep["episode_key"].to_numpy()[rows]
    session = ep["session"].to_numpy()[rows] - 1
    keys = [(lat.group[episode], len(COMPLAINT_DURATIONS)), (session, MAX_SESSION)]
    filters = lat.filters(episode)
    n_episodes = _lattice_sum(filters, keys)
    n_patients = _lattice_patients(filters, keys, episode, lat.patient)
    pain = ep["pain_nrs"].to_numpy(dtype="float64")[rows]
    median, q1, q3 = _lattice_quantiles(
        filters, keys, pain, (0.5, *(pct / 100 for pct in PAIN_BAND_PCT))
    )
    keep = np.broadcast_to(lat.views_with(group=True)[..., None], n_episodes.shape)
    # A view's own table lists sessions up to its last one; later sessions were filled in.
    seen = n_episodes.sum(axis=-2) > 0
    last = MAX_SESSION - np.argmax(seen[..., ::-1], axis=-1)
    filled = bool((lat.views_with() & (last < MAX_SESSION)).any())
    return lat.frame(
        keep,
        {
            "group_by": lambda index: _text(["complaint_duration"], 0 * index[0]),
            "group": lambda index: _text(COMPLAINT_DURATIONS, index[3]),
            "session": lambda index: index[4] + 1,
            "n_patients": _counts(n_patients, filled),
            "n_episodes": _counts(n_episodes, filled),
            "pain_median": median,
            "pain_q1": q1,
            "pain_q3": q3,
        },
    )


@dataclass(frozen=True)
class _Curves:
    """Kaplan-Meier time to response per view, complaint group and session 1..MAX_SESSION
    (arrays over views, group, session), as `outcomes._km_table` computes each curve."""

    at_risk: np.ndarray
    patients_at_risk: np.ndarray
    events: np.ndarray
    censored: np.ndarray
    cum_response: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    se: np.ndarray

    @property
    def real(self) -> np.ndarray:
        """The sessions each curve reaches (up to its last time, at most MAX_SESSION)."""
        return self.at_risk > 0

    @property
    def exists(self) -> np.ndarray:
        return self.at_risk[..., 0] > 0


def _km_lattice(lat: _Lattice) -> _Curves:
    """The Kaplan-Meier curves of every view and complaint group, from counts of responses and
    censored episodes per session; the survival function and Greenwood's standard error as
    statsmodels' `SurvfuncRight` computes them (log terms summed session by session, so the
    same numbers), the interval by `outcomes._loglog_interval`."""
    from scipy.stats import norm

    summary = lat.summary
    eligible = ~summary["is_baseline_zero"].to_numpy(dtype=bool)
    first = summary["first_response_session"].astype("Float64").to_numpy("float64", na_value=np.nan)
    event = ~np.isnan(first)
    time = np.where(event, first, summary["last_session"].to_numpy("float64")).astype("int64")
    episodes = np.flatnonzero(eligible)
    filters = lat.filters(episodes)
    group = (lat.group[episodes], len(COMPLAINT_DURATIONS))
    slot = (np.minimum(time[episodes], MAX_SESSION + 1) - 1, MAX_SESSION + 1)  # last: later
    counts = {
        flag: _lattice_sum(filters, [group, slot], weights=mask.astype("float64")).astype("int64")
        for flag, mask in (("events", event[episodes]), ("censored", ~event[episodes]))
    }
    ended = counts["events"] + counts["censored"]
    at_risk = np.cumsum(ended[..., ::-1], axis=-1)[..., ::-1][..., :MAX_SESSION]
    level = np.minimum(time[episodes], MAX_SESSION)
    patients = _lattice_patients(filters, [group], episodes, lat.patient, level, MAX_SESSION + 1)
    patients_at_risk = np.cumsum(patients[..., ::-1], axis=-1)[..., ::-1][..., 1:]
    d = counts["events"][..., :MAX_SESSION].astype("float64")
    n = at_risk
    with np.errstate(divide="ignore", invalid="ignore"):
        step = np.where(d > 0, 1 - d / n.astype(np.float64), 1.0)
        clipped = step < 1e-16
        surv = np.exp(np.cumsum(np.log(np.where(clipped, 1e-16, step)), axis=-1))
        surv[clipped] = 0
        denom = np.clip(n * (n - d), 1e-12, np.inf)
        term = np.where(d > 0, d / denom.astype(np.float64), 0.0)
        term[(d > 0) & (n == d)] = np.nan
        se = np.sqrt(np.cumsum(term, axis=-1))
        defined = np.isfinite(se) | (surv != 0)
        se = np.where(defined, se * surv, np.nan)
    s_low, s_high = outcomes._loglog_interval(surv, se, float(norm.ppf(0.5 + CONFIDENCE / 2)))
    real = n > 0
    return _Curves(
        at_risk=at_risk,
        patients_at_risk=patients_at_risk,
        events=counts["events"][..., :MAX_SESSION],
        censored=counts["censored"][..., :MAX_SESSION],
        cum_response=np.where(real, 1 - surv, np.nan),
        ci_low=np.where(real, 1 - s_high, np.nan),
        ci_high=np.where(real, 1 - s_low, np.nan),
        se=np.where(real, se, np.nan),
    )


def _km_table(lat: _Lattice, km: _Curves) -> pd.DataFrame:
    """Every curve at every session 1..MAX_SESSION (beyond its last: counts 0, values NA)."""
    keep = np.broadcast_to(km.exists[..., None], km.at_risk.shape)
    filled = bool((keep & ~km.real).any())
    return lat.frame(
        keep,
        {
            "group_by": lambda index: _text(["complaint_duration"], 0 * index[0]),
            "group": lambda index: _text(COMPLAINT_DURATIONS, index[3]),
            "outcome": lambda index: _text(["response"], 0 * index[0]),
            "session": lambda index: index[4] + 1,
            "n_at_risk": _counts(km.at_risk, filled),
            "n_patients_at_risk": _counts(km.patients_at_risk, filled),
            "n_events": _counts(km.events, filled),
            "n_censored": _counts(km.censored, filled),
            "cum_response": km.cum_response,
            "ci_low": km.ci_low,
            "ci_high": km.ci_high,
            "greenwood_se": km.se,
        },
    )


def _first_session(mask: np.ndarray) -> np.ndarray:
    """The first session (1..) where `mask` holds along the last axis, 0 where it never does."""
    return np.where(mask.any(axis=-1), np.argmax(mask, axis=-1) + 1, 0)


def _medians_table(lat: _Lattice, km: _Curves) -> pd.DataFrame:
    """`outcomes.median_sessions_to_response` of every curve."""
    half = 0.5 - outcomes._EPS
    real = km.real
    median = _first_session(real & (km.cum_response >= half))
    low = _first_session(real & (np.nan_to_num(km.ci_high, nan=-1.0) >= half))
    high = _first_session(real & (np.nan_to_num(km.ci_low, nan=-1.0) >= half))

    out = lat.frame(
        km.exists,
        {
            "group_by": lambda index: _text(["complaint_duration"], 0 * index[0]),
            "group": lambda index: _text(COMPLAINT_DURATIONS, index[3]),
            "outcome": lambda index: _text(["response"], 0 * index[0]),
            "n_patients": km.patients_at_risk[..., 0],
            "n_episodes": km.at_risk[..., 0],
            "last_session": real.sum(axis=-1),
            "median_sessions": median,
            "ci_low": low,
            "ci_high": high,
            "is_median_reached": median > 0,
        },
    )
    for col in ("median_sessions", "ci_low", "ci_high"):
        out[col] = out[col].astype("Int64").where(out[col] > 0)
    return out.astype({c: "int64" for c in ("n_patients", "n_episodes", "last_session")})


def _claims_table(lat: _Lattice, km: _Curves, end: pd.Timestamp | None) -> pd.DataFrame:
    """`outcomes._response_rows` of every view holding episodes: per complaint duration and
    report session, the share responded counted three ways (`outcomes.RESPONSE_METHODS`)."""
    summary = lat.summary
    sessions = np.asarray(outcomes.REPORT_SESSIONS)
    eligible = np.flatnonzero(~summary["is_baseline_zero"].to_numpy(dtype=bool))
    first = summary["first_response_session"].astype("Float64").to_numpy("float64", na_value=np.inf)
    last = summary["last_session"].to_numpy(dtype="float64")
    ongoing = outcomes.possibly_ongoing(summary, end).to_numpy(dtype=bool)
    n_groups = len(COMPLAINT_DURATIONS)
    # One row per eligible episode and report session.
    episode = np.repeat(eligible, len(sessions))
    at = np.tile(np.arange(len(sessions)), len(eligible))
    hit = first[episode] <= sessions[at]
    reached = last[episode] >= sessions[at]
    open_ = ongoing[episode] & ~hit & ~reached
    filters, keys = lat.filters(episode), [(lat.group[episode], n_groups), (at, len(sessions))]

    def count(mask: np.ndarray) -> np.ndarray:
        return _lattice_sum(filters, keys, mask.astype("float64")).astype("int64")

    everyone = _lattice_patients(
        lat.filters(eligible), [(lat.group[eligible], n_groups)], eligible, lat.patient
    )
    started = {
        "n_patients": np.repeat(everyone[..., None], len(sessions), axis=-1),
        "n_episodes": count(np.ones(len(episode), dtype=bool)),
        "n_responders": count(hit),
        "n_counted": count(~open_),
        "n_stopped_before": count(~hit & ~reached & ~open_),
        "n_ongoing": count(open_),
    }
    r = np.flatnonzero(reached)
    complete = {
        "n_patients": _lattice_patients(
            [(f[r], n) for f, n in filters], [(k[r], n) for k, n in keys], episode[r], lat.patient
        ),
        "n_episodes": count(reached),
        "n_responders": count(hit & reached),
        "n_counted": count(reached),
    }
    # Kaplan-Meier: the curve at the session; past its end only when it reached 1.
    index = sessions - 1
    last_real = np.maximum(km.real.sum(axis=-1), 1) - 1
    end_value = {
        col: np.take_along_axis(getattr(km, col), last_real[..., None], axis=-1)
        for col in ("cum_response", "ci_low", "ci_high")
    }
    real = km.real[..., index]
    to_one = ~real & km.exists[..., None] & (end_value["cum_response"] >= 1 - outcomes._EPS)
    meier = {
        "n_patients": np.where(real, km.patients_at_risk[..., index], 0),
        "n_episodes": np.where(real, km.at_risk[..., index], 0),
        "n_responders": np.cumsum(km.events, axis=-1)[..., index],
    }
    for col, ours in (("estimate", "cum_response"), ("ci_low", "ci_low"), ("ci_high", "ci_high")):
        values = getattr(km, ours)[..., index]
        meier[col] = np.where(real, values, np.where(to_one, end_value[ours], np.nan))
    for method in (started, complete):
        k, n = method["n_responders"].astype("float64"), method["n_counted"].astype("float64")
        method["ci_low"], method["ci_high"] = (
            v.reshape(n.shape) for v in outcomes.wilson_interval(k.ravel(), n.ravel())
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            method["estimate"] = np.where(n > 0, k / np.where(n > 0, n, 1), np.nan)

    def stack(col: str, fill=np.nan) -> np.ndarray:
        parts = [
            m.get(col, np.full(meier["n_responders"].shape, fill))
            for m in (started, complete, meier)
        ]
        return np.stack(parts, axis=-1)

    claims = {(g, s): claim for g, s, claim in outcomes.CLAIMS}
    wording = np.array(
        [[claims.get((g, int(s)), "") for s in sessions] for g in COMPLAINT_DURATIONS], dtype=object
    )
    keep = np.broadcast_to(lat.views_with()[..., None, None, None], stack("n_episodes").shape)
    out = lat.frame(
        keep,
        {
            "claim": lambda index: pd.Series(wording[index[3], index[4]], dtype="str"),
            "is_claim": lambda index: wording[index[3], index[4]] != "",
            "complaint_duration": lambda index: _text(COMPLAINT_DURATIONS, index[3]),
            "session": lambda index: sessions[index[4]],
            "outcome": lambda index: _text(["response"], 0 * index[0]),
            "method": lambda index: _text(outcomes.RESPONSE_METHODS, index[5]),
            "n_patients": stack("n_patients").astype("int64"),
            "n_episodes": stack("n_episodes").astype("int64"),
            "n_responders": stack("n_responders").astype("int64"),
            "estimate": stack("estimate"),
            "ci_low": stack("ci_low"),
            "ci_high": stack("ci_high"),
            "n_stopped_before": stack("n_stopped_before", -1),
            "n_ongoing": stack("n_ongoing", -1),
        },
    )
    for col in ("n_stopped_before", "n_ongoing"):
        out[col] = out[col].astype("int64").astype("Int64").where(out["method"] == "all_started")
    return out


def _selection_table(lat: _Lattice) -> pd.DataFrame:
    """Patients and episodes of every view and complaint group ("all" included)."""
    filters = [*lat.filters(), (lat.group + 1, len(COMPLAINT_DURATIONS))]
    n_episodes = _lattice_sum(filters)
    n_patients = _lattice_patients(filters, [], np.arange(len(lat.patient)), lat.patient)
    groups = (ALL, *COMPLAINT_DURATIONS)
    columns = {
        "group": lambda index: _text(groups, index[3]),
        "n_patients": n_patients.astype("int64"),
        "n_episodes": n_episodes.astype("int64"),
    }
    out = lat.frame(np.ones(n_episodes.shape, dtype=bool), columns)
    return out[[*VIEW_DIMS, *columns]]


def _bucket_counts(
    lat: _Lattice,
    episodes: np.ndarray,
    buckets: tuple[str, ...],
    freq: str,
    extra: dict[str, np.ndarray],
):
    """`outcomes._bucket_counts` of every view: per complaint group and month or quarter of
    the first visit (both with "all"), patients, episodes and the sums of `extra` flags; only
    the buckets of a view's start year are listed."""
    months = lat.summary["first_visit"].to_numpy()[episodes].astype("datetime64[M]")
    ordinal = months.astype("int64") // (1 if freq == "M" else 3)  # pandas' period ordinals
    start = pd.Period(buckets[0], freq=freq).ordinal if buckets else 0
    filters = [
        *lat.filters(episodes),
        (lat.group[episodes] + 1, len(COMPLAINT_DURATIONS)),
        (ordinal - start + 1, len(buckets)),
    ]
    counts = {
        "n_patients": _lattice_patients(filters, [], episodes, lat.patient),
        "n_episodes": _lattice_sum(filters),
        **{
            name: _lattice_sum(filters, weights=flag.astype("float64"))
            for name, flag in extra.items()
        },
    }
    counts = {name: values.astype("int64") for name, values in counts.items()}
    years = np.array([ALL, *(b[:4] for b in buckets)], dtype=object)
    period = np.asarray(lat.labels[2], dtype=object)
    in_year = (
        (period[:, None] == ALL) | (years[None, :] == ALL) | (period[:, None] == years[None, :])
    )
    keep = np.broadcast_to(in_year[None, None, :, None, :], counts["n_episodes"].shape)
    labels = (ALL, *buckets)
    return keep, counts, labels


def _intake_table(lat: _Lattice, axis: TimeAxis) -> pd.DataFrame:
    """`outcomes._intake_rows` of every view (buckets of the view's start year)."""
    freq = "M" if axis.resolution == "month" else "Q"
    keep, counts, labels = _bucket_counts(lat, np.arange(len(lat.summary)), axis.buckets, freq, {})
    starts = pd.Series([pd.NaT] + [pd.Period(b, freq=freq).start_time for b in axis.buckets])
    out = lat.frame(
        keep,
        {
            "group": lambda index: _text((ALL, *COMPLAINT_DURATIONS), index[3]),
            "bucket": lambda index: _text(labels, index[4]),
            "start": lambda index: starts.iloc[index[4]].reset_index(drop=True),
            **counts,
        },
    )
    return out


def _quarters_table(lat: _Lattice, axis: TimeAxis) -> pd.DataFrame:
    """`outcomes._quarter_rows` of every view: the ended episodes per start quarter."""
    summary = lat.summary
    ended = ~summary["is_baseline_zero"].to_numpy(dtype=bool) & ~outcomes.possibly_ongoing(
        summary, axis.end
    ).to_numpy(dtype=bool)
    episodes = np.flatnonzero(ended)
    responded = summary["first_response_session"].notna().to_numpy()[episodes]
    keep, counts, labels = _bucket_counts(
        lat, episodes, axis.quarters, "Q", {"n_responders": responded}
    )
    n = counts["n_episodes"].astype("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(n > 0, counts["n_responders"] / np.where(n > 0, n, 1), np.nan)
    return lat.frame(
        keep,
        {
            "group": lambda index: _text((ALL, *COMPLAINT_DURATIONS), index[3]),
            "quarter": lambda index: _text(labels, index[4]),
            **counts,
            "share": share,
        },
    )


def _course_table(lat: _Lattice, ep: pd.DataFrame, ratios: pd.DataFrame) -> pd.DataFrame:
    """`natural_course.observed_vs_expected` of every view holding episodes: per complaint
    group and week since the first visit, the observed mean pain beside the natural course.
    The residuals' standard deviation is pooled from each cell's mean and sum of squares
    (Chan et al.'s parallel formula), not summed up as squares."""
    weeks = list(natural_course.DEFAULT_WEEKS)
    rows, week = natural_course.first_in_week(
        ep["episode_key"].to_numpy(), ep["visit_date"].to_numpy(), weeks
    )
    episode = ep["episode_key"].to_numpy()[rows]
    zero = lat.summary["is_baseline_zero"].to_numpy(dtype=bool)[episode]
    week_at = np.searchsorted(np.sort(weeks), week)
    week_at = np.argsort(weeks)[week_at]  # position in `weeks`
    groups = lat.group[episode]
    filters = lat.filters(episode)
    keys = [(groups, len(COMPLAINT_DURATIONS)), (week_at, len(weeks))]
    n_zero = _lattice_sum(filters, keys, zero.astype("float64")).astype("int64")
    shown = np.flatnonzero(~zero)
    filters = [(f[shown], n) for f, n in filters]
    keys = [(k[shown], n) for k, n in keys]
    episode = episode[shown]
    pain = ep["pain_nrs"].to_numpy(dtype="float64")[rows][shown]
    baseline = ep["baseline_pain"].to_numpy(dtype="float64")[rows][shown]
    ratio_at = ratios.set_index(["cohort", "week"])["ratio"]
    ratio = np.array(
        [
            [ratio_at.get((natural_course.COHORT_OF[g], w), np.nan) for w in weeks]
            for g in COMPLAINT_DURATIONS
        ]
    )
    residual = pain - ratio[keys[0][0], keys[1][0]] * baseline
    n = _lattice_sum(filters, keys)
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = _lattice_sum(filters, keys, pain) / n
        base = _lattice_sum(filters, keys, baseline) / n
    columns = {
        "group": lambda index: _text(COMPLAINT_DURATIONS, index[3]),
        "week": lambda index: np.asarray(weeks, dtype="int64")[index[4]],
        "n_patients": _lattice_patients(filters, keys, episode, lat.patient).astype("int64"),
        "n_episodes": n.astype("int64"),
        "n_baseline_zero": n_zero,
        "observed_mean": np.where(n > 0, observed, np.nan),
        "baseline_mean": np.where(n > 0, base, np.nan),
        "residual_sd": _lattice_sd(filters, keys, residual),
    }
    keep = np.broadcast_to(lat.views_with(group=True)[..., None], n.shape)
    out = lat.frame(keep, columns)
    table = natural_course.with_expected(out, ratios)
    return pd.concat([table, out[list(VIEW_DIMS)]], axis=1)


def _lattice_sd(filters, keys, values: np.ndarray) -> np.ndarray:
    """Per view and key, the standard deviation (ddof 1) of `values`: each cell of the finest
    split's count, mean and sum of squared deviations, pooled over the cells of a view."""
    sizes = [n for _, n in filters]
    shape = (*(n + 2 for n in sizes), *(n for _, n in keys))
    flat = np.ravel_multi_index([c for c, _ in (*filters, *keys)], shape)
    n = np.bincount(flat, minlength=int(np.prod(shape)))
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.bincount(flat, values, minlength=n.size) / n
    squares = np.bincount(flat, (values - mean[flat]) ** 2, minlength=n.size)
    cells = np.flatnonzero(n)
    parts = np.unravel_index(cells, shape)
    rows, views = _spread(parts[: len(sizes)], sizes)
    out_shape = (*(k + 1 for k in sizes), *(k for _, k in keys))
    view = np.ravel_multi_index([*views, *(p[rows] for p in parts[len(sizes) :])], out_shape)
    size = int(np.prod(out_shape))
    total = np.bincount(view, n[cells][rows], minlength=size)
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled_mean = np.bincount(view, (n * mean)[cells][rows], minlength=size) / total
        between = n[cells][rows] * (mean[cells][rows] - pooled_mean[view]) ** 2
        squares = np.bincount(view, squares[cells][rows] + between, minlength=size)
        sd = np.sqrt(squares / (total - 1))
    return np.where(total >= 2, sd, np.nan).reshape(out_shape)


def outcome_lattice(
    visits: pd.DataFrame, threshold: int | None = None
) -> tuple[dict[str, pd.DataFrame], tuple[str, ...], TimeAxis]:
    """The unsuppressed outcome tables of every view a link can ask for (patient rows never
    leave this function): one frame per table kind with the view's filters as columns, the
    views in the order of `view_keys`. Each table is computed for all views at once (see the
    lattice notes above); the rows and values are those of the per-view functions in
    `analysis.outcomes` and `analysis.natural_course` run on each view's episodes."""
    threshold = disclosure.min_cell_size() if threshold is None else threshold
    # Patients and episodes as numbers 0, 1, ... (episodes in row order: the summary's rows).
    ep = outcomes.episode_codes(visits, _USED)
    known = ep["complaint_duration"].isin(_durations(ALL))
    if not known.all():  # (no copy of every column when every episode has a duration)
        ep = ep[known].reset_index(drop=True)
        ep = ep.assign(
            patient_key=pd.factorize(ep["patient_key"])[0],
            episode_key=pd.factorize(ep["episode_key"])[0],
        )
    present = periods(ep)
    summary = outcomes.episode_summary(ep)
    axis = time_axis(ep, threshold, summary)
    lat = _Lattice.of(summary, present)
    km = _km_lattice(lat)
    ratios = natural_course.expected_ratios(data.load("outcome_benchmarks"))
    tables = {
        "pain": _pain_lattice(lat, ep),
        "km": _km_table(lat, km),
        "claims": _claims_table(lat, km, axis.end),
        "medians": _medians_table(lat, km),
        "selection": _selection_table(lat),
        "intake": _intake_table(lat, axis),
        "quarters": _quarters_table(lat, axis),
        "course": _course_table(lat, ep, ratios),
    }
    return tables, tuple(present), axis
