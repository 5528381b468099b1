"""What anyone who opens a shared link may see of the clinic's records: aggregates only.

Every clinic figure on a public page (the outcomes page, the overview, exports) goes through
`public_outcomes()`, which cuts the chosen view from the protected source: the outcome tables of
every view a link can ask for (`analysis.outcome_lattice`), after disclosure control across all
of them at once (`analysis.disclosure`): a figure based on fewer patients than the threshold is
hidden, with secondary suppression. No patient-level row leaves this module.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from analysis import disclosure, outcomes
from analysis.outcome_lattice import (  # noqa: F401 (periods: also used through here)
    VIEW_DIMS,
    TimeAxis,
    _durations,
    outcome_lattice,
    periods,
)
from analysis.vocabulary import ALL


@dataclass(frozen=True)
class PublicOutcomes:
    """The suppressed aggregates a viewer may see, and how many patients lie behind them."""

    pain: pd.DataFrame
    km: pd.DataFrame
    claims: pd.DataFrame  # the rows of `responses` where the website makes a claim
    medians: pd.DataFrame
    n_patients: int | None  # None: the selection is too small to say (or would reveal one)
    n_episodes: int | None
    threshold: int
    is_demo: bool
    # The share responded by sessions 5 and 10 of every group, counted three ways
    # (outcomes.response_table), the new episodes per month or quarter (outcomes.intake_table,
    # `intake_resolution` says which) and the responder share per start quarter
    # (outcomes.quarterly_response), all for the chosen group only.
    responses: pd.DataFrame | None = None
    intake: pd.DataFrame | None = None
    intake_resolution: str = "quarter"
    pre_covid_year: int | None = None
    quarters: pd.DataFrame | None = None
    # Observed mean pain by week since the first visit against the natural course expected
    # from the inception cohorts (natural_course.observed_vs_expected), for the chosen group.
    course: pd.DataFrame | None = None
    # What these aggregates were cut from and how (the protected source's key, the filters):
    # equal keys, equal aggregates. A cache key far cheaper than hashing the tables.
    key: tuple = field(default=(), compare=False)

    @property
    def verdicts(self) -> tuple[outcomes.ClaimVerdict, ...]:
        """Whether each website claim holds, from the shown conservative figures."""
        return outcomes.claim_verdicts(self.claims)


def filter_episodes(
    ep: pd.DataFrame, *, sex: str = "all", age_band: str = "all", period: str = "all"
) -> pd.DataFrame:
    """Episodes of one sex, age band and start year ('all' keeps everyone)."""
    keep = pd.Series(True, index=ep.index)
    if sex != "all":
        keep &= ep["sex"] == sex
    if age_band != "all":
        keep &= ep["age_band"] == age_band
    if period != "all":
        keep &= ep["period"] == str(period)
    return ep if keep.all() else ep[keep]  # copy-on-write: no copy needed when all stay


# How each public table is protected: its count columns (the first carries the threshold), the
# columns of a cell within a view, (for curves) the columns of one curve, and the columns
# besides the view's filters along which an "all" row is the total of the others.
TABLES = {
    "pain": (("n_patients", "n_episodes"), ("group_by", "group", "session"), None, ()),
    "km": (
        ("n_patients_at_risk", "n_at_risk"),
        ("group_by", "group", "outcome", "session"),
        ("group_by", "group", "outcome"),
        (),
    ),
    "claims": (
        ("n_patients", "n_episodes"),
        ("claim", "is_claim", "complaint_duration", "session", "outcome", "method"),
        None,
        (),
    ),
    "medians": (("n_patients", "n_episodes"), ("group_by", "group", "outcome"), None, ()),
    "selection": (("n_patients", "n_episodes"), (), None, ("group",)),
    "intake": (("n_patients", "n_episodes"), (), None, ("group", "bucket")),
    "quarters": (("n_patients", "n_episodes"), (), None, ("group", "quarter")),
    "course": (("n_patients", "n_episodes"), ("group", "cohort", "week"), None, ()),
}


@dataclass(frozen=True)
class ProtectedSource:
    """Every public clinic figure, for every filter combination a link can ask for, after
    suppression across all of them (`analysis.disclosure.suppress_lattice`): one table per kind,
    with the view's filters in VIEW_DIMS (and `group` for the selection counts)."""

    tables: dict[str, pd.DataFrame]
    threshold: int
    periods: tuple[str, ...]  # the start years offered to viewers (whole year shown)
    axis: TimeAxis | None = None
    key: tuple = ()  # the records' fingerprint and the threshold it was protected with


