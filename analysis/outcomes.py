"""Treatment outcomes of a clinic's own patients: episodes, response, time to response.

Pure functions over the visit table the clinic store returns (one row per visit, `patient_key`
instead of the clinic's own patient number): DataFrame in, DataFrame out. They answer one
question honestly: do the clinic's records bear out "with acute back pain many patients have
significant relief after about 5 treatments; with chronic back pain most improve after about 10"?

Definitions (DESIGN.md section 4; cite them wherever a figure is shown):

- Episode: the visits of one patient under one `episode_id`. Visits without an `episode_id` are
  split by the gap rule: a gap of more than `gap_days` (90) days between two visits starts a new
  episode. An `episode_id` is never split by a gap; the clinic's own grouping wins.
- Session: 1, 2, ... in date order within the episode. The export's `session_number` is used
  when it is "consistent" for the whole episode: present on every visit, starting at 1 on the
  first visit and rising strictly in date order (gaps such as 1, 2, 4 are kept: the clinic says
  the fourth treatment was the fourth). Otherwise the numbers are derived from the date order
  and `session_rule` says "derived". A pain score at session s is the one recorded at the s-th
  visit; if the clinic scores pain before treating, it reflects s - 1 treatments.
- Baseline: the pain score of the episode's first visit.
- Change: `change_points` = baseline - pain (positive = better), `change_pct` = change_points /
  baseline x 100, both rounded to 1e-9 so that 10 -> 7 is exactly 30%, not 29.999999999999996.
- Response: pain down by at least 30% AND at least 2 points on 0-10 from baseline (IMMPACT,
  Dworkin et al. 2008: >= 30% is moderately important; Ostelo et al. 2008: 30% or 2 points is the
  minimal important change for pain in back pain; Farrar et al. 2001). Substantial: at least 50%
  (IMMPACT), and, like every response, at least 2 points, so a substantial response is always a
  response (this matters only for baselines below 4: 2 -> 1 is 50% but one point).
- An episode responds at the first session that meets the criterion; the response need not last.
  `episode_summary` also says whether the last visit still met it.
- Baseline 0: such an episode cannot improve. It is kept (its visits count in the pain
  trajectories), flagged `is_baseline_zero`, its response columns are empty (NA), and it is left
  out of every response denominator; the share tables count it in `n_baseline_zero`.
- Groups: `complaint_duration`, `sex`, `region` and the age band come from the episode's first
  visit (where the first visit leaves one empty, the first visit of the episode that has it);
  missing values become "unknown", a group of its own, so groups always add up to the total.
  Age bands are "<40", "40-59" and "60+": three wide bands, because a clinic's groups must keep
  at least 10 patients each to be shown to viewers. `period` is the calendar year of the
  episode's first visit.
- Kaplan-Meier: time to first response in sessions. An episode that ends (or has not yet ended)
  without a response is censored at its last session, not dropped: that is what makes "after
  about 5 treatments" testable when patients who feel better, or who do not, stop coming.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa

from analysis.facts import Quantity
from analysis.vocabulary import (
    ALL,
    CLAIM_SESSIONS,
    COMPLAINT_DURATIONS,
    CONFIDENCE,
    CONTROL_LEVELS_PCT,
    EPISODE_GAP_DAYS,
    PAIN_BAND_PCT,
    PAIN_SCALE,
    PATIENT_AGE_BANDS,
    RESPONSE_PCT,
    RESPONSE_POINTS,
    SEXES,
    SUBSTANTIAL_PCT,
)

GAP_DAYS = EPISODE_GAP_DAYS
UNKNOWN = "unknown"

GROUPINGS: tuple[str, ...] = (
    "all",
    "complaint_duration",
    "sex",
    "age_band",
    "region",
    "period",
)
# Display order of each grouping's values ("period" is sorted by year).
GROUP_ORDER: dict[str, tuple[str, ...]] = {
    "all": (ALL,),
    "complaint_duration": (*COMPLAINT_DURATIONS, UNKNOWN),
    "sex": (*SEXES, UNKNOWN),
    "age_band": (*PATIENT_AGE_BANDS, UNKNOWN),
    "region": ("low_back", "neck", "upper_back", UNKNOWN),
}
OUTCOMES = ("response", "substantial")

# The website claim, as the clinic's owner wants to test it: complaint duration, session.
CLAIM_WORDING = {
    "acute": "acute back pain: many patients have significant relief after about {n} treatments",
    "chronic": "chronic back pain: most patients improve after about {n} treatments",
}
CLAIMS: tuple[tuple[str, int, str], ...] = tuple(
    (group, session, CLAIM_WORDING[group].format(n=session))
    for group, session in CLAIM_SESSIONS.items()
)

_REQUIRED = ("patient_key", "visit_date", "pain_nrs", "complaint_duration")
_OPTIONAL = ("episode_id", "session_number", "sex", "age", "region")
_ROUND = 9
_EPS = 1e-12


class OutcomeDataError(ValueError):
    """The visit table cannot be analysed as it is (missing column, impossible value)."""


# --------------------------------------------------------------------------- episodes


def _check_visits(visits: pd.DataFrame) -> None:
    if "patient_key" not in visits.columns and "patient_id" in visits.columns:
        raise OutcomeDataError(
            "the visit table has patient_id but no patient_key: analyse the table the clinic "
            "store returns (patient numbers replaced by keyed hashes), not the raw export"
        )
    missing = [c for c in _REQUIRED if c not in visits.columns]
    if missing:
        raise OutcomeDataError(f"the visit table lacks required column(s) {missing}")
    for col in ("patient_key", "visit_date", "pain_nrs"):
        empty = _missing(visits[col])
        if empty:
            raise OutcomeDataError(f"{empty} visit(s) have no {col}; every visit needs one")
    pain = pd.to_numeric(visits["pain_nrs"])
    low, high = PAIN_SCALE
    if not len(pain) or (pain.min() >= low and pain.max() <= high):
        return
    bad = visits.loc[(pain < low) | (pain > high), "pain_nrs"]
    if len(bad):
        raise OutcomeDataError(
            f"pain_nrs must be on the {low}-{high} scale; {len(bad)} visit(s) are outside it "
            f"(first: {bad.iloc[0]!r})"
        )


def _missing(column: pd.Series) -> int:
    """How many values of a column are missing (for text held in Arrow, as Arrow counted)."""
    if _is_arrow_text(column):
        return pa.array(column.array).null_count
    return int(column.isna().sum())


# The upper bounds (exclusive) of PATIENT_AGE_BANDS: <40, 40-59, 60+.
_AGE_BAND_LIMITS = (40, 60)


def _age_band(age: pd.Series) -> pd.Series:
    """A band of PATIENT_AGE_BANDS ('<40', '40-59', '60+') or 'unknown' for a (nullable) age in
    years."""
    years = pd.to_numeric(age).astype("float64")
    young, middle = _AGE_BAND_LIMITS
    conditions = [years < young, years < middle, years >= middle]
    band = np.select(conditions, list(PATIENT_AGE_BANDS), default=UNKNOWN)
    return pd.Series(band, index=age.index, dtype="str")


def _text(labels: Sequence[str] | pd.Series, codes: np.ndarray, categorical: bool) -> pd.Series:
    """labels[code] per row (code -1: missing) as a "str" column built in Arrow (a few labels
    spread over a million rows cost no Python string objects), or as a Categorical of the same
    values (no text per row at all)."""
    if categorical:
        categories = pd.Index(labels, dtype="str")
        return pd.Series(pd.Categorical.from_codes(codes, categories=categories))
    dictionary = pa.array(labels, type=pa.large_string())
    indices = pa.array(codes, type=pa.int64(), mask=codes < 0)
    return pd.Series(dictionary.take(indices), dtype="str")


def _segment_first(present: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Per segment (rows starts[i] .. starts[i+1]-1), the first row where `present` holds, or -1
    when none does; what groupby's NA-skipping "first" picks, on contiguous groups."""
    n = len(present)
    if not len(starts):
        return np.empty(0, dtype="int64")
    candidate = np.where(present, np.arange(n), n)
    first = np.minimum.reduceat(candidate, starts)
    return np.where(first < n, first, -1)


def _first_present(column: pd.Series, starts: np.ndarray) -> pd.Series:
    """Per episode (contiguous rows from `starts`), its first non-missing value, else missing."""
    if not _missing(column):  # (then each episode's first row)
        return _take(column, starts)
    first = _segment_first(column.notna().to_numpy(), starts)
    values = _take(column, np.maximum(first, 0))
    return values.where(pd.Series(first >= 0)) if len(values) else values


def _take(column: pd.Series, rows: np.ndarray) -> pd.Series:
    """column.take(rows) with a new index 0, 1, ...; text held in Arrow is gathered chunk by
    chunk (Arrow's own take of a chunked column first copies every chunk into one)."""
    if not _is_arrow_text(column) or not len(rows) or np.any(rows[1:] < rows[:-1]):
        return column.take(rows).reset_index(drop=True)
    taken = _chunk_take(pa.array(column.array), rows)
    array = column.dtype.construct_array_type()._from_sequence(taken, dtype=column.dtype)
    return pd.Series(array, name=column.name)


def _chunk_take(text, rows: np.ndarray):
    """The values at ascending `rows` of an Arrow array or chunked array, taken chunk by
    chunk, as a chunked array."""
    import pyarrow.compute as pc

    chunks = getattr(text, "chunks", [text])
    bounds = np.cumsum([0, *(len(chunk) for chunk in chunks)])
    cut = np.searchsorted(rows, bounds)
    parts = [
        pc.take(chunk, rows[cut[i] : cut[i + 1]] - bounds[i]) for i, chunk in enumerate(chunks)
    ]
    return pa.chunked_array(parts, type=text.type)


def _first_label(column: pd.Series, starts: np.ndarray, segment: np.ndarray, categorical: bool):
    """Per row, the episode's first non-missing value as text ("unknown" when it has none)."""
    first = _first_present(column, starts)
    return _spread(first.astype("str").where(first.notna(), UNKNOWN), segment, categorical)


def _spread(values: pd.Series, segment: np.ndarray, categorical: bool) -> pd.Series:
    """An episode-level text column spread over the episode's rows."""
    codes, uniques = pd.factorize(values)
    if categorical:  # the Categorical's own code type: a byte per row, not eight
        codes = codes.astype("int8" if len(uniques) < 128 else "int32")
    return _text(list(uniques), codes[segment], categorical)


def _run_starts(keys: np.ndarray) -> np.ndarray:
    """Whether each element starts a new run of equal values (True for the first)."""
    new = np.ones(len(keys), dtype=bool)
    new[1:] = keys[1:] != keys[:-1]
    return new


def _within_run(new: np.ndarray) -> np.ndarray:
    """0, 1, 2, ... counting from each run start (`new` from `_run_starts`)."""
    position = np.arange(len(new))
    return position - np.maximum.accumulate(np.where(new, position, 0))


def _is_arrow_text(values: pd.Series) -> bool:
    return isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow"


def _text_runs(values: pd.Series, breaks: np.ndarray | None = None):
    """Where each run of equal neighbours of an Arrow-held text column (no missing values)
    starts (and also where `breaks` holds), and the runs' values as an Arrow array: compared
    and gathered chunk by chunk, never copied whole."""
    import pyarrow.compute as pc

    text = pa.array(values.array)
    n = len(text)
    new = np.ones(n, dtype=bool)
    new[1:] = pc.not_equal(text.slice(1), text.slice(0, n - 1)).to_numpy(zero_copy_only=False)
    if breaks is not None:
        new |= breaks
    starts = np.flatnonzero(new)
    return starts, _chunk_take(text, starts)


def _rising(runs) -> np.ndarray:
    """Whether each value of an Arrow text array is below the next (text order)."""
    import pyarrow.compute as pc

    n = len(runs)
    return pc.less(runs.slice(0, n - 1), runs.slice(1)).to_numpy(zero_copy_only=False)


def _factorize_sorted(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """`pd.factorize(values, sort=True)` for values without missing ones, hashing one value
    per run of equal neighbours instead of every row, and none when the runs are already in
    order: the store's visits come sorted by patient, so a million rows are some hundred
    thousand runs (any order gives the same codes; only the work differs)."""
    n = len(values)
    if n < 2 or values.isna().any():
        return pd.factorize(values, sort=True)
    if _is_arrow_text(values):
        starts, runs = _text_runs(values)
        if _rising(runs).all():  # each run a new, larger value
            array = values.dtype.construct_array_type()._from_sequence(runs, dtype=values.dtype)
            return np.repeat(np.arange(len(starts)), np.diff(np.append(starts, n))), pd.Index(array)
    else:
        plain = values.to_numpy()
        starts = np.flatnonzero(_run_starts(plain))
    codes, uniques = pd.factorize(values.take(starts), sort=True)
    return np.repeat(codes, np.diff(np.append(starts, n))), uniques


def _is_sorted(patient: np.ndarray, days: np.ndarray) -> bool:
    """Whether the rows are sorted by patient and then strictly by date (as the store returns
    them), so that sorting by patient, date, session number and row would not move any."""
    same = patient[1:] == patient[:-1]
    return bool(np.all((patient[1:] >= patient[:-1]) & (~same | (days[1:] > days[:-1]))))


def _label_ranks(df: pd.DataFrame, order: np.ndarray, patient: np.ndarray, gap_days: int):
    """Per visit, an integer that orders its episode label ('gap:<n>' or 'id:<episode_id>')
    within the patient as the label text sorts, and the rank where 'id:' labels begin.

    Visits without an `episode_id` are split where the gap to the patient's previous such visit
    is more than `gap_days` days; `order` sorts the visits by patient and date."""
    n = len(df)
    rank = np.zeros(n, dtype="int64")
    has_id = df["episode_id"].notna().to_numpy()
    no_id = order[~has_id[order]]
    first_id_rank = 0
    if len(no_id):
        dates = df["visit_date"].array
        days = dates.asi8[no_id]
        limit = pd.Timedelta(days=gap_days) // pd.Timedelta(1, unit=dates.unit)
        new_patient = _run_starts(patient[no_id])
        gap = np.zeros(len(no_id), dtype=bool)
        gap[1:] = (days[1:] - days[:-1]) > limit
        gap &= ~new_patient
        total = np.cumsum(gap)
        run = total - total[np.maximum.accumulate(np.where(new_patient, np.arange(len(gap)), 0))]
        # Labels sort as text: 'gap:10' before 'gap:2'.
        runs = int(run.max()) + 1
        as_text = np.empty(runs, dtype="int64")
        as_text[sorted(range(runs), key=str)] = np.arange(runs)
        rank[no_id] = as_text[run]
        first_id_rank = runs
    if has_id.any():
        ids = df["episode_id"] if has_id.all() else df.loc[has_id, "episode_id"]
        rank[has_id] = first_id_rank + _id_ranks(ids.astype("str"), patient[has_id])
    return rank, first_id_rank


def _id_ranks(ids: pd.Series, patient: np.ndarray) -> np.ndarray:
    """Per visit, a number that orders its episode_id within its patient as the text sorts
    (equal ids, equal numbers; the numbers of two patients are not compared). When each
    patient's visits come together and its ids follow each other in text order (as the store
    lists them), that is each id's place within the patient, found without sorting any text;
    otherwise the ids' place among all ids."""
    n = len(ids)
    together = n > 1 and bool(np.all(patient[1:] >= patient[:-1]))
    if together and _is_arrow_text(ids) and not ids.isna().any():
        starts, runs = _text_runs(ids, breaks=_run_starts(patient))
        same = patient[starts[1:]] == patient[starts[:-1]]
        if bool(np.all(_rising(runs)[same])):
            place = _within_run(_run_starts(patient[starts]))
            return np.repeat(place, np.diff(np.append(starts, n)))
    return _factorize_sorted(ids)[0]


def _unique_runs(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`np.unique(keys, return_index=True, return_inverse=True)`, sorting one key per run of
    equal neighbours instead of every element (a patient's visits of one episode follow each
    other)."""
    starts = np.flatnonzero(_run_starts(keys)) if len(keys) else np.zeros(0, dtype="int64")
    distinct, first_run, run_group = np.unique(keys[starts], return_index=True, return_inverse=True)
    lengths = np.diff(np.append(starts, len(keys)))
    return distinct, starts[first_run], np.repeat(run_group.reshape(-1), lengths)


class _Order(NamedTuple):
    """Where each visit goes and which episode it belongs to (see `_episode_order`)."""

    order: np.ndarray  # positions of the visits sorted by patient, episode, date, ...
    segment: np.ndarray  # per sorted visit: its episode's index (0, 1, ...; non-decreasing)
    patient: np.ndarray  # per sorted visit: its patient's code (patient keys in text order)
    patients: pd.Index  # the patient keys, in text order
    ep_patient: np.ndarray  # per episode: its patient's code
    ep_number: np.ndarray  # per episode: 1, 2, ... within the patient
    ep_has_id: np.ndarray  # per episode: whether an episode_id made it (else the gap rule)
    moved: bool  # whether any visit moved (`order` is not 0, 1, 2, ...)


def _episode_order(df: pd.DataFrame, gap_days: int) -> _Order:
    """The visits' order (by patient, episode, date, session_number, row) and their episodes,
    numbered per patient by their first visit, with integer keys throughout."""
    n = len(df)
    patient, patients = _factorize_sorted(df["patient_key"])
    days = df["visit_date"].array.asi8
    # The store's table is in order (each patient's visits in date order, one per day): then
    # no visit moves, and the rows are used as they are instead of gathered in order.
    in_order = _is_sorted(patient, days)
    if in_order:
        by_date = np.arange(n)
    else:
        sn = df["_sn"]
        sn_missing = sn.isna().to_numpy()
        sn_value = sn.to_numpy(dtype="float64", na_value=0.0)
        by_date = np.lexsort((np.arange(n), sn_value, sn_missing, days, patient))
    rank, first_id_rank = _label_ranks(df, by_date, patient, gap_days)
    if not in_order:
        patient, rank, days = patient[by_date], rank[by_date], days[by_date]
    group_key = patient.astype("int64") * (int(rank.max(initial=0)) + 1) + rank
    keys, first_row, group = _unique_runs(group_key)
    g_patient, g_rank, g_first_day = patient[first_row], rank[first_row], days[first_row]
    # Episodes by patient, first visit and label: usually already so (sorted by patient and
    # label, and a patient's later labels start later).
    same = g_patient[1:] == g_patient[:-1]
    if bool(np.all(~same | (g_first_day[1:] >= g_first_day[:-1]))):
        episode_order, row_episode = np.arange(len(keys)), group
    else:
        episode_order = np.lexsort((g_rank, g_first_day, g_patient))
        episode_index = np.empty(len(keys), dtype="int64")
        episode_index[episode_order] = np.arange(len(keys))
        row_episode = episode_index[group]
    ep_patient = g_patient[episode_order]
    ep_number = _within_run(_run_starts(ep_patient)) + 1
    ep_has_id = g_rank[episode_order] >= first_id_rank
    if bool(np.all(row_episode[1:] >= row_episode[:-1])):
        order, segment = by_date, row_episode
        moved = not in_order and not np.array_equal(order, np.arange(n))
    else:
        regroup = np.argsort(row_episode, kind="stable")
        order, segment, patient = by_date[regroup], row_episode[regroup], patient[regroup]
        moved = not np.array_equal(order, np.arange(n))
    return _Order(order, segment, patient, patients, ep_patient, ep_number, ep_has_id, moved)


def _sessions(
    session_number: pd.Series,
    starts: np.ndarray,
    segment: np.ndarray,
    categorical: bool,
    rule: bool = True,
) -> tuple[np.ndarray, pd.Series | None]:
    """Session numbers and the rule used per visit, the visits sorted by episode and date.

    The export's numbers are kept for an episode when present on every visit, 1 on the first
    and rising strictly; otherwise 1, 2, ... in date order ("derived")."""
    given = session_number.to_numpy(dtype="float64", na_value=np.nan)
    derived = np.arange(len(given))
    derived -= starts[segment]
    derived += 1
    # A row is fine when it has a number, 1 on an episode's first visit, else above the last.
    row_ok = np.zeros(len(given), dtype=bool)
    np.greater(given[1:], given[:-1], out=row_ok[1:])
    row_ok[starts] = given[starts] == 1
    row_ok &= ~np.isnan(given)
    consistent = np.zeros(len(starts), dtype=bool)
    if len(starts):
        consistent = np.logical_and.reduceat(row_ok, starts)
    use = consistent[segment]
    session = derived
    session[use] = np.round(given[use]).astype("int64")
    if not rule:
        return session, None
    return session, _text(["derived", "export"], use.astype("int64"), categorical)


def episodes(
    visits: pd.DataFrame, gap_days: int = GAP_DAYS, *, categorical: bool = False
) -> pd.DataFrame:
    """One row per visit with its episode, session, change from baseline and response.

    Columns, in order: patient_key, episode_key ("<patient_key>-<n>"), episode_number (1, 2, ...
    per patient in order of first visit), episode_rule ("episode_id" or "gap"), session,
    session_rule ("export" or "derived"), visit_date, pain_nrs, baseline_pain, change_points,
    change_pct, is_responder, is_substantial (nullable booleans, NA when the baseline is 0),
    is_baseline_zero, then the episode's groups complaint_duration, sex, age_band, region,
    period, then the remaining input columns (episode_id, session_number, age, odi, ...).
    Note that complaint_duration, sex and region are the episode's (from its first visit), not
    each visit's own. The rules are in the module docstring. Rows are sorted by patient,
    episode and session.

    With `categorical=True` the text columns made here (patient_key, episode_key, the rules and
    the groups) are pandas Categoricals holding the same values: far cheaper for a large clinic,
    and every table in this module comes out the same from them.
    """
    return _episodes(visits, gap_days, categorical=categorical)


# The columns `episodes` makes, in order (then the remaining input columns).
EPISODE_COLUMNS = (
    "patient_key", "episode_key", "episode_number", "episode_rule", "session", "session_rule",
    "visit_date", "pain_nrs", "baseline_pain", "change_points", "change_pct", "is_responder",
    "is_substantial", "is_baseline_zero", "complaint_duration", "sex", "age_band", "region",
    "period",
)  # fmt: skip
# The input columns the episodes are made from (`episode_codes` reads no other).
EPISODE_INPUTS = ("patient_key", "visit_date", "pain_nrs", "session_number", "episode_id",
                  "complaint_duration", "sex", "region", "age")  # fmt: skip


def episode_codes(
    visits: pd.DataFrame, columns: Sequence[str], gap_days: int = GAP_DAYS
) -> pd.DataFrame:
    """`episodes(visits, categorical=True)[columns]`, computing only those columns, with
    patient_key and episode_key as integer codes instead of text (0, 1, ... in row order, the
    order of the keys' first rows): what the outcome lattice of a large clinic needs, without
    making a million-row column it would drop or turn back into numbers."""
    return _episodes(visits, gap_days, categorical=True, columns=tuple(columns))


def _episodes(
    visits: pd.DataFrame,
    gap_days: int,
    *,
    categorical: bool,
    columns: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """`episodes`; with `columns`, only those (keys as codes, see `episode_codes`)."""
    _check_visits(visits)
    df = visits.copy(deep=False)  # copy-on-write: the columns set below never reach `visits`
    for col in _OPTIONAL:
        if col not in df.columns:
            df[col] = pd.NA
    dates = df["visit_date"].dtype
    if not (isinstance(dates, np.dtype) and dates.kind == "M"):  # (else the same values)
        df["visit_date"] = pd.to_datetime(df["visit_date"])
    df["pain_nrs"] = pd.to_numeric(df["pain_nrs"]).astype("float64")
    df["patient_key"] = df["patient_key"].astype("str")
    df["_sn"] = pd.to_numeric(df["session_number"])  # read as float64, missing as NaN
    codes = columns is not None
    wanted = set(EPISODE_COLUMNS if columns is None else columns)
    if codes:  # the other input columns would only be carried along
        df = df[[c for c in df.columns if c in wanted or c in EPISODE_INPUTS or c == "_sn"]]

    found = _episode_order(df, gap_days)
    segment = found.segment
    if found.moved:  # (the store's table is in order)
        df = df.take(found.order)
    df = df.reset_index(drop=True)
    if codes:
        df["patient_key"] = found.patient
    elif categorical:
        df["patient_key"] = _text(pd.Series(found.patients), found.patient, categorical)
    starts = np.flatnonzero(_run_starts(segment))
    if codes:
        df["episode_key"] = segment
    else:
        numbers = pd.Series(found.ep_number).astype("str")
        keys = pd.Series(found.patients.take(found.ep_patient)) + "-" + numbers
        df["episode_key"] = _text(keys, segment, categorical)
    if "episode_number" in wanted:
        df["episode_number"] = found.ep_number[segment]
    if "episode_rule" in wanted:
        has_id = found.ep_has_id[segment].astype("int64")
        df["episode_rule"] = _text(["gap", "episode_id"], has_id, categorical)
    if "session" in wanted or "session_rule" in wanted:
        rule = "session_rule" in wanted
        df["session"], session_rule = _sessions(df["_sn"], starts, segment, categorical, rule)
        if rule:
            df["session_rule"] = session_rule

    first_row = starts[segment]
    df["baseline_pain"] = df["pain_nrs"].to_numpy()[first_row]
    df["is_baseline_zero"] = (df["baseline_pain"] == 0).astype("bool")
    change = (df["baseline_pain"] - df["pain_nrs"]).round(_ROUND)
    base = df["baseline_pain"].where(~df["is_baseline_zero"])
    change_pct = (change / base * 100).round(_ROUND)
    df["change_points"], df["change_pct"] = change, change_pct
    responder = (change_pct >= RESPONSE_PCT) & (change >= RESPONSE_POINTS)
    substantial = responder & (change_pct >= SUBSTANTIAL_PCT)
    df["is_responder"] = responder.astype("boolean").mask(df["is_baseline_zero"])
    df["is_substantial"] = substantial.astype("boolean").mask(df["is_baseline_zero"])

    for col in ("complaint_duration", "sex", "region"):
        if col in wanted:
            df[col] = _first_label(df[col], starts, segment, categorical)
    if "age_band" in wanted:
        bands = _age_band(_first_present(df["age"], starts))
        df["age_band"] = _spread(bands, segment, categorical)
    if "period" in wanted:
        first_day = df["visit_date"].take(starts).reset_index(drop=True)
        df["period"] = _spread(first_day.dt.year.astype("str"), segment, categorical)

    if codes:
        out = df[list(columns)]
    else:
        rest = [c for c in visits.columns if c not in EPISODE_COLUMNS] + [
            c for c in _OPTIONAL if c not in visits.columns and c not in EPISODE_COLUMNS
        ]
        out = df[[*EPISODE_COLUMNS, *rest]]
    return out.astype({c: "int64" for c in ("episode_number", "session") if c in out.columns})


def episode_summary(ep: pd.DataFrame) -> pd.DataFrame:
    """One row per episode: its groups, length, baseline and when it first responded.

    Columns: episode_key, patient_key, complaint_duration, sex, age_band, region, period,
    first_visit, last_visit, n_visits, last_session, baseline_pain, last_pain, is_baseline_zero,
    first_response_session, first_substantial_session (Int64, NA when never reached or when the
    baseline is 0), is_responder_at_last_visit (whether the last visit still met the response
    criterion; NA when the baseline is 0).
    """
    groups = ["complaint_duration", "sex", "age_band", "region", "period"]
    codes, keys = pd.factorize(ep["episode_key"])  # order of first visit, as sort=False
    if (codes < 0).any():  # groupby leaves rows without an episode out
        ep, codes = ep[codes >= 0], codes[codes >= 0]
    g = ep.groupby(codes, sort=False)
    starts = _group_starts(codes)
    out = _first_per_group(ep[["patient_key", *groups]], codes, g)
    out.index = pd.Index(keys, name="episode_key")
    out["first_visit"] = _per_episode(ep["visit_date"], "min", g, starts)
    out["last_visit"] = _per_episode(ep["visit_date"], "max", g, starts)
    out["n_visits"] = g.size().to_numpy() if starts is None else np.diff(np.r_[starts, len(ep)])
    out["last_session"] = _per_episode(ep["session"], "max", g, starts)
    out["baseline_pain"] = _per_episode(ep["baseline_pain"], "first", g, starts)
    out["last_pain"] = _per_episode(ep["pain_nrs"], "last", g, starts)
    out["is_baseline_zero"] = _per_episode(ep["is_baseline_zero"], "first", g, starts)
    out["is_baseline_zero"] = out["is_baseline_zero"].astype("bool")
    for flag, name in (
        ("is_responder", "first_response_session"),
        ("is_substantial", "first_substantial_session"),
    ):
        hit = ep["session"].where(ep[flag].fillna(False).astype(bool))
        if starts is None:
            out[name] = hit.groupby(codes, sort=False).min().astype("Int64").array
        else:  # each episode's rows together: the same minimum, without a groupby
            first = np.fmin.reduceat(hit.to_numpy(dtype="float64", na_value=np.nan), starts)
            out[name] = pd.array(first, dtype="Float64").astype("Int64")
    out["is_responder_at_last_visit"] = (
        g["is_responder"].last().astype("boolean").mask(out["is_baseline_zero"].to_numpy()).array
    )
    return out.reset_index()


def _per_episode(column: pd.Series, how: str, g, starts: np.ndarray | None) -> np.ndarray:
    """The groupby's `how` ("min", "max", "first" or "last") of a column, as an array: read
    off the rows directly when each episode's rows are together (`starts`) and the column is
    a plain number, date or flag without missing values (then skipping them changes nothing)."""
    plain = isinstance(column.dtype, np.dtype) and column.dtype.kind in "biufM"
    if starts is None or not plain or column.isna().any():
        return getattr(g[column.name], how)().to_numpy()
    values = column.to_numpy()
    if how == "first":
        return values[starts]
    if how == "last":
        return values[np.r_[starts[1:], len(values)] - 1]
    return (np.minimum if how == "min" else np.maximum).reduceat(values, starts)


def _group_starts(codes: np.ndarray) -> np.ndarray | None:
    """Where each group starts when `codes` (0, 1, ... in order of appearance) keep every
    group's rows together, as `episodes` lists them; else None."""
    if not len(codes) or not bool(np.all(codes[1:] >= codes[:-1])):
        return None
    return np.flatnonzero(_run_starts(codes))


def _first_per_group(frame: pd.DataFrame, codes: np.ndarray, g) -> pd.DataFrame:
    """groupby(...).first() of `frame`, one row per code (0, 1, ... in order of appearance):
    taken from each group's first row where a column has no missing values (text columns are
    slow to aggregate), by the groupby otherwise (first skips missing values)."""
    seen = np.maximum.accumulate(np.concatenate([[-1], codes[:-1]])) if len(codes) else codes
    first_rows = np.flatnonzero(codes > seen)
    out = frame.take(first_rows).reset_index(drop=True)
    for col in frame.columns:
        if frame[col].hasnans:
            out[col] = g[col].first().to_numpy()
    return out


# --------------------------------------------------------------------------- groups


def _group_list(by: str | Sequence[str], include_all: bool) -> list[str]:
    bys = [by] if isinstance(by, str) else list(by)
    unknown = [b for b in bys if b not in GROUPINGS]
    if unknown:
        raise ValueError(f"cannot group by {unknown}; choose from {list(GROUPINGS)}")
    if include_all and ALL not in bys:
        bys = [ALL, *bys]
    return list(dict.fromkeys(bys))


def _ordered_values(by: str, values: pd.Series) -> list[str]:
    present = set(pd.Series(values.dropna().unique()).astype("str"))
    order = GROUP_ORDER.get(by)
    if order is None:
        return sorted(present)
    return [v for v in order if v in present] + sorted(present - set(order))


def _groups(frame: pd.DataFrame, by: str | Sequence[str], include_all: bool):
    """Yield (group_by, group, rows) for every grouping in `by` (and "all" when asked)."""
    for b in _group_list(by, include_all):
        if b == ALL:
            yield ALL, ALL, frame
            continue
        for value in _ordered_values(b, frame[b]):
            yield b, value, frame[frame[b] == value]


def _outcome_column(outcome: str) -> str:
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome must be one of {OUTCOMES}, not {outcome!r}")
    return "first_response_session" if outcome == "response" else "first_substantial_session"


def _sessions_arg(session: int | Iterable[int]) -> list[int]:
    sessions = [session] if isinstance(session, int | np.integer) else list(session)
    if not sessions or any(int(s) < 1 for s in sessions):
        raise ValueError(f"sessions are counted from 1; got {sessions}")
    return [int(s) for s in sessions]


# --------------------------------------------------------------------------- trajectories


def pain_by_session(
    ep: pd.DataFrame,
    by: str | Sequence[str] = "complaint_duration",
    max_session: int = 15,
    include_all: bool = True,
) -> pd.DataFrame:
    """Pain at each session per group, for a trajectory chart.

    One row per group and session 1..(the last session with visits, at most `max_session`),
    the same sessions for every group, so a group without visits at a session has a row with
    n_patients 0 and empty pain values (after suppression a viewer cannot tell such a row from
    a hidden one): group_by, group, session, n_patients (distinct patients), n_episodes (scores;
    a patient with two episodes in the group counts twice), pain_median, pain_q1, pain_q3
    (linear interpolation, pandas' default).
    Every episode counts, including those with baseline 0. Read it with care: from session 2 on
    it describes the patients who are still coming, and those who stopped may have stopped
    because they were better, or because they were not.
    """
    groupings = [b for b in _group_list(by, include_all) if b != ALL]
    rows = ep.loc[ep["session"] <= max_session, ["session", "pain_nrs", "patient_key", *groupings]]
    # Patients counted by number: distinct numbers are distinct keys, and far quicker to count.
    codes = pd.factorize(rows["patient_key"])[0]
    rows["patient_key"] = np.where(codes >= 0, codes, np.nan)
    grid = pd.Index(range(1, int(rows["session"].max()) + 1) if len(rows) else [], name="session")
    frames = []
    for group_by, group, part in _groups(rows, by, include_all):
        g = part.groupby("session")
        pain = g["pain_nrs"]
        frame = pd.DataFrame(
            {
                "n_patients": g["patient_key"].nunique(),
                "n_episodes": g.size(),
                "pain_median": pain.median(),
                "pain_q1": pain.quantile(PAIN_BAND_PCT[0] / 100),
                "pain_q3": pain.quantile(PAIN_BAND_PCT[1] / 100),
            }
        ).reindex(grid)
        frame = frame.fillna({"n_patients": 0, "n_episodes": 0})
        frame = frame.astype({"n_patients": "int64", "n_episodes": "int64"})
        frames.append(frame.reset_index().assign(group_by=group_by, group=group))
    columns = ["group_by", "group", "session", "n_patients", "n_episodes"]
    columns += ["pain_median", "pain_q1", "pain_q3"]
    return _concat(frames, columns)


# --------------------------------------------------------------------------- shares


def wilson_interval(
    successes, trials, confidence: float = CONFIDENCE
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a binomial proportion (Wilson 1927), elementwise; NaN where
    there are no trials. Uses statsmodels' `proportion_confint(method="wilson")`."""
    from statsmodels.stats.proportion import proportion_confint

    k = np.asarray(successes, dtype="float64")
    n = np.asarray(trials, dtype="float64")
    safe = np.where(n > 0, n, 1.0)
    low, high = proportion_confint(k, safe, alpha=1 - confidence, method="wilson")
    low = np.where(n > 0, low, np.nan)
    high = np.where(n > 0, high, np.nan)
    return np.asarray(low, dtype="float64"), np.asarray(high, dtype="float64")


def response_by_session_share(
    ep: pd.DataFrame,
    session: int | Iterable[int],
    by: str | Sequence[str] = "all",
    outcome: str = "response",
    include_all: bool = True,
) -> pd.DataFrame:
    """Complete-case share responding by a session: among the episodes that reached at least
    `session` sessions, the share that had responded at or before that session.

    A complete-case share: episodes that stopped earlier are left out whether or not they had
    responded, so it can be too high (if those who do not improve stop) or too low (if those who
    improve stop). `km_response` is the estimate that keeps them (censored). Episodes with
    baseline 0 are left out of every count except `n_baseline_zero`.

    One row per group and session: group_by, group, outcome, session, n_patients and n_episodes
    (that reached the session), n_responders, share (0-1), ci_low, ci_high (Wilson 95%),
    n_episodes_started (episodes in the group with a baseline above 0), n_stopped_before
    (started but ended before the session), n_baseline_zero (episodes left out).
    """
    return _share_table(episode_summary(ep), session, by, outcome, include_all)


def _share_table(
    summary: pd.DataFrame,
    session: int | Iterable[int],
    by: str | Sequence[str],
    outcome: str,
    include_all: bool,
) -> pd.DataFrame:
    """`response_by_session_share` from an `episode_summary`."""
    col = _outcome_column(outcome)
    rows = []
    for s in _sessions_arg(session):
        for group_by, group, part in _groups(summary, by, include_all):
            eligible = part[~part["is_baseline_zero"]]
            reached = eligible[eligible["last_session"] >= s]
            responded = reached[col].notna() & (reached[col] <= s)
            rows.append(
                {
                    "group_by": group_by,
                    "group": group,
                    "outcome": outcome,
                    "session": s,
                    "n_patients": reached["patient_key"].nunique(),
                    "n_episodes": len(reached),
                    "n_responders": int(responded.sum()),
                    "n_episodes_started": len(eligible),
                    "n_stopped_before": len(eligible) - len(reached),
                    "n_baseline_zero": int(part["is_baseline_zero"].sum()),
                }
            )
    columns = ["group_by", "group", "outcome", "session", "n_patients", "n_episodes"]
    columns += ["n_responders", "share", "ci_low", "ci_high"]
    columns += ["n_episodes_started", "n_stopped_before", "n_baseline_zero"]
    if not rows:
        return _concat([], columns)
    out = pd.DataFrame(rows)
    n = out["n_episodes"].to_numpy()
    out["share"] = np.where(n > 0, out["n_responders"] / np.where(n > 0, n, 1), np.nan)
    out["ci_low"], out["ci_high"] = wilson_interval(out["n_responders"], n)
    return out[columns]


# --------------------------------------------------------------------------- Kaplan-Meier


def _times(summary: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """Per eligible episode: time (first session meeting the outcome, else last session) and
    event (1 = met, 0 = censored at the last session)."""
    col = _outcome_column(outcome)
    eligible = summary[~summary["is_baseline_zero"]]
    hit = eligible[col]
    return pd.DataFrame(
        {
            "patient_key": eligible["patient_key"],
            "time": hit.fillna(eligible["last_session"]).astype("int64"),
            "event": hit.notna().astype("int64"),
        }
    )


def _loglog_interval(surv: np.ndarray, se: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Pointwise interval for S(t) on the log(-log) scale; NaN where S is 0 or 1."""
    with np.errstate(divide="ignore", invalid="ignore"):
        sigma = se / (surv * np.abs(np.log(surv)))
        low = surv ** np.exp(z * sigma)
        high = surv ** np.exp(-z * sigma)
    defined = (surv > 0) & (surv < 1) & np.isfinite(sigma)
    return np.where(defined, low, np.nan), np.where(defined, high, np.nan)


def _patients_at_risk(patient: pd.Series, time: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """Distinct patients with an episode still at risk at each session of `grid`: those whose
    longest episode time is at least the session."""
    codes, uniques = pd.factorize(patient)
    longest = np.zeros(len(uniques), dtype="int64")
    np.maximum.at(longest, codes, time.astype("int64"))
    longest.sort()
    return len(longest) - np.searchsorted(longest, grid, side="left")


def _km_curve(times: pd.DataFrame, max_session: int | None, z: float) -> pd.DataFrame:
    from statsmodels.duration.survfunc import SurvfuncRight

    last = int(times["time"].max())
    if max_session is not None:
        last = min(last, max_session)
    grid = np.arange(1, last + 1)
    t = times["time"].to_numpy()
    e = times["event"].to_numpy()
    fit = SurvfuncRight(t.astype("float64"), e.astype("float64"))
    idx = np.searchsorted(np.asarray(fit.surv_times), grid, side="right") - 1
    has_step = idx >= 0
    pick = np.where(has_step, idx, 0)
    surv_prob = np.asarray(fit.surv_prob, dtype="float64")
    surv_se = np.asarray(fit.surv_prob_se, dtype="float64")
    surv = np.where(has_step, surv_prob[pick] if len(surv_prob) else 1.0, 1.0)
    se = np.where(has_step, surv_se[pick] if len(surv_se) else 0.0, 0.0)
    s_low, s_high = _loglog_interval(surv, se, z)
    return pd.DataFrame(
        {
            "session": grid,
            "n_at_risk": [int((t >= s).sum()) for s in grid],
            "n_patients_at_risk": _patients_at_risk(times["patient_key"], t, grid),
            "n_events": [int(((t == s) & (e == 1)).sum()) for s in grid],
            "n_censored": [int(((t == s) & (e == 0)).sum()) for s in grid],
            "cum_response": 1 - surv,
            "ci_low": 1 - s_high,
            "ci_high": 1 - s_low,
            "greenwood_se": se,
        }
    )


def km_response(
    ep: pd.DataFrame,
    by: str | Sequence[str] = "all",
    outcome: str = "response",
    max_session: int | None = None,
    include_all: bool = True,
) -> pd.DataFrame:
    """Kaplan-Meier cumulative probability of having responded by each session, per group.

    Time is the session of the first response; episodes that end without one are censored at
    their last session (still at risk at that session: events come before censoring at a tie).
    Baseline-0 episodes are left out. The survival function S(s) and its Greenwood standard
    error come from statsmodels' `SurvfuncRight`; the cumulative probability is 1 - S(s).

    The pointwise 95% interval uses the log(-log) transform (Kalbfleisch & Prentice 1980, The
    Statistical Analysis of Failure Time Data, section 1.3; Collett, Modelling Survival Data in
    Medical Research, section 2.2.3), which stays inside [0, 1]:
        sigma(s) = se(S(s)) / (S(s) * |log S(s)|)
        S_low = S ** exp(+z * sigma), S_high = S ** exp(-z * sigma), z = 1.96
    and the cumulative interval is (1 - S_high, 1 - S_low). Where S is 1 (no response yet) or 0
    (every episode at risk responded) the transform is undefined and the interval is left empty.

    One row per group and session 1..(last session observed in the group, or `max_session`):
    group_by, group, outcome, session, n_at_risk (episodes still in follow-up without a response
    at the start of the session), n_patients_at_risk (distinct patients among them), n_events
    (first responses at the session), n_censored (episodes whose follow-up ends there without a
    response), cum_response, ci_low, ci_high, greenwood_se (of S). Nothing is shown beyond a
    group's last observed session: the curve is not known there.
    """
    if max_session is not None and max_session < 1:
        raise ValueError(f"max_session must be at least 1, got {max_session}")
    return _km_table(episode_summary(ep), by, outcome, max_session, include_all)


def _km_table(
    summary: pd.DataFrame,
    by: str | Sequence[str],
    outcome: str,
    max_session: int | None,
    include_all: bool,
) -> pd.DataFrame:
    """`km_response` from an `episode_summary`."""
    from scipy.stats import norm

    z = float(norm.ppf(0.5 + CONFIDENCE / 2))
    times = _times(summary, outcome)
    summary = summary.loc[times.index]
    frames = []
    for group_by, group, part in _groups(summary, by, include_all):
        if part.empty:
            continue
        curve = _km_curve(times.loc[part.index], max_session, z)
        curve.insert(0, "outcome", outcome)
        curve.insert(0, "group", group)
        curve.insert(0, "group_by", group_by)
        frames.append(curve)
    columns = ["group_by", "group", "outcome", "session", "n_at_risk", "n_patients_at_risk"]
    columns += ["n_events", "n_censored", "cum_response", "ci_low", "ci_high", "greenwood_se"]
    return _concat(frames, columns)


def median_sessions_to_response(km: pd.DataFrame) -> pd.DataFrame:
    """Median number of sessions to response per curve of `km_response` (unsuppressed), with a
    95% interval where the data allow.

    The median is the first session at which the cumulative probability of response reaches
    0.5 (S(s) <= 0.5). On an exact plateau at 0.5 this is the first session of the plateau;
    statsmodels' `SurvfuncRight.quantile` uses a strict inequality and R a midpoint, so they
    can differ there and only there. The interval inverts the pointwise log(-log) band
    (Brookmeyer & Crowley 1982, Biometrics 38:29-41, with the transform SAS PROC LIFETEST and
    statsmodels' `quantile_ci(method="cloglog")` use): the lower limit is the first session whose
    band reaches 0.5 (ci_high >= 0.5), the upper limit the first session whose whole band is at
    or above 0.5 (ci_low >= 0.5). NA means not reached within follow-up.

    One row per curve: group_by, group, outcome, n_patients and n_episodes (at session 1),
    last_session (end of follow-up), median_sessions, ci_low, ci_high (Int64), is_median_reached.
    """
    rows = []
    keys = ["group_by", "group", "outcome"]
    for key, curve in km.groupby(keys, sort=False):
        curve = curve.sort_values("session")
        sessions = curve["session"].to_numpy()

        def first(mask: np.ndarray, sessions=sessions):
            hit = sessions[mask]
            return int(hit[0]) if len(hit) else pd.NA

        cum = curve["cum_response"].to_numpy(dtype="float64")
        low = curve["ci_low"].to_numpy(dtype="float64", na_value=np.nan)
        high = curve["ci_high"].to_numpy(dtype="float64", na_value=np.nan)
        median = first(cum >= 0.5 - _EPS)
        rows.append(
            {
                **dict(zip(keys, key, strict=True)),
                "n_patients": int(curve["n_patients_at_risk"].iloc[0]),
                "n_episodes": int(curve["n_at_risk"].iloc[0]),
                "last_session": int(sessions[-1]),
                "median_sessions": median,
                "ci_low": first(np.nan_to_num(high, nan=-1.0) >= 0.5 - _EPS),
                "ci_high": first(np.nan_to_num(low, nan=-1.0) >= 0.5 - _EPS),
                "is_median_reached": median is not pd.NA,
            }
        )
    columns = [*keys, "n_patients", "n_episodes", "last_session"]
    columns += ["median_sessions", "ci_low", "ci_high", "is_median_reached"]
    out = pd.DataFrame(rows, columns=columns)
    return out.astype(
        {
            **{c: "str" for c in keys},
            **{c: "int64" for c in ("n_patients", "n_episodes", "last_session")},
            **{c: "Int64" for c in ("median_sessions", "ci_low", "ci_high")},
            "is_median_reached": "bool",
        }
    )


# --------------------------------------------------------------------------- the claim


def records_end(ep: pd.DataFrame) -> pd.Timestamp | None:
    """The date the records reach: the last visit in them (None when there are none)."""
    end = ep["visit_date"].max() if len(ep) else None
    return None if end is None or pd.isna(end) else pd.Timestamp(end)


def possibly_ongoing(summary: pd.DataFrame, end: pd.Timestamp | None) -> pd.Series:
    """Episodes that may still be going on: their last visit lies within the gap that ends an
    episode (GAP_DAYS) of the end of the records, so a next visit would still belong to them."""
    if end is None:
        return pd.Series(False, index=summary.index)
    return (end - summary["last_visit"]).dt.days <= GAP_DAYS


# The sessions every complaint duration is reported at: the website's claim sessions, so the
# groups without a claim (subacute) can be read on the same terms.
REPORT_SESSIONS: tuple[int, ...] = tuple(sorted(set(CLAIM_SESSIONS.values())))
# How a share by a session is counted (in the order a page shows them): the conservative one
# first.
RESPONSE_METHODS = ("all_started", "complete_case", "kaplan_meier")


def response_table(
    ep: pd.DataFrame,
    outcome: str = "response",
    end: pd.Timestamp | None = None,
    sessions: Sequence[int] = REPORT_SESSIONS,
) -> pd.DataFrame:
    """The share of episodes that had responded by each of `sessions`, per complaint duration,
    counted three ways (`RESPONSE_METHODS`):

    - "all_started": among every episode that started (baseline above 0), those that stopped
      before the session without responding counted as not responded (the rule trials such as
      GERAC use for drop-outs). Episodes that may still be going on (`possibly_ongoing`: last
      visit within GAP_DAYS of `end`, not yet responded, not yet at the session) cannot be
      counted either way: they are left out of the share and counted in `n_ongoing`.
      n_patients / n_episodes are the episodes that started (including those ongoing),
      `n_stopped_before` those that stopped before the session without responding. The
      conservative figure: it can only be lower than the other two when nobody is ongoing.
    - "complete_case": among episodes that reached the session (Wilson 95% interval);
      n_patients / n_episodes are those that reached it.
    - "kaplan_meier": the cumulative probability of response by the session, those who stopped
      earlier censored (log(-log) 95% interval); n_patients / n_episodes are those still at
      risk at the session, n_responders the first responses up to it. Empty when no episode was
      followed that far, unless every episode at risk had already responded (the curve stays
      at 1 with nobody at risk).

    `end` is the date the records reach (default: the last visit in `ep`; pass the whole
    clinic's end when `ep` is a filtered part). Our response is pain down by >= 30% and >= 2
    points at some session up to the one named, not lasting improvement. Columns: claim (the
    website's wording where it makes a claim for this group and session, else ""), is_claim,
    complaint_duration, session, outcome, method, n_patients, n_episodes, n_responders,
    estimate, ci_low, ci_high, n_stopped_before, n_ongoing (the last two for "all_started"
    only).
    """
    end = records_end(ep) if end is None else end
    return _response_rows(episode_summary(ep), outcome, end, sessions)


def _response_rows(
    summary: pd.DataFrame,
    outcome: str,
    end: pd.Timestamp | None,
    sessions: Sequence[int],
    km: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """`response_table` from an `episode_summary` (and, to save refitting, its Kaplan-Meier
    table by complaint duration, reaching at least the last of `sessions`)."""
    col = _outcome_column(outcome)
    # Plain arrays: this runs once per view of the protected source (dozens per data version).
    ongoing_now = possibly_ongoing(summary, end).to_numpy(dtype=bool)
    duration_of = summary["complaint_duration"].astype("str").to_numpy()
    eligible_all = ~summary["is_baseline_zero"].to_numpy(dtype=bool)
    first = summary[col].astype("Float64").to_numpy(dtype="float64", na_value=np.inf)
    last = summary["last_session"].to_numpy(dtype="float64")
    patient = summary["patient_key"].to_numpy()
    claims = {(group, session): claim for group, session, claim in CLAIMS}
    rows = []
    for duration in COMPLAINT_DURATIONS:
        eligible = eligible_all & (duration_of == duration)
        if km is None:
            part = summary[eligible]
            curve = _km_table(part, ALL, outcome, None, True) if len(part) else None
        else:
            curve = km[(km["group"] == duration) & (km["outcome"] == outcome)]
        n_patients = len(pd.unique(patient[eligible]))
        for session in sessions:
            claim = claims.get((duration, session), "")
            base = {
                "claim": claim,
                "is_claim": bool(claim),
                "complaint_duration": duration,
                "session": session,
                "outcome": outcome,
            }
            hit = eligible & (first <= session)
            reached = eligible & (last >= session)
            open_ = eligible & ongoing_now & ~hit & ~reached
            rows.append(
                {
                    **base,
                    "method": "all_started",
                    "n_patients": n_patients,
                    "n_episodes": int(eligible.sum()),
                    "n_responders": int(hit.sum()),
                    "n_counted": int((eligible & ~open_).sum()),
                    "n_stopped_before": int((eligible & ~hit & ~reached & ~open_).sum()),
                    "n_ongoing": int(open_.sum()),
                }
            )
            rows.append(
                {
                    **base,
                    "method": "complete_case",
                    "n_patients": len(pd.unique(patient[reached])),
                    "n_episodes": int(reached.sum()),
                    "n_responders": int((hit & reached).sum()),
                    "n_counted": int(reached.sum()),
                }
            )
            rows.append({**base, "method": "kaplan_meier", **_km_point(curve, session)})
    out = pd.DataFrame(rows)
    shares = out["method"] != "kaplan_meier"
    n = out["n_counted"].fillna(0).to_numpy(dtype="float64")
    k = np.where(shares, out["n_responders"].to_numpy(dtype="float64"), 0.0)
    low, high = wilson_interval(k, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(n > 0, k / np.where(n > 0, n, 1), np.nan)
    out.loc[shares, "estimate"] = share[shares.to_numpy()]
    out.loc[shares, "ci_low"] = low[shares.to_numpy()]
    out.loc[shares, "ci_high"] = high[shares.to_numpy()]
    for c in ("n_stopped_before", "n_ongoing"):
        out[c] = out[c].astype("Int64")
    columns = ["claim", "is_claim", "complaint_duration", "session", "outcome", "method"]
    columns += ["n_patients", "n_episodes", "n_responders", "estimate", "ci_low", "ci_high"]
    columns += ["n_stopped_before", "n_ongoing"]
    return out[columns]


def _km_point(km: pd.DataFrame | None, session: int) -> dict:
    """The Kaplan-Meier row of a claim table at `session` (see `response_table`)."""
    empty = {"n_patients": 0, "n_episodes": 0, "n_responders": 0}
    if km is None or km.empty:
        return {**empty, "estimate": np.nan, "ci_low": np.nan, "ci_high": np.nan}
    events = int(km.loc[km["session"] <= session, "n_events"].sum())
    point = km[km["session"] == session]
    if point.empty and km["cum_response"].iloc[-1] >= 1 - _EPS:
        # Every episode at risk had responded before the session: the curve stays at 1.
        point = km.iloc[[-1]].assign(n_at_risk=0, n_patients_at_risk=0)
    if len(point) != 1:
        return {**empty, "n_responders": events, "estimate": np.nan, "ci_low": np.nan,
                "ci_high": np.nan}  # fmt: skip
    return {
        "n_patients": int(point["n_patients_at_risk"].iloc[0]),
        "n_episodes": int(point["n_at_risk"].iloc[0]),
        "n_responders": events,
        "estimate": float(point["cum_response"].iloc[0]),
        "ci_low": float(point["ci_low"].iloc[0]),
        "ci_high": float(point["ci_high"].iloc[0]),
    }


def website_claim_check(
    ep: pd.DataFrame, outcome: str = "response", end: pd.Timestamp | None = None
) -> pd.DataFrame:
    """The website claim tested on the clinic's records: acute episodes by session 5 and chronic
    episodes by session 10, each counted the three ways of `response_table` (its rows where the
    website makes a claim)."""
    table = response_table(ep, outcome, end)
    return table[table["is_claim"]].reset_index(drop=True)


# --------------------------------------------------------------------------- over time

# How new episodes are counted over time: per month, or per quarter where months are small.
RESOLUTIONS = ("month", "quarter")
# Months are used when at least this share of the months the records span hold a group large
# enough to show on its own (the disclosure threshold); otherwise quarters.
MONTHS_SHOWN_SHARE = 0.75
# The covid measures began in March 2020 (data/public/covid_timeline.csv); the comparison year
# for the clinic's intake is the last whole calendar year before them.
PRE_COVID_YEAR = 2019


def bucket_labels(dates: pd.Series, resolution: str) -> pd.Series:
    """The month ("2023-01") or quarter ("2023Q1") of each date, as text."""
    if resolution not in RESOLUTIONS:
        raise ValueError(f"resolution must be one of {RESOLUTIONS}, not {resolution!r}")
    freq = "M" if resolution == "month" else "Q"
    return pd.Series(pd.PeriodIndex(dates, freq=freq).astype(str), index=dates.index, dtype="str")


def bucket_range(first: pd.Timestamp, last: pd.Timestamp, resolution: str) -> list[str]:
    """Every month or quarter from `first` to `last`, as `bucket_labels` writes them."""
    freq = "M" if resolution == "month" else "Q"
    return [str(p) for p in pd.period_range(first, last, freq=freq)]


def intake_resolution(summary: pd.DataFrame, threshold: int) -> str:
    """ "month" when at least MONTHS_SHOWN_SHARE of the months the records span have at least
    `threshold` new episodes (so most months could be shown), else "quarter"."""
    if summary.empty:
        return "quarter"
    months = bucket_labels(summary["first_visit"], "month").value_counts()
    span = bucket_range(summary["first_visit"].min(), summary["first_visit"].max(), "month")
    big = sum(int(months.get(m, 0)) >= threshold for m in span)
    return "month" if big >= MONTHS_SHOWN_SHARE * len(span) else "quarter"


def pre_covid_year(summary: pd.DataFrame) -> int | None:
    """PRE_COVID_YEAR when the records cover it from its first month (an episode started in
    January of that year or earlier), else None: no like-for-like comparison is possible."""
    if summary.empty:
        return None
    first = summary["first_visit"].min()
    return PRE_COVID_YEAR if first < pd.Timestamp(PRE_COVID_YEAR, 2, 1) else None


def _bucket_counts(
    summary: pd.DataFrame, labels: pd.Series, buckets: Sequence[str], extra: dict | None = None
) -> pd.DataFrame:
    """Per complaint duration (and "all") and bucket (and "all"): n_patients, n_episodes and
    the sums of `extra` boolean columns; every bucket listed, empty ones with zeros."""
    extra = extra or {}
    frame = pd.DataFrame(
        {
            "group": summary["complaint_duration"].astype("str").to_numpy(),
            "bucket": labels.astype("str").to_numpy(),
            "patient": summary["patient_key"].to_numpy(),
            **{name: flag.to_numpy(dtype="int64") for name, flag in extra.items()},
        }
    )
    every = pd.concat(
        [
            frame,
            frame.assign(group=ALL),
            frame.assign(bucket=ALL),
            frame.assign(group=ALL, bucket=ALL),
        ],
        ignore_index=True,
    )
    g = every.groupby(["group", "bucket"], sort=False)
    counts = pd.DataFrame(
        {
            "n_patients": g["patient"].nunique(),
            "n_episodes": g.size(),
            **{name: g[name].sum() for name in extra},
        }
    )
    grid = pd.MultiIndex.from_product(
        [[ALL, *COMPLAINT_DURATIONS], [ALL, *buckets]], names=["group", "bucket"]
    )
    out = counts.reindex(grid, fill_value=0).reset_index()
    return out.astype({c: "int64" for c in ("n_patients", "n_episodes", *extra)})


def intake_table(
    ep: pd.DataFrame, resolution: str, buckets: Sequence[str] | None = None
) -> pd.DataFrame:
    """New episodes (by the date of their first visit) per month or quarter, per complaint
    duration: group ("all" and each duration), bucket ("all" and each month or quarter in
    `buckets`, default the span of the records), start (the bucket's first day; NaT for
    "all"), n_patients, n_episodes. Every episode counts, baseline 0 included."""
    return _intake_rows(episode_summary(ep), resolution, buckets)


def _intake_rows(
    summary: pd.DataFrame, resolution: str, buckets: Sequence[str] | None
) -> pd.DataFrame:
    """`intake_table` from an `episode_summary`."""
    labels = bucket_labels(summary["first_visit"], resolution)
    if buckets is None:
        buckets = (
            bucket_range(summary["first_visit"].min(), summary["first_visit"].max(), resolution)
            if len(summary)
            else []
        )
    out = _bucket_counts(summary, labels, buckets)
    freq = "M" if resolution == "month" else "Q"
    out["start"] = [
        pd.NaT if b == ALL else pd.Period(b, freq=freq).start_time for b in out["bucket"]
    ]
    return out[["group", "bucket", "start", "n_patients", "n_episodes"]]


def quarterly_response(
    ep: pd.DataFrame,
    end: pd.Timestamp | None = None,
    quarters: Sequence[str] | None = None,
    outcome: str = "response",
) -> pd.DataFrame:
    """Responder share by the quarter an episode started, for a control chart: among the
    episodes that have ended (baseline above 0, not `possibly_ongoing` at `end`), those that
    responded at any session. One row per group ("all" and each complaint duration) and quarter
    ("all" and each of `quarters`): group, quarter, n_patients, n_episodes, n_responders,
    share."""
    end = records_end(ep) if end is None else end
    return _quarter_rows(episode_summary(ep), end, quarters, outcome)


def _quarter_rows(
    summary: pd.DataFrame,
    end: pd.Timestamp | None,
    quarters: Sequence[str] | None,
    outcome: str = "response",
) -> pd.DataFrame:
    """`quarterly_response` from an `episode_summary`."""
    finished = summary[~summary["is_baseline_zero"] & ~possibly_ongoing(summary, end)]
    labels = bucket_labels(finished["first_visit"], "quarter")
    if quarters is None:
        quarters = (
            bucket_range(finished["first_visit"].min(), finished["first_visit"].max(), "quarter")
            if len(finished)
            else []
        )
    responded = finished[_outcome_column(outcome)].notna()
    out = _bucket_counts(finished, labels, quarters, {"n_responders": responded})
    out = out.rename(columns={"bucket": "quarter"})
    n = out["n_episodes"].to_numpy(dtype="float64")
    out["share"] = np.where(n > 0, out["n_responders"] / np.where(n > 0, n, 1), np.nan)
    return out


# Two-sided coverage of the control limits, as fractions (vocabulary.CONTROL_LEVELS_PCT).
CONTROL_LEVELS = tuple(level / 100 for level in CONTROL_LEVELS_PCT)


def control_z(level: float) -> float:
    """The normal quantile of two-sided control limits with coverage `level` (0-1): 1.96 for
    0.95, 3.09 for 0.998."""
    from scipy.stats import norm

    return float(norm.ppf(0.5 + level / 2))


def control_limits(quarters: pd.DataFrame) -> pd.DataFrame:
    """A p-chart of `quarterly_response` rows of one group (as a viewer sees them: hidden rows
    have no counts): the centre line is the share over every quarter (the "all" row), each
    shown quarter gets p ± z·sqrt(p(1-p)/n) at CONTROL_LEVELS (clipped to 0-1), and `signal`
    says whether its share lies outside the 95% ("outside_95") or 99.8% ("outside_998")
    limits, else "within". No quarter is ranked against another: each is read against the
    clinic's own mean."""

    total = quarters[quarters["quarter"] == ALL]
    parts = quarters[quarters["quarter"] != ALL].copy()
    centre = float(total["share"].iloc[0]) if len(total) else np.nan
    n = parts["n_episodes"].astype("float64").to_numpy()
    parts["centre"] = centre
    signal = np.full(len(parts), "within", dtype=object)
    for level in CONTROL_LEVELS:
        z = control_z(level)
        with np.errstate(divide="ignore", invalid="ignore"):
            half = z * np.sqrt(centre * (1 - centre) / n)
        tag = f"{level * 100:g}".replace(".", "")
        low = np.clip(centre - half, 0, 1)
        high = np.clip(centre + half, 0, 1)
        parts[f"low_{tag}"], parts[f"high_{tag}"] = low, high
        share = parts["share"].astype("float64").to_numpy()
        outside = (share < low) | (share > high)
        signal = np.where(outside, f"outside_{tag}", signal)
    parts["signal"] = pd.Series(signal, index=parts.index).where(parts["share"].notna())
    return parts.reset_index(drop=True)


# --------------------------------------------------------------------------- findings over time


@dataclass(frozen=True)
class QuarterFindings:
    """What a p-chart of `control_limits` shows: the quarters shown and hidden, the clinic's
    mean share (percent) and the quarters outside the limits, with their direction."""

    n_shown: int
    n_hidden: int
    centre_pct: float | None
    outside_95: tuple[tuple[str, str], ...]  # (quarter, "above" | "below")
    outside_998: tuple[tuple[str, str], ...]


def quarter_findings(limits: pd.DataFrame) -> QuarterFindings:
    """The findings of a p-chart (rows of `control_limits`, hidden quarters without counts)."""
    shown = limits[limits["share"].notna()]
    centre = float(limits["centre"].iloc[0]) * 100 if len(limits) else np.nan

    def outside(tag: str) -> tuple[tuple[str, str], ...]:
        out = []
        for row in shown.itertuples():
            share = float(row.share)
            if share < getattr(row, f"low_{tag}"):
                out.append((str(row.quarter), "below"))
            elif share > getattr(row, f"high_{tag}"):
                out.append((str(row.quarter), "above"))
        return tuple(out)

    return QuarterFindings(
        n_shown=len(shown),
        n_hidden=len(limits) - len(shown),
        centre_pct=None if np.isnan(centre) else centre,
        outside_95=outside("95"),
        outside_998=outside("998"),
    )


@dataclass(frozen=True)
class IntakeFindings:
    """What the clinic's intake chart can say about the covid years: the first day of the
    first month or quarter shown and the last day of the last one, the start of the national
    home-working advice, and, where the records cover the pre-covid year, the new episodes
    from the advice's first month to the end of that year against the same months of the
    pre-covid year (only when every one of those months is shown in both years)."""

    resolution: str
    first: pd.Timestamp | None
    last: pd.Timestamp | None
    n_shown: int
    n_hidden: int
    advice_start: pd.Timestamp
    pre_covid_year: int | None
    covid_months: tuple[str, ...]  # the buckets compared, in the covid year
    covid_count: int | None
    reference_count: int | None

    @property
    def starts_after_advice(self) -> bool:
        return self.first is not None and self.first > self.advice_start


def intake_findings(
    intake: pd.DataFrame, resolution: str, pre_covid_year: int | None, advice_start: pd.Timestamp
) -> IntakeFindings:
    """The findings of the intake chart (public `intake_table` rows of one group)."""
    parts = intake[intake["bucket"] != ALL]
    shown = parts[parts["n_episodes"].notna()]
    covid_count = reference_count = None
    months: tuple[str, ...] = ()
    if pre_covid_year is not None:
        covid_year = advice_start.year
        start = pd.Period(advice_start, freq="M" if resolution == "month" else "Q").start_time
        covid = parts[(parts["start"] >= start) & (parts["start"].dt.year == covid_year)]
        offset = pd.DateOffset(years=covid_year - pre_covid_year)
        before = parts.set_index("start").reindex(covid["start"] - offset)
        months = tuple(covid["bucket"].astype(str))
        complete = len(covid) and covid["n_episodes"].notna().all()
        if complete and before["n_episodes"].notna().all():
            covid_count = int(covid["n_episodes"].sum())
            reference_count = int(before["n_episodes"].sum())
    return IntakeFindings(
        resolution=resolution,
        first=shown["start"].min() if len(shown) else None,
        last=(
            pd.Period(
                shown["start"].max(), freq="M" if resolution == "month" else "Q"
            ).end_time.normalize()
            if len(shown)
            else None
        ),
        n_shown=len(shown),
        n_hidden=len(parts) - len(shown),
        advice_start=pd.Timestamp(advice_start),
        pre_covid_year=pre_covid_year,
        covid_months=months,
        covid_count=covid_count,
        reference_count=reference_count,
    )


# --------------------------------------------------------------------------- verdicts

# "Many" (acute) and "most" (chronic) read as more than half: the website gives no number, and
# "most" means more than half; "many" is read the same way so both claims face one bar.
CLAIM_SHARE = 0.5


@dataclass(frozen=True)
class ClaimVerdict:
    """Does a website claim hold on the clinic's records? From the conservative figure (every
    episode that started, those who stopped counted as not responded) and its 95% interval:
    "supported" when the whole interval lies above CLAIM_SHARE, "not_supported" when it lies
    below, "cannot_tell" otherwise; `reason` says why one cannot tell ("too_few": the figure is
    hidden for having fewer patients than the threshold; "interval_spans": the interval
    includes CLAIM_SHARE)."""

    complaint_duration: str
    session: int
    claim: str
    verdict: str  # "supported" | "not_supported" | "cannot_tell"
    reason: str | None  # "too_few" | "interval_spans" | None
    all_started: Share | None
    n_episodes: int | None  # started
    n_responders: int | None
    n_stopped_before: int | None
    n_ongoing: int | None
    complete_case: Share | None
    kaplan_meier: Share | None
    bar_pct: float  # CLAIM_SHARE as a percentage


@dataclass(frozen=True)
class Share:
    """A share in percent (unrounded) with its 95% interval, as one method counts it."""

    method: str  # one of RESPONSE_METHODS
    pct: float
    low: float
    high: float


def _share_quantity(row: pd.Series | None) -> Share | None:
    if row is None or bool(row.get("suppressed", False)) or pd.isna(row["estimate"]):
        return None
    low, high = (float(row[c]) * 100 for c in ("ci_low", "ci_high"))
    return Share(str(row["method"]), float(row["estimate"]) * 100, low, high)


def claim_verdicts(claims: pd.DataFrame) -> tuple[ClaimVerdict, ...]:
    """One verdict per website claim whose rows `claims` holds (the public, suppressed claim rows
    of `response_table`; a view of subacute episodes holds none)."""
    out = []
    bar = CLAIM_SHARE * 100
    for duration, session, claim in CLAIMS:
        rows = claims[(claims["complaint_duration"] == duration) & (claims["session"] == session)]
        if rows.empty:
            continue  # a view of another complaint group: this claim is not about it
        by = {r["method"]: r for _, r in rows.iterrows()}
        started = by.get("all_started")
        share = _share_quantity(started)
        if share is None:
            verdict, reason = "cannot_tell", "too_few"
        elif share.low > bar:
            verdict, reason = "supported", None
        elif share.high < bar:
            verdict, reason = "not_supported", None
        else:
            verdict, reason = "cannot_tell", "interval_spans"

        counts = {
            col: None if share is None or pd.isna(started[col]) else int(started[col])
            for col in ("n_episodes", "n_responders", "n_stopped_before", "n_ongoing")
        }
        out.append(
            ClaimVerdict(
                complaint_duration=duration,
                session=session,
                claim=claim,
                verdict=verdict,
                reason=reason,
                all_started=share,
                n_episodes=counts["n_episodes"],
                n_responders=counts["n_responders"],
                n_stopped_before=counts["n_stopped_before"],
                n_ongoing=counts["n_ongoing"],
                complete_case=_share_quantity(by.get("complete_case")),
                kaplan_meier=_share_quantity(by.get("kaplan_meier")),
                bar_pct=bar,
            )
        )
    return tuple(out)


# --------------------------------------------------------------------------- benchmarks

# Rows of `outcome_benchmarks` a chart shows beside the clinic's figures, by panel:
# "chronic_response" beside the chronic share/KM, "chronic_pain_change" beside the chronic pain
# trajectory, "acute" beside the acute figures, "natural_course" beside both trajectories.
BENCHMARK_ROWS: tuple[tuple[str, str], ...] = (
    ("gerac_2007_verum_responder_6m", "chronic_response"),
    ("gerac_2007_sham_responder_6m", "chronic_response"),
    ("gerac_2007_conventional_responder_6m", "chronic_response"),
    ("cherkin_2009_acupuncture_arms_responder_8w", "chronic_response"),
    ("cherkin_2009_usual_care_responder_8w", "chronic_response"),
    ("vickers_linde_2014_acupuncture_modelled_response", "chronic_response"),
    ("vickers_linde_2014_sham_modelled_response", "chronic_response"),
    ("vickers_linde_2014_no_acupuncture_modelled_response", "chronic_response"),
    ("art_2006_acupuncture_pain_change_8w", "chronic_pain_change"),
    ("art_2006_minimal_acupuncture_pain_change_8w", "chronic_pain_change"),
    ("art_2006_waiting_list_pain_change_8w", "chronic_pain_change"),
    ("cochrane_2020_vs_usual_care_pain_difference_post", "chronic_pain_change"),
    ("acuback_2020_acupuncture_median_days_to_recovery", "acute"),
    ("acuback_2020_standard_care_median_days_to_recovery", "acute"),
    ("costa_2012_acute_pain_baseline", "natural_course"),
    ("costa_2012_acute_pain_6w", "natural_course"),
    ("costa_2012_persistent_pain_baseline", "natural_course"),
    ("costa_2012_persistent_pain_6w", "natural_course"),
)
# Derived rows: (new id, baseline figure, follow-up figure). Percentage drop of the mean score.
DERIVED_DROPS: tuple[tuple[str, str, str], ...] = (
    ("costa_2012_acute_pain_drop_6w_derived", "costa_2012_acute_pain_baseline",
     "costa_2012_acute_pain_6w"),
    ("costa_2012_persistent_pain_drop_6w_derived", "costa_2012_persistent_pain_baseline",
     "costa_2012_persistent_pain_6w"),
)  # fmt: skip

OUR_DEFINITION = "pain down by at least 30% and at least 2 points on 0-10 from the first visit"

_KIND_NOTE = {
    "responder_rate": "share of patients meeting the trial's own responder definition ({m})",
    "modelled_responder_rate": "a response rate modelled from standardised effect sizes, not "
    "counted patients; the response definition was not stated in the source seen",
    "mean_change": "mean {m} on {u}, not a share of patients",
    "mean_difference": "difference in mean {m} between the arms on {u}, not a share of patients",
    "median_days_to_recovery": "median days to recovery as the trial defined it, not sessions "
    "to response",
    "pooled_mean_score": "mean pain score of inception cohorts on {u} (natural course, with "
    "any or no treatment), not a share of patients",
    "percent_drop_derived": "percentage drop in the cohorts' mean pain score, derived by "
    "Rugzicht from two published means; a fall in the average is not a share of patients",
}


def _fmt(value: float, digits: int = 2) -> str:
    """A number as published (up to `digits` decimals, no trailing zeros)."""
    return f"{value:.{digits}f}".rstrip("0").rstrip(".") if pd.notna(value) else "?"


_INTERVAL_NAMES = {"ci95": "95% CI", "range": "range"}  # benchmark_interval_kind -> words


def _value_text(row: pd.Series) -> str:
    kind, v, u = row["value_kind"], row["value"], row["unit"]
    about = "about " if row.get("value_qualifier") == "about" else ""
    if kind == "responder_rate":
        return f"{about}{_fmt(v)}% responders"
    if kind == "modelled_responder_rate":
        return f"{about}{_fmt(v)}% responders (modelled)"
    if kind == "mean_change":
        return f"pain down {_fmt(v)} on {u}"
    if kind == "mean_difference":
        word = "lower" if v < 0 else "higher"
        text = f"pain {_fmt(abs(v))} {word} than with {row['comparator']} on {u}"
        low, high = row["value_low"], row["value_high"]
        # The interval's name as published: a 95% CI only where the row says ci95.
        name = _INTERVAL_NAMES.get(row.get("interval_kind"), "interval")
        if pd.notna(low) and pd.notna(high) and (low < 0) == (high < 0) == (v < 0):
            near, far = sorted((abs(low), abs(high)))
            text += f" ({name} {_fmt(near)} to {_fmt(far)} {word})"
        elif pd.notna(low) and pd.notna(high):
            text += f" ({name} {_fmt(low)} to {_fmt(high)})"
        return text
    if kind == "median_days_to_recovery":
        return f"median {_fmt(v)} days to recovery"
    if kind == "pooled_mean_score":
        return f"mean pain {_fmt(v)} on {u}"
    if kind == "percent_drop_derived":
        return f"mean pain down {_fmt(v, 1)}% (derived)"
    return f"{_fmt(v)} {u}"


def benchmarks_table(outcome_benchmarks: pd.DataFrame) -> pd.DataFrame:
    """The published figures a chart shows beside the clinic's own, one row each, with a plain
    label and a note on how the figure's definition differs from ours.

    Rows (see `BENCHMARK_ROWS`): GERAC 6-month responder rates (verum 47.6%, sham 44.2%,
    conventional 27.4%; 10 sessions), Cherkin 2009 responder rates at 8 weeks, Vickers & Linde's
    response rates translated from effect sizes, ART mean pain change at 8 weeks, Cochrane 2020
    acupuncture vs usual care, Acuback median days to recovery (acute), and the natural course
    (Costa 2012: acute pain 52 -> 23 on 0-100 at 6 weeks, persistent 51 -> 33) with the
    percentage drop of the mean derived by Rugzicht (`is_derived`).

    Columns: benchmark_id, panel, study, publication_year, population, arm, comparator,
    outcome, timepoint, value_kind, value, value_low, value_high, interval_kind, unit,
    value_qualifier, sessions_per_protocol (from the package's session_count row of the same
    study, else NA), is_derived, is_responder_definition_different, definition_note, label,
    caveats, source_url.
    """
    src = outcome_benchmarks.set_index(outcome_benchmarks["figure_id"].astype("str"))
    wanted = [fid for fid, _ in BENCHMARK_ROWS]
    missing = [fid for fid in wanted if fid not in src.index]
    missing += [f for _, b, a in DERIVED_DROPS for f in (b, a) if f not in src.index]
    if missing:
        raise OutcomeDataError(f"outcome_benchmarks lacks the figure(s) {sorted(set(missing))}")
    sessions = src[src["benchmark_value_kind"] == "session_count"].dropna(subset=["value"])
    sessions = sessions.drop_duplicates("study").set_index("study")["value"]

    def base(fid: str, panel: str) -> dict:
        r = src.loc[fid]
        return {
            "benchmark_id": fid,
            "panel": panel,
            "study": str(r["study"]),
            "publication_year": r["publication_year"],
            "population": r["study_population"],
            "arm": r["trial_arm"],
            "comparator": r["trial_comparator"],
            "outcome": r["outcome_measure"],
            "timepoint": r["outcome_timepoint"],
            "value_kind": str(r["benchmark_value_kind"]),
            "value": r["value"],
            "value_low": r["value_low"],
            "value_high": r["value_high"],
            "interval_kind": r["benchmark_interval_kind"],
            "unit": r["outcome_scale"],
            "value_qualifier": r["value_qualifier"],
            "sessions_per_protocol": sessions.get(str(r["study"]), np.nan),
            "is_derived": False,
            "is_responder_definition_different": bool(r["is_responder_definition_different"]),
            "caveats": r["caveats"],
            "source_url": r["source_url"],
        }

    rows = [base(fid, panel) for fid, panel in BENCHMARK_ROWS]
    for new_id, before_id, after_id in DERIVED_DROPS:
        before, after = src.loc[before_id, "value"], src.loc[after_id, "value"]
        row = base(after_id, "natural_course")
        row.update(
            benchmark_id=new_id,
            outcome=f"percentage drop in mean pain ({_fmt(before)} -> {_fmt(after)})",
            timepoint=f"{src.loc[after_id, 'outcome_timepoint']} after onset vs baseline",
            value_kind="percent_drop_derived",
            value=(before - after) / before * 100,
            value_low=np.nan,
            value_high=np.nan,
            interval_kind=np.nan,
            unit="% of baseline mean",
            is_derived=True,
        )
        rows.append(row)
    out = pd.DataFrame(rows)
    out["definition_note"] = [
        (
            "Differs from ours ("
            + OUR_DEFINITION
            + "): "
            + _KIND_NOTE.get(kind, "{m} on {u}").format(m=m, u=u)
            + "."
        )
        if different
        else "Matches our definition."
        for kind, m, u, different in zip(
            out["value_kind"],
            out["outcome"],
            out["unit"],
            out["is_responder_definition_different"],
            strict=True,
        )
    ]
    # Natural-course rows are told apart by their population (acute or persistent pain), the
    # others by their trial arm.
    who = out["arm"].where(out["panel"] != "natural_course", out["population"])
    out["label"] = [
        f"{study} {year}, {name}: {_value_text(row)}" + (f", {tp}" if pd.notna(tp) else "")
        for (_, row), study, year, name, tp in zip(
            out.iterrows(),
            out["study"],
            out["publication_year"],
            who,
            out["timepoint"],
            strict=True,
        )
    ]
    columns = [
        "benchmark_id",
        "panel",
        "study",
        "publication_year",
        "population",
        "arm",
        "comparator",
        "outcome",
        "timepoint",
        "value_kind",
        "value",
        "value_low",
        "value_high",
        "interval_kind",
        "unit",
        "value_qualifier",
        "sessions_per_protocol",
        "is_derived",
        "is_responder_definition_different",
        "definition_note",
        "label",
        "caveats",
        "source_url",
    ]
    out = out[columns]
    return out.astype(
        {
            "value": "float64",
            "value_low": "float64",
            "value_high": "float64",
            "sessions_per_protocol": "float64",
            "is_derived": "bool",
            "is_responder_definition_different": "bool",
        }
    )


# --------------------------------------------------------------------------- helpers


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=_EMPTY_DTYPES.get(c, "float64")) for c in columns})
    return pd.concat(frames, ignore_index=True)[columns]


_EMPTY_DTYPES = {
    "group_by": "str",
    "group": "str",
    "outcome": "str",
    "session": "int64",
    "n_patients": "int64",
    "n_episodes": "int64",
    "n_responders": "int64",
    "n_episodes_started": "int64",
    "n_stopped_before": "int64",
    "n_baseline_zero": "int64",
    "n_at_risk": "int64",
    "n_patients_at_risk": "int64",
    "n_events": "int64",
    "n_censored": "int64",
    "last_session": "int64",
    "median_sessions": "Int64",
    "is_median_reached": "bool",
}


# -- facts: what the outcome words may say about the published benchmarks ---------------------


@dataclass(frozen=True)
class TrialComparison:
    """GERAC's 6-month responder rates by arm and the number of sessions its trials gave (the
    protocol's 10, and up to 15 for partial responders, as the GERAC overview states)."""

    verum: Quantity
    sham: Quantity
    usual: Quantity
    sessions_low: int
    sessions_high: int
    months: int
    pain_threshold_pct: int  # GERAC's responder: >= this % better on the pain items
    function_threshold_pct: int  # ... or >= this % better in function


def gerac_findings(outcome_benchmarks: pd.DataFrame) -> TrialComparison:
    src = outcome_benchmarks.set_index(outcome_benchmarks["figure_id"].astype("str"))

    def rate(fid: str) -> Quantity:
        if fid not in src.index:
            raise OutcomeDataError(f"outcome_benchmarks lacks {fid}")
        return Quantity(float(src.loc[fid, "value"]), "pct", 1)

    sessions = src.loc["gerac_overview_2007_sessions_range"]
    timepoint = str(src.loc["gerac_2007_verum_responder_6m", "outcome_timepoint"])
    months = re.match(r"([0-9]+) months", timepoint)
    if months is None:
        raise OutcomeDataError(f"GERAC timepoint {timepoint!r} is not in months")
    thresholds = [
        int(v)
        for v in re.findall(
            r">=(\d+)%", str(src.loc["gerac_2007_verum_responder_6m", "outcome_measure"])
        )
    ]
    if len(thresholds) != 2:
        raise OutcomeDataError(f"GERAC's responder definition is not two thresholds: {thresholds}")
    return TrialComparison(
        pain_threshold_pct=thresholds[0],
        function_threshold_pct=thresholds[1],
        verum=rate("gerac_2007_verum_responder_6m"),
        sham=rate("gerac_2007_sham_responder_6m"),
        usual=rate("gerac_2007_conventional_responder_6m"),
        sessions_low=int(sessions["value_low"]),
        sessions_high=int(sessions["value_high"]),
        months=int(months.group(1)),
    )


@dataclass(frozen=True)
class ResponseCitation:
    """Where our response thresholds come from (Ostelo et al. 2008), and whether that citation
    was checked against the publication (False while a row carries `citation_unverified`)."""

    study: str
    year: int
    verified: bool


def response_citation(outcome_benchmarks: pd.DataFrame) -> ResponseCitation:
    rows = outcome_benchmarks[outcome_benchmarks["figure_id"].astype(str).str.startswith("ostelo")]
    if rows.empty:
        raise OutcomeDataError("outcome_benchmarks has no Ostelo rows for the response definition")
    return ResponseCitation(
        study=str(rows["study"].iloc[0]),
        year=int(rows["publication_year"].iloc[0]),
        verified=not rows["caveats"].fillna("").str.contains("citation_unverified").any(),
    )


@dataclass(frozen=True)
class NaturalCourse:
    """How back pain goes without specific treatment, as the cited cohorts publish it: mean pain
    (0-100) in acute low back pain at baseline and some weeks later (Costa 2012), and the
    relative fall in pain in the first month (Pengel 2003)."""

    costa: str
    costa_year: int
    baseline: Quantity
    later: Quantity
    weeks: int
    pengel: str
    pengel_year: int
    first_month_drop: Quantity
    scale: tuple[int, int]  # the pain scale of Costa's means, as published ("0-100")


def _scale(text: str) -> tuple[int, int]:
    found = re.fullmatch(r"(\d+)-(\d+)", text.strip())
    if found is None:
        raise OutcomeDataError(f"pain scale {text!r} is not 'low-high'")
    return int(found.group(1)), int(found.group(2))


def natural_course(outcome_benchmarks: pd.DataFrame) -> NaturalCourse:
    src = outcome_benchmarks.set_index(outcome_benchmarks["figure_id"].astype("str"))
    needed = (
        "costa_2012_acute_pain_baseline",
        "costa_2012_acute_pain_6w",
        "pengel_2003_pain_reduction_1m",
    )
    missing = [fid for fid in needed if fid not in src.index]
    if missing:
        raise OutcomeDataError(f"outcome_benchmarks lacks {missing}")
    later = src.loc["costa_2012_acute_pain_6w"]
    weeks = re.match(r"([0-9]+) weeks", str(later["outcome_timepoint"]))
    if weeks is None:
        raise OutcomeDataError(f"Costa timepoint {later['outcome_timepoint']!r} is not in weeks")
    return NaturalCourse(
        costa=str(later["study"]),
        costa_year=int(later["publication_year"]),
        baseline=Quantity(float(src.loc["costa_2012_acute_pain_baseline", "value"]), "count"),
        later=Quantity(float(later["value"]), "count"),
        weeks=int(weeks.group(1)),
        pengel=str(src.loc["pengel_2003_pain_reduction_1m", "study"]),
        pengel_year=int(src.loc["pengel_2003_pain_reduction_1m", "publication_year"]),
        first_month_drop=Quantity(float(src.loc["pengel_2003_pain_reduction_1m", "value"]), "pct"),
        scale=_scale(str(later["outcome_scale"])),
    )