# Columns a viewer must not get from the Kaplan-Meier table: with the counts at risk of two
# shown sessions, the responses and the censored of the first give the next session's count at
# risk even when that one is hidden.
KM_PRIVATE = ("n_events", "n_censored")
SAME_FIGURE = "secondary: the same figure is hidden in another table"
FROM_HIDDEN = "secondary: depends on a hidden point of its curve"


def _figure_keys(name: str, table: pd.DataFrame) -> pd.Series:
    """Which underlying figure each row's count is: rows of different tables with the same key
    show the same number (patients with a visit at a session, or at risk at a session), so they
    must be hidden together."""

    def text(col: str) -> pd.Series:
        return table[col].astype(str)

    view = text("sex") + "|" + text("age_band") + "|" + text("period") + "|"
    if name == "pain":
        return view + text("group") + "|visit|" + text("session")
    if name == "selection":
        return view + text("group") + "|visit|1"
    if name == "km":
        return view + text("group") + "|risk|" + text("session")
    if name == "claims":
        # All started = the episodes at risk at session 1 (the Kaplan-Meier start).
        method = text("method")
        session = text("session")
        at = ("|risk|" + session).where(method != "complete_case", "|visit|" + session)
        at = at.where(method != "all_started", "|risk|1")
        return view + text("complaint_duration") + at
    if name == "intake":
        # The intake over all months is every episode: the selection's count.
        bucket = text("bucket")
        return view + text("group") + ("|intake|" + bucket).where(bucket != ALL, "|visit|1")
    if name == "course":
        # Week 0 holds every episode with a baseline above 0: those at risk at session 1.
        week = table["week"].astype(int).astype(str)
        return view + text("group") + ("|week|" + week).where(week != "0", "|risk|1")
    if name == "quarters":
        # The episodes of a start quarter that have ended are all of that quarter's intake when
        # every one has ended (and none has baseline 0): the same figure as the intake of the
        # quarter (when the intake is counted per quarter), so they are hidden together. The
        # "all" row (every ended episode) is its own figure.
        quarter = text("quarter")
        return view + text("group") + ("|intake|" + quarter).where(quarter != ALL, "|ended|all")
    if name == "medians":
        return view + text("group") + "|risk|1"
    raise KeyError(name)


def _quarter_months(quarters: pd.DataFrame, intake: pd.DataFrame) -> tuple[np.ndarray, ...]:
    """The pairs (quarter row, intake row) of a quarter and one of its months in the intake of
    the same view and group (none when the intake is counted per quarter: "2023Q1" rather than
    "2023-01")."""
    bucket = intake["bucket"].astype(str)
    is_month = bucket.str.fullmatch(r"\d{4}-\d{2}").to_numpy(dtype=bool)
    if not is_month.any():
        return np.zeros(0, dtype="int64"), np.zeros(0, dtype="int64")
    keys = [*VIEW_DIMS, "group"]
    months = intake.loc[is_month, keys].astype(str).reset_index(drop=True)
    # Each distinct month parsed once (a few dozen, not one per view and group).
    distinct = bucket[is_month].unique()
    quarter_of = dict(zip(distinct, pd.PeriodIndex(distinct, freq="Q").astype(str), strict=True))
    months["quarter"] = bucket[is_month].map(quarter_of).to_numpy()
    months["month_row"] = np.flatnonzero(is_month)
    rows = quarters[[*keys, "quarter"]].astype(str).assign(quarter_row=np.arange(len(quarters)))
    pairs = rows.merge(months, on=[*keys, "quarter"])
    return pairs["quarter_row"].to_numpy(), pairs["month_row"].to_numpy()


def _figure_codes(keys: dict[str, pd.Series]) -> dict[str, np.ndarray]:
    """The figure keys of every table as integer codes in one shared numbering (the same key,
    the same code), so hiding a figure everywhere is an array lookup."""
    names = list(keys)
    codes, _ = pd.factorize(pd.concat([keys[n] for n in names], ignore_index=True))
    out, start = {}, 0
    for name in names:
        out[name] = codes[start : start + len(keys[name])]
        start += len(keys[name])
    return out


def _medians_from_hidden(medians: pd.DataFrame, km: pd.DataFrame) -> np.ndarray:
    """Median rows that would be read off a hidden part of their curve: a median, or an end of
    its interval, at or after the curve's first hidden session, or 'not reached' on a curve
    with any hidden point."""
    keys = [*VIEW_DIMS, "group", "outcome"]
    hidden_from = km[km["suppressed"].astype(bool)].groupby(keys, observed=True)["session"].min()
    first = medians.set_index(keys).index.map(lambda k: hidden_from.get(k, np.inf))
    first = np.asarray(first, dtype="float64")
    values = medians[["median_sessions", "ci_low", "ci_high"]].astype("Float64")
    latest = values.max(axis=1, skipna=False).astype("float64").fillna(np.inf).to_numpy()
    reached = medians["is_median_reached"].fillna(False).astype(bool).to_numpy()
    return np.where(reached, latest >= first, np.isfinite(first))


def _shown_periods(selection: pd.DataFrame, present: tuple[str, ...]) -> tuple[str, ...]:
    """The start years a viewer may be offered: those whose whole-year selection is shown (a
    year with a handful of episodes is not even listed)."""
    whole = selection[
        (selection["sex"] == ALL) & (selection["age_band"] == ALL) & (selection["group"] == ALL)
    ]
    shown = set(whole.loc[~whole["suppressed"].astype(bool), "period"].astype(str))
    return tuple(p for p in present if p in shown)


def protect(visits: pd.DataFrame, threshold: int | None = None) -> ProtectedSource:
    """The protected source: every view's tables, suppressed across all views at once and
    across tables (a figure two tables both show is hidden in both), with no Kaplan-Meier
    counts that would let a hidden count at risk be worked out from the session before."""
    threshold = disclosure.min_cell_size() if threshold is None else threshold
    lattice, present, axis = outcome_lattice(visits, threshold)
    return suppress_source(lattice, present, axis, threshold)


def suppress_source(
    lattice: dict[str, pd.DataFrame], present: tuple[str, ...], axis: TimeAxis, threshold: int
) -> ProtectedSource:
    """The protected source from the unsuppressed tables of every view (`outcome_lattice`):
    the rules of `disclosure.suppress_lattice` on each table, and a figure hidden in one table
    hidden in every table that shows it, until nothing changes."""
    lattice = {name: table.reset_index(drop=True) for name, table in lattice.items()}
    lattice["km"] = lattice["km"].drop(columns=list(KM_PRIVATE))
    keys = _figure_codes({name: _figure_keys(name, table) for name, table in lattice.items()})
    n_figures = 1 + max((int(k.max()) for k in keys.values() if len(k)), default=0)
    plans = {
        name: disclosure.lattice_plan(
            lattice[name],
            count_cols=counts,
            line_dims=(*VIEW_DIMS, *totals),
            cell_cols=cells,
            curve_cols=curve,
        )
        for name, (counts, cells, curve, totals) in TABLES.items()
    }
    quarter_row, month_row = _quarter_months(lattice["quarters"], lattice["intake"])
    given = {name: np.zeros(len(table), dtype=bool) for name, table in lattice.items()}
    reasons = {name: np.full(len(table), None, dtype=object) for name, table in lattice.items()}
    masks: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    changed, stale = True, set(TABLES)
    while changed:
        # The masks depend only on a table's plan and the cells given to it: recomputed for the
        # tables given more cells in the last round.
        for name in TABLES:
            if name in stale:
                masks[name] = disclosure.lattice_masks(
                    plans[name], threshold, given[name], reasons[name]
                )
        hidden_figures = np.zeros(n_figures, dtype=bool)
        for name, (hidden, _) in masks.items():
            hidden_figures[keys[name][hidden]] = True
        changed, stale = False, set()
        for name, (hidden, _) in masks.items():
            shown = ~hidden
            extra = shown & hidden_figures[keys[name]]
            if name == "quarters":
                # With the intake per month, a quarter's ended episodes and two shown months
                # would give the third: a quarter is hidden when any of its months is.
                month_hidden = np.zeros(len(hidden), dtype=bool)
                month_hidden[quarter_row[masks["intake"][0][month_row]]] = True
                from_months = shown & ~extra & month_hidden
                reasons[name] = np.where(from_months, SAME_FIGURE, reasons[name])
                extra |= from_months
            if extra.any():
                reasons[name] = np.where(extra & pd.isna(reasons[name]), SAME_FIGURE, reasons[name])
                given[name] = given[name] | extra
                stale.add(name)
                changed = True
    out = {
        name: disclosure._blank(lattice[name], *masks[name], [*VIEW_DIMS, *totals, *cells], None)
        for name, (_, cells, _, totals) in TABLES.items()
    }
    # A median read off a hidden part of its curve is hidden last: its value, not its count
    # (the episodes at risk at session 1, shown elsewhere), so it hides nothing else.
    medians = out["medians"]
    hidden = medians["suppressed"].to_numpy(dtype=bool)
    off = ~hidden & _medians_from_hidden(medians, out["km"])
    if off.any():
        reason = medians["suppression_reason"].astype(object).to_numpy()
        out["medians"] = disclosure._blank(
            medians,
            hidden | off,
            np.where(off, FROM_HIDDEN, reason),
            [*VIEW_DIMS, *TABLES["medians"][1]],
            None,
        )
    return ProtectedSource(out, threshold, _shown_periods(out["selection"], present), axis)


_SOURCES: dict[tuple, ProtectedSource] = {}


def protected_source(visits: pd.DataFrame, threshold: int | None = None) -> ProtectedSource:
    """`protect(visits, threshold)` computed once per version of the records (a fingerprint of
    the visits) and threshold; the last two are kept."""
    threshold = disclosure.min_cell_size() if threshold is None else threshold
    key = (_fingerprint(visits), threshold)
    if key not in _SOURCES:
        if len(_SOURCES) >= 2:
            _SOURCES.pop(next(iter(_SOURCES)))
        _SOURCES[key] = replace(protect(visits, threshold), key=key)
    return _SOURCES[key]


def _fingerprint(visits: pd.DataFrame) -> tuple:
    """The visits' columns and a digest of every value the protected source is made from
    (SHA-256 of each such column's values in a canonical byte form; `outcome_lattice` reads
    only `outcomes.EPISODE_INPUTS`): equal tables, equal fingerprints, however pandas or Arrow
    happen to hold them. Hashing the bytes is several times quicker than per-row hashes."""
    digest = hashlib.sha256()
    for name in [c for c in visits.columns if c in outcomes.EPISODE_INPUTS]:
        column = visits[name]
        digest.update(f"{name!r}|{column.dtype}|".encode())
        for part in _column_digests(column):
            digest.update(part)
    return (len(visits), tuple(visits.columns), digest.hexdigest())


def _column_digests(column: pd.Series) -> list[bytes]:
    """SHA-256 digests that together fix a column's values: text held in Arrow by its
    validity, its lengths and its characters (each fed chunk by chunk, so the same text held
    in other chunks gives the same digests); numbers and dates by their bytes, with missing
    values in one form (NaN, or the mask and 0); anything else by pandas' per-row hashes."""
    array = column.array
    if outcomes._is_arrow_text(column):
        import pyarrow as pa

        arrow = pa.array(array)
        if arrow.type in (pa.string(), pa.large_string()):
            valid, lengths, text = hashlib.sha256(), hashlib.sha256(), hashlib.sha256()
            for chunk in getattr(arrow, "chunks", [arrow]):
                if len(chunk):
                    for digest, part in zip(
                        (valid, lengths, text), _text_parts(chunk), strict=True
                    ):
                        digest.update(part)
            return [valid.digest(), lengths.digest(), text.digest()]
    if isinstance(array, pd.arrays.IntegerArray | pd.arrays.FloatingArray | pd.arrays.BooleanArray):
        missing = column.isna().to_numpy()
        values = array.to_numpy(dtype=array.dtype.numpy_dtype, na_value=0)
        return [hashlib.sha256(missing).digest(), hashlib.sha256(values).digest()]
    values = column.to_numpy()
    if values.dtype.kind in "fmMiub":
        if values.dtype.kind == "f":
            values = np.where(np.isnan(values), np.nan, values)  # one NaN
        return [hashlib.sha256(np.ascontiguousarray(values)).digest()]
    hashed = pd.util.hash_pandas_object(column, index=False).to_numpy()
    return [hashlib.sha256(hashed).digest()]


def _text_parts(chunk) -> tuple:
    """An Arrow text array (not empty) as its validity (a byte per value), its values' lengths
    (int64) and its characters, with nothing behind a missing value."""
    import pyarrow as pa
    import pyarrow.compute as pc

    def offsets(array) -> np.ndarray:  # where each value starts, and where the last ends
        wide = pa.types.is_large_string(array.type)
        ends = np.frombuffer(array.buffers()[1], dtype="int64" if wide else "int32")
        return ends[array.offset : array.offset + len(array) + 1]

    is_valid = chunk.is_valid().to_numpy(zero_copy_only=False)
    ends = offsets(chunk)
    if chunk.null_count and np.diff(ends)[~is_valid].any():
        chunk = pc.fill_null(chunk, "")
        ends = offsets(chunk)
    data = chunk.buffers()[2]
    text = memoryview(data)[int(ends[0]) : int(ends[-1])] if data is not None else b""
    return is_valid, np.diff(ends).astype("int64"), text


def public_outcomes(
    visits: pd.DataFrame,
    *,
    group: str = "all",
    sex: str = "all",
    age_band: str = "all",
    period: str = "all",
    threshold: int | None = None,
    is_demo: bool = False,
) -> PublicOutcomes:
    """The outcome tables for the chosen filters, cut from the protected source, so that what
    any set of links shows together reveals no group below the threshold."""
    source = protected_source(visits, threshold)
    view = {"sex": sex, "age_band": age_band, "period": str(period)}

    def cut(name: str) -> pd.DataFrame:
        table = source.tables[name]
        keep = pd.Series(True, index=table.index)
        for col, value in view.items():
            keep &= table[col].astype(str) == value
        return table[keep].drop(columns=list(VIEW_DIMS)).reset_index(drop=True)

    durations = _durations(group)
    pain, km, medians = cut("pain"), cut("km"), cut("medians")
    responses = cut("claims")
    responses = responses[responses["complaint_duration"].isin(durations)].reset_index(drop=True)
    claims = responses[responses["is_claim"].astype(bool)].reset_index(drop=True)
    intake, quarters, course = cut("intake"), cut("quarters"), cut("course")
    selection = cut("selection")
    chosen = selection[selection["group"] == group].iloc[0] if len(selection) else None
    shown = chosen is not None and not bool(chosen["suppressed"])
    return PublicOutcomes(
        pain=pain[pain["group"].isin(durations)].reset_index(drop=True),
        km=km[km["group"].isin(durations)].reset_index(drop=True),
        claims=claims,
        medians=medians[medians["group"].isin(durations)].reset_index(drop=True),
        n_patients=int(chosen["n_patients"]) if shown else None,
        n_episodes=int(chosen["n_episodes"]) if shown else None,
        threshold=source.threshold,
        is_demo=is_demo,
        responses=responses,
        intake=intake[intake["group"] == group].reset_index(drop=True),
        intake_resolution=source.axis.resolution,
        pre_covid_year=source.axis.pre_covid_year,
        quarters=quarters[quarters["group"] == group].reset_index(drop=True),
        course=course[course["group"].isin(durations)].reset_index(drop=True),
        key=(*source.key, group, *view.values(), is_demo),
    )


def clinic_visits(db_path=None) -> tuple[pd.DataFrame, bool]:
    """The visits to analyse and whether they are the demo: the clinic's own imported records
    when the store holds any, else the synthetic demo export read through the same importer."""
    from analysis import clinic, demo

    store = clinic.ClinicStore(db_path or clinic.default_db_path())
    if store.has_data():
        return store.visits(), False
    result = clinic.read_export(demo.DEMO_PATH.read_bytes(), demo.DEMO_PATH.name)
    if not result.ok:
        raise ValueError(f"the demo export does not import cleanly:\n{result.problems}")
    return clinic.pseudonymise(result.visits, demo.DEMO_SECRET), True
