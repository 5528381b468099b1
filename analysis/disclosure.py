"""Disclosure control for the clinic's figures shown to viewers (DESIGN.md section 4).

Viewers of a shared link see aggregates only, and no figure based on fewer than 10 patients
(`RUGZICHT_MIN_CELL` changes the threshold). Pure functions: a table in, the same table out with
hidden values set to NA and two columns added, `suppressed` and `suppression_reason`.

The rules:

1. Primary suppression: every cell whose patient count is below the threshold (or missing) is
   hidden: its counts, shares, intervals and other values are set to NA. Reason: "fewer than 10
   patients".
2. Secondary suppression: the cells that split one total (every sex at session 5, say) are
   siblings. Where the total is shown and exactly one sibling is hidden, that sibling's counts
   could be worked back as the total minus the shown siblings (and its responders as the
   total's responders minus theirs). So the shown sibling with the smallest count is hidden too
   (ties: the first in table order), and this repeats until no sibling set with a shown total
   has exactly one hidden cell. Reason: "secondary: would reveal a hidden cell". Two or more
   hidden siblings reveal only their sum. (If a hidden cell had no shown sibling to pair with,
   which complete groups cannot produce, the whole slice, total included, is hidden.)
3. Kaplan-Meier curves are cumulative: a hidden point between two shown ones could be
   recomputed from them and the counts at risk. A curve is therefore cut where it is first
   hidden: every later point of that curve is hidden too ("secondary"), and rules 1-2 are
   applied again until nothing changes. A point is primary-suppressed when fewer than the
   threshold number of patients are still at risk. A curve whose tail is hidden is continued
   with hidden rows to the end of the table, so a curve that ended (nobody left at risk) looks
   the same as a hidden one; a curve whose last point is shown simply ends, since the viewer
   can see that nobody is left.

Empty cells count as cells: the outcome tables list every group at every session (with zero
counts where there is nobody), so after suppression an empty cell and a hidden one look alike.

4. Across views (`suppress_lattice`): every public clinic figure is cut from one protected
   source holding every filter combination a link can ask for (sex, age band, start year,
   complaint group). Along each filter, the "all" view is a total and the views of its values
   are parts; patients whose sex or age is unknown are in the total and in no part. Where a
   total is shown, a viewer can subtract the shown parts from it; that remainder must be 0 or
   at least the threshold, for the patient and the episode counts alike, or the smallest shown
   part is hidden too (then the total). Curves are cut where first hidden, as in rule 3. This is
   cell suppression with complementary suppression over the whole lattice of views (the
   approach of statistical offices' table families; Hundepool et al., Statistical Disclosure
   Control, 2012, ch. 4), checked by `lattice_leaks` from the shown cells alone.

5. Across tables (`analysis.clinic_view.protect`): a figure two tables both show (the patients
   with a visit at a session, or at risk at a session) is hidden in both when hidden in either;
   the public Kaplan-Meier table carries no per-session responses or censored counts (with two
   sessions' counts at risk they would give the next, hidden, count); a median is shown only
   when it and its interval are read off shown points of its curve.

What the rules do not cover: combinations of views that are not along one filter (a linear
system across several filters at once), and the changes between two shown sessions of a table
(how many stopped or responded between them), which the curves show by design.
"""

from __future__ import annotations

import heapq
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

ENV_MIN_CELL = "RUGZICHT_MIN_CELL"
DEFAULT_MIN_CELL = 10
SECONDARY = "secondary: would reveal a hidden cell"
TOTAL_LABEL = "all"
# Columns that locate a cell rather than describe it; never blanked.
KEY_COLUMNS = frozenset({"session"})


def min_cell_size(default: int = DEFAULT_MIN_CELL) -> int:
    """The suppression threshold: `RUGZICHT_MIN_CELL` from the environment, else `default`."""
    raw = os.environ.get(ENV_MIN_CELL)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ValueError(f"{ENV_MIN_CELL} must be a whole number >= 1, got {raw!r}") from None
    return _check_threshold(value)


def _check_threshold(threshold: int) -> int:
    if isinstance(threshold, bool) or not isinstance(threshold, int | np.integer):
        raise ValueError(f"the threshold must be a whole number >= 1, got {threshold!r}")
    if threshold < 1:
        raise ValueError(f"the threshold must be at least 1, got {threshold}")
    return int(threshold)


def primary_reason(threshold: int) -> str:
    """The reason text of a primary suppression: 'fewer than 10 patients'."""
    return f"fewer than {threshold} patient{'' if threshold == 1 else 's'}"


# --------------------------------------------------------------------------- the masks


def _masks(
    table: pd.DataFrame,
    count_col: str,
    threshold: int,
    group_cols: Sequence[str],
    slice_cols: Sequence[str],
    totals: pd.Series,
    hidden: np.ndarray,
    reason: np.ndarray,
    known_zero: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Apply rules 1 and 2 on top of `hidden` / `reason` (arrays, updated copies returned).

    Rows in `known_zero` are cells a viewer knows to be empty (a Kaplan-Meier curve after its
    last shown point with nobody left at risk): they are neither hidden nor siblings.
    """
    hidden, reason = hidden.copy(), reason.copy()
    if known_zero is None:
        known_zero = np.zeros(len(table), dtype=bool)
    count = pd.to_numeric(table[count_col]).astype("Float64").fillna(0).to_numpy("float64")
    small = (count < threshold) & ~hidden & ~known_zero
    hidden[small] = True
    reason[small] = primary_reason(threshold)

    is_total = totals.to_numpy(dtype=bool)
    if not is_total.any():
        return hidden, reason
    positions = np.arange(len(table))
    slice_key = _keys(table, slice_cols)
    set_key = _keys(table, [*slice_cols, *group_cols])
    total_pos: dict[tuple, list[int]] = {}
    for pos in positions[is_total]:
        total_pos.setdefault(slice_key[pos], []).append(pos)
    sets: dict[tuple, list[int]] = {}
    for pos in positions[~is_total & ~known_zero]:
        sets.setdefault(set_key[pos], []).append(pos)

    changed = True
    while changed:
        changed = False
        for key, members in sets.items():
            tot = total_pos.get(key[: len(slice_cols)], [])
            if not any(not hidden[t] for t in tot):
                continue
            hid = [m for m in members if hidden[m]]
            if len(hid) != 1:
                continue
            shown = [m for m in members if not hidden[m]]
            if shown:
                pick = min(shown, key=lambda m: (count[m], m))
                hidden[pick] = True
                reason[pick] = SECONDARY
            else:
                for pos in positions[[k == key[: len(slice_cols)] for k in slice_key]]:
                    if not hidden[pos]:
                        hidden[pos] = True
                        reason[pos] = SECONDARY
            changed = True
    return hidden, reason


def _keys(table: pd.DataFrame, cols: Sequence[str]) -> list[tuple]:
    if not cols:
        return [()] * len(table)
    return list(table[list(cols)].astype("object").itertuples(index=False, name=None))


def _setup(table, count_col, threshold, group_cols, slice_cols, total_rows):
    threshold = min_cell_size() if threshold is None else _check_threshold(threshold)
    if count_col not in table.columns:
        raise KeyError(f"count column {count_col!r} not in the table {list(table.columns)}")
    if group_cols is None:
        group_cols = ("group_by",) if "group_by" in table.columns else ()
    missing = [c for c in (*group_cols, *slice_cols) if c not in table.columns]
    if missing:
        raise KeyError(f"column(s) {missing} not in the table {list(table.columns)}")
    if total_rows is None:
        if "group_by" in table.columns:
            total_rows = table["group_by"] == TOTAL_LABEL
        else:
            total_rows = pd.Series(False, index=table.index)
    total_rows = pd.Series(total_rows, index=table.index).fillna(False).astype(bool)
    if "suppressed" in table.columns:
        hidden = table["suppressed"].fillna(False).to_numpy(dtype=bool)
        reason = table["suppression_reason"].astype("object").to_numpy()
        reason = np.where(hidden, reason, None)
    else:
        hidden = np.zeros(len(table), dtype=bool)
        reason = np.full(len(table), None, dtype=object)
    return threshold, tuple(group_cols), tuple(slice_cols), total_rows, hidden, reason


def _blank(
    table: pd.DataFrame,
    hidden: np.ndarray,
    reason: np.ndarray,
    keep: Sequence[str],
    value_cols: Sequence[str] | None,
) -> pd.DataFrame:
    out = table.drop(columns=["suppressed", "suppression_reason"], errors="ignore")
    if value_cols is None:
        value_cols = [
            c
            for c in out.columns
            if c not in keep
            and c not in KEY_COLUMNS
            and (pd.api.types.is_numeric_dtype(out[c]) or pd.api.types.is_bool_dtype(out[c]))
        ]
    mask = pd.Series(hidden, index=out.index)
    for col in value_cols:
        series = out[col]
        if pd.api.types.is_bool_dtype(series):
            series = series.astype("boolean")
        elif pd.api.types.is_integer_dtype(series):
            series = series.astype("Int64")
        out[col] = series.mask(mask)
    out["suppressed"] = hidden
    out["suppression_reason"] = pd.Series(
        np.where(hidden, reason, None), index=out.index, dtype="str"
    )
    return out


# --------------------------------------------------------------------------- public


def suppress(
    table: pd.DataFrame,
    count_col: str = "n_patients",
    threshold: int | None = None,
    *,
    group_cols: Sequence[str] | None = None,
    slice_cols: Sequence[str] = (),
    total_rows: pd.Series | None = None,
    value_cols: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Hide every cell based on fewer than `threshold` patients, and the cells that would let a
    viewer work a hidden one back from a total (rules 1 and 2 of the module docstring).

    - `count_col`: the number of patients a row is based on.
    - `threshold`: default `min_cell_size()` (env `RUGZICHT_MIN_CELL`, else 10).
    - `total_rows`: boolean mask of the rows that are totals; default `group_by == "all"` when
      the table has a `group_by` column, else none (then only rule 1 applies).
    - `slice_cols`: columns that split the table into independent parts, each with its own
      total (e.g. `("outcome", "session")`).
    - `group_cols`: columns that, within a slice, say which sibling set a non-total row belongs
      to; default `("group_by",)` when present (all sexes form one set, all age bands another).
    - `value_cols`: the columns to blank; default every numeric or boolean column except the
      group, slice and key columns (`session`), so counts, shares and intervals all go.

    Rows already marked `suppressed` stay hidden. Returns a copy with the hidden values NA
    (integer columns become nullable Int64), plus `suppressed` (bool) and `suppression_reason`
    (NA where shown).
    """
    threshold, group_cols, slice_cols, totals, hidden, reason = _setup(
        table, count_col, threshold, group_cols, slice_cols, total_rows
    )
    hidden, reason = _masks(
        table, count_col, threshold, group_cols, slice_cols, totals, hidden, reason
    )
    keep = [*group_cols, *slice_cols, "group"]
    return _blank(table, hidden, reason, keep, value_cols)


def suppress_shares(table: pd.DataFrame, threshold: int | None = None) -> pd.DataFrame:
    """`suppress` for `outcomes.response_by_session_share` (slices: outcome and session).

    Also fits `outcomes.website_claim_check`, which has no total rows: there only rule 1
    applies (to the patients who reached the session, or who were still at risk at it).
    """
    slices = [c for c in ("outcome", "session") if c in table.columns]
    return suppress(table, "n_patients", threshold, slice_cols=slices)


def suppress_pain_by_session(table: pd.DataFrame, threshold: int | None = None) -> pd.DataFrame:
    """`suppress` for `outcomes.pain_by_session`: a session's cell with fewer than `threshold`
    patients is hidden, and siblings per rule 2 (slices: session)."""
    return suppress(table, "n_patients", threshold, slice_cols=("session",))


def suppress_medians(table: pd.DataFrame, threshold: int | None = None) -> pd.DataFrame:
    """`suppress` for `outcomes.median_sessions_to_response` (patients in the curve)."""
    slices = [c for c in ("outcome",) if c in table.columns]
    return suppress(table, "n_patients", threshold, slice_cols=slices)


def suppress_km(km: pd.DataFrame, threshold: int | None = None) -> pd.DataFrame:
    """Suppression for `outcomes.km_response`: a point is hidden where fewer than `threshold`
    patients are at risk (`n_patients_at_risk`), siblings per rule 2 within each session, and
    each curve is cut where it is first hidden (rule 3).

    A hidden point keeps its row (session, group) with NA values, so a chart can stop the line
    there or drop it. A curve whose tail is hidden is continued with hidden rows up to the last
    session of the table's longest curve, so that a viewer cannot tell a curve that ended (no
    one left at risk) from one that was hidden; otherwise the ended curve would count as a
    known zero and the hidden one could be worked back from the total. A curve whose last point
    is shown ends there (everyone left was a response or censored, which the viewer sees).
    """
    slices = tuple(c for c in ("outcome", "session") if c in km.columns)
    count_col = "n_patients_at_risk"
    table, is_pad = _pad_curves(km)
    threshold, group_cols, slices, totals, hidden, reason = _setup(
        table, count_col, threshold, None, slices, None
    )
    codes = _curve_codes(table)
    order = np.lexsort((table["session"].to_numpy(), codes))
    last_real = pd.Series(np.arange(len(table)))[~is_pad].groupby(codes[~is_pad]).max()
    # Rule 1 on the real points first, so that a curve whose last point is hidden never has
    # its continuation taken for a known zero.
    count = pd.to_numeric(table[count_col]).astype("Float64").fillna(0).to_numpy("float64")
    small = ~is_pad & ~hidden & (count < threshold)
    hidden[small] = True
    reason[small] = primary_reason(threshold)

    def known_zeros() -> np.ndarray:
        shown_end = ~hidden[last_real.to_numpy()]
        return is_pad & np.isin(codes, last_real.index.to_numpy()[shown_end])

    known_zero = known_zeros()
    while True:
        hidden, reason = _masks(
            table, count_col, threshold, group_cols, slices, totals, hidden, reason, known_zero
        )
        before = hidden[order]
        cut = pd.Series(before).groupby(codes[order]).cummax().to_numpy(dtype=bool)
        newly = order[cut & ~before & ~known_zero[order]]
        hidden[newly] = True
        reason[newly] = SECONDARY
        # A curve whose last point has just been hidden is continued (rule 3's note).
        was, known_zero = known_zero, known_zeros()
        if not len(newly) and (was == known_zero).all():
            break
    keep = [*group_cols, *slices, "group"]
    out = _blank(table, hidden, reason, keep, None)
    return out[~known_zero].reset_index(drop=True)


def _curve_codes(km: pd.DataFrame) -> np.ndarray:
    cols = [c for c in ("group_by", "group", "outcome") if c in km.columns]
    return pd.factorize(pd.Series(_keys(km, cols), dtype="object"))[0]


def _pad_curves(km: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Every curve continued (n = 0, values NA) up to the last session of its outcome."""
    if km.empty:
        return km.reset_index(drop=True), np.zeros(0, dtype=bool)
    cols = [c for c in ("group_by", "group", "outcome") if c in km.columns]
    by_outcome = ["outcome"] if "outcome" in km.columns else []
    end = km.groupby(by_outcome)["session"].transform("max") if by_outcome else km["session"].max()
    ends = (
        km.assign(_end=end)
        .groupby(cols, sort=False)
        .agg(last=("session", "max"), end=("_end", "max"))
    )
    pads = []
    for key, row in ends.iterrows():
        if row["end"] > row["last"]:
            key = key if isinstance(key, tuple) else (key,)
            sessions = range(int(row["last"]) + 1, int(row["end"]) + 1)
            pads.append(
                pd.DataFrame({**dict(zip(cols, key, strict=True)), "session": list(sessions)})
            )
    table = km.reset_index(drop=True)
    if not pads:
        return table, np.zeros(len(table), dtype=bool)
    pad = pd.concat(pads, ignore_index=True)
    for col in table.columns:
        if col in pad.columns:
            continue
        if col.startswith("n_"):
            pad[col] = 0
        else:
            pad[col] = np.nan
    pad = pad[table.columns].astype(
        {c: table[c].dtype for c in table.columns if c.startswith("n_") or c in cols}
    )
    out = pd.concat([table, pad], ignore_index=True)
    is_pad = np.r_[np.zeros(len(table), dtype=bool), np.ones(len(pad), dtype=bool)]
    order = np.lexsort((out["session"].to_numpy(), _curve_codes(out)))
    return out.iloc[order].reset_index(drop=True), is_pad[order]


# --------------------------------------------------------------------------- across every view


def suppress_lattice(
    table: pd.DataFrame,
    *,
    count_cols: Sequence[str],
    line_dims: Sequence[str],
    cell_cols: Sequence[str],
    curve_cols: Sequence[str] | None = None,
    threshold: int | None = None,
    total: str = TOTAL_LABEL,
    hidden: np.ndarray | None = None,
    reason: np.ndarray | None = None,
) -> pd.DataFrame:
    """Suppression over the whole family of views a viewer can open (rule 4).

    `table` holds one row per cell of every view: the view's filter values in `line_dims`
    (`total`, "all", for no filter), the cell's own keys in `cell_cols` (group, session, ...)
    and its counts in `count_cols` (the first is the one the threshold applies to). A *line* is
    a set of rows that differ only in one of the `line_dims`: its "all" row is a total and the
    others are parts, and the parts do not add up to the total when some patients are in no
    part (sex or age unknown). Along every line whose total is shown, what a viewer can work
    out by subtraction is the total minus the shown parts, for each count column; a cell is
    hidden until that remainder is either 0 or at least the threshold (the smallest shown part
    is hidden next; with no part left to hide, the total). With `curve_cols`, the rows of one
    curve (the same view and `curve_cols`) are cut where first hidden, as in rule 3. The rules
    repeat until nothing changes, then values are blanked as in `suppress`. `hidden` and
    `reason` (arrays over the rows) start the rules from cells already hidden for another cause
    (the same figure hidden in another table).
    """
    threshold = min_cell_size() if threshold is None else _check_threshold(threshold)
    table = table.reset_index(drop=True)
    plan = lattice_plan(
        table,
        count_cols=count_cols,
        line_dims=line_dims,
        cell_cols=cell_cols,
        curve_cols=curve_cols,
        total=total,
    )
    hidden, reason = lattice_masks(plan, threshold, hidden, reason)
    return _blank(table, hidden, reason, [*line_dims, *cell_cols], None)


@dataclass(frozen=True)
class LatticePlan:
    """What the rules of `suppress_lattice` need of a table, worked out once (a caller that
    applies them repeatedly, `analysis.clinic_view.protect`, keeps it): the counts, every line
    (its total's row and its parts' rows, `members[offsets[i]:offsets[i + 1]]`, in the order
    the rules visit them: by dimension, then by the total's row), the lines each row is in
    (`row_lines[row_offsets[r]:row_offsets[r + 1]]`) and the curves."""

    counts: np.ndarray  # rows x count columns, missing as 0
    totals: np.ndarray
    members: np.ndarray
    offsets: np.ndarray
    row_lines: np.ndarray
    row_offsets: np.ndarray
    curves: tuple[np.ndarray, np.ndarray] | None  # curve code per row, rows by curve & session

    @cached_property
    def lists(self) -> tuple[list, ...]:
        """The plan as Python lists, for the one-cell-at-a-time part of the rules (indexing a
        list is many times quicker than indexing an array, cell by cell): each count column,
        totals, members, offsets, row_lines, row_offsets."""
        return (
            [column.tolist() for column in self.counts.T],
            self.totals.tolist(),
            self.members.tolist(),
            self.offsets.tolist(),
            self.row_lines.tolist(),
            self.row_offsets.tolist(),
        )


def lattice_plan(
    table: pd.DataFrame,
    *,
    count_cols: Sequence[str],
    line_dims: Sequence[str],
    cell_cols: Sequence[str],
    curve_cols: Sequence[str] | None = None,
    total: str = TOTAL_LABEL,
) -> LatticePlan:
    """The `LatticePlan` of `table` (rows by position; see `suppress_lattice`)."""
    counts = np.column_stack(
        [table[c].astype("float64").fillna(0).to_numpy() for c in count_cols]
    ).reshape(len(table), len(count_cols))
    column_codes = {col: _column_codes(table[col]) for col in {*line_dims, *cell_cols}}
    totals, members, sizes = [], [], []
    for dim in line_dims:
        others = [column_codes[d] for d in line_dims if d != dim]
        others += [column_codes[c] for c in cell_cols]
        is_total = (table[dim].astype(str) == total).to_numpy()
        line_totals, line_members, line_sizes = _lines(_combined(others, len(table)), is_total)
        totals.append(line_totals)
        members.append(line_members)
        sizes.append(line_sizes)
    totals = np.concatenate(totals) if totals else np.zeros(0, dtype="int64")
    members = np.concatenate(members) if members else np.zeros(0, dtype="int64")
    sizes = np.concatenate(sizes) if sizes else np.zeros(0, dtype="int64")
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype("int64")
    # Each row's lines: those it is a part of, and those it is the total of.
    rows = np.concatenate([members, totals])
    lines = np.concatenate([np.repeat(np.arange(len(totals)), sizes), np.arange(len(totals))])
    order = np.argsort(rows, kind="stable")
    row_offsets = np.searchsorted(rows[order], np.arange(len(table) + 1))
    curves = None
    if curve_cols is not None:
        codes = _codes(table, [*line_dims, *curve_cols])
        curves = (codes, np.lexsort((table["session"].to_numpy(), codes)))
    return LatticePlan(counts, totals, members, offsets, lines[order], row_offsets, curves)


def lattice_masks(
    plan: LatticePlan,
    threshold: int,
    hidden: np.ndarray | None = None,
    reason: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Rule 4 (and rule 3 along curves) on a planned table: which rows are hidden and why,
    starting from `hidden` / `reason` (see `suppress_lattice`). The lines are visited one after
    the other (a cell hidden on one line changes the lines after it); which lines are unsafe is
    kept up to date by re-checking only the lines of each newly hidden cell."""
    n = len(plan.counts)
    first = plan.counts[:, 0]
    small = first < threshold
    given = np.zeros(n, dtype=bool) if hidden is None else np.asarray(hidden, dtype=bool)
    reason = np.full(n, None, dtype=object) if reason is None else np.array(reason, dtype=object)
    reason = np.where(small & ~given, primary_reason(threshold), reason).astype(object)
    hidden = small | given
    every_line = np.arange(len(plan.totals))
    changed = True
    while changed:
        unsafe = _unsafe(plan, hidden, threshold, every_line)
        picks = _secondary(plan, hidden, threshold, np.flatnonzero(unsafe).tolist())
        hidden[picks] = True
        reason[picks] = SECONDARY
        changed = bool(picks)
        if plan.curves is not None:
            codes, order = plan.curves
            newly = order[_running_any(hidden[order], codes[order]) & ~hidden[order]]
            if len(newly):
                hidden[newly] = True
                reason[newly] = SECONDARY
                changed = True
    return hidden, reason


def _secondary(plan: LatticePlan, hidden: np.ndarray, threshold: int, unsafe: list[int]):
    """One pass of rule 4 over the lines, from the `unsafe` ones (ascending): on each unsafe
    line in turn, the smallest shown part with patients is hidden (else the smallest shown
    part, else the total), and the lines of that cell are checked again; a line that becomes
    unsafe is visited in this pass when it comes after the current one. Returns the cells
    hidden, in order (a cell by cell loop: each choice depends on the ones before it)."""
    counts, totals, members, offsets, row_lines, row_offsets = plan.lists
    first = counts[0]
    shown_now = (~hidden).tolist()
    flags = [False] * len(totals)
    for line in unsafe:
        flags[line] = True

    def is_unsafe(line: int) -> bool:
        total = totals[line]
        if not shown_now[total]:
            return False
        parts = [m for m in members[offsets[line] : offsets[line + 1]] if shown_now[m]]
        for values in counts:
            remainder = values[total] - sum(values[m] for m in parts)
            if 0 < remainder < threshold:
                return True
        return False

    picks: list[int] = []
    later: list[int] = []  # lines that became unsafe after the current one (a heap)
    at = 0
    current = -1
    while True:
        while at < len(unsafe) and (unsafe[at] <= current or not flags[unsafe[at]]):
            at += 1
        while later and (later[0] <= current or not flags[later[0]]):
            heapq.heappop(later)
        if at < len(unsafe) and (not later or unsafe[at] <= later[0]):
            line = unsafe[at]
        elif later:
            line = later[0]
        else:
            return picks
        shown = [m for m in members[offsets[line] : offsets[line + 1]] if shown_now[m]]
        candidates = [m for m in shown if first[m] > 0] or shown
        pick = min(candidates, key=lambda m: (first[m], m)) if candidates else totals[line]
        shown_now[pick] = False
        picks.append(pick)
        for touched in row_lines[row_offsets[pick] : row_offsets[pick + 1]]:
            flags[touched] = is_unsafe(touched)
            if flags[touched] and touched > line:
                heapq.heappush(later, touched)
        current = line


def _running_any(flags: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Whether any of `flags` so far holds within each run of equal `codes` (groupby's cummax
    of booleans, for groups that are contiguous)."""
    if not len(flags):
        return flags.copy()
    position = np.arange(len(flags))
    start = np.maximum.accumulate(np.where(_starts(codes), position, 0))
    total = np.cumsum(flags)
    return total - total[start] + flags[start] > 0


def _starts(codes: np.ndarray) -> np.ndarray:
    """Whether each element starts a run of equal values (True for the first)."""
    new = np.ones(len(codes), dtype=bool)
    new[1:] = codes[1:] != codes[:-1]
    return new


def _unsafe(plan: LatticePlan, hidden: np.ndarray, threshold: int, lines: np.ndarray):
    """Whether each of `lines` has its total shown and, for some count, a total minus its
    shown parts between 0 and the threshold (exclusive): what a viewer could work out."""
    if not len(lines):
        return np.zeros(0, dtype=bool)
    sizes = plan.offsets[lines + 1] - plan.offsets[lines]
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    within = np.arange(int(sizes.sum())) - np.repeat(starts - plan.offsets[lines], sizes)
    members = plan.members[within]
    shown = np.where(~hidden[members][:, None], plan.counts[members], 0.0)
    remainder = plan.counts[plan.totals[lines]] - np.add.reduceat(shown, starts, axis=0)
    small = ((remainder > 0) & (remainder < threshold)).any(axis=1)
    return ~hidden[plan.totals[lines]] & small


def _codes(table: pd.DataFrame, cols: Sequence[str]) -> np.ndarray:
    """A number per row, the same for rows with equal values in `cols`."""
    if not cols:
        return np.zeros(len(table), dtype="int64")
    return (
        table.groupby(list(cols), sort=False, dropna=False, observed=True)
        .ngroup()
        .to_numpy(dtype="int64")
    )


def _line_index(
    table: pd.DataFrame, dim: str, line_dims: Sequence[str], cell_cols: Sequence[str], total: str
) -> tuple[list[int], list[np.ndarray]]:
    """For one dimension: each line's total row and its part rows (positions in `table`), the
    lines in the order of their totals' rows."""
    others = [d for d in line_dims if d != dim] + list(cell_cols)
    others = [_column_codes(table[c]) for c in others]
    is_total = (table[dim].astype(str) == total).to_numpy()
    totals, members, sizes = _lines(_combined(others, len(table)), is_total)
    return totals.tolist(), np.split(members, np.cumsum(sizes)[:-1]) if len(sizes) else []


def _column_codes(values: pd.Series) -> np.ndarray:
    """A number per row, the same for equal values (missing values alike: 0)."""
    return pd.factorize(values)[0].astype("int64") + 1


def _combined(codes: Sequence[np.ndarray], n: int) -> np.ndarray:
    """A number per row, the same for rows equal in every one of `codes` (any numbering)."""
    key, size = np.zeros(n, dtype="int64"), 1
    for code in codes:
        width = int(code.max(initial=0)) + 1
        if size * width >= 1 << 62:  # renumber before the product could overflow
            key = pd.factorize(key)[0].astype("int64")
            size = int(key.max(initial=0)) + 1
        key, size = key * width + code, size * width
    return key


def _lines(key: np.ndarray, is_total: np.ndarray):
    """Along one dimension (`key`: equal for rows that differ only in it): each line's total
    row, its part rows (ascending, concatenated) and their number, the lines in the order the
    totals first appear. A key's total is its last total row; a key with no parts has no line."""
    positions = np.arange(len(key))
    total_key, total_row = key[is_total], positions[is_total]
    distinct, first = np.unique(total_key, return_index=True)
    _, from_end = np.unique(total_key[::-1], return_index=True)
    last = len(total_key) - 1 - from_end
    by_first = np.argsort(first)
    total_key, total_row = distinct[by_first], total_row[last[by_first]]
    order = np.argsort(key[~is_total], kind="stable")
    part_key, part_row = key[~is_total][order], positions[~is_total][order]
    starts = np.flatnonzero(_starts(part_key))
    sizes = np.diff(np.append(starts, len(part_key)))
    at = np.searchsorted(part_key[starts], total_key)
    has_parts = at < len(starts)
    has_parts[has_parts] = part_key[starts[at[has_parts]]] == total_key[has_parts]
    at = at[has_parts]
    sizes = sizes[at]
    within = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    members = part_row[np.repeat(starts[at], sizes) + within]
    return total_row[has_parts], members, sizes


def lattice_leaks(
    table: pd.DataFrame,
    *,
    count_cols: Sequence[str],
    line_dims: Sequence[str],
    cell_cols: Sequence[str],
    threshold: int,
    total: str = TOTAL_LABEL,
) -> list[dict]:
    """What a viewer could work out by subtraction from the *shown* cells of every view: each
    line whose total is shown and whose remainder (total minus shown parts) is between 0 and the
    threshold, for any count column. Empty when the suppression holds. Reads only what is shown
    (hidden cells are NA), so it is the viewer's view of the published tables."""
    shown = ~table["suppressed"].astype(bool).to_numpy()
    leaks = []
    for dim in line_dims:
        totals, parts = _line_index(table, dim, line_dims, cell_cols, total)
        for total_pos, members in zip(totals, parts, strict=True):
            if not shown[total_pos]:
                continue
            visible = [m for m in members if shown[m]]
            for col in count_cols:
                values = table[col].astype("float64").to_numpy()
                remainder = values[total_pos] - np.nansum(values[visible])
                if 0 < remainder < threshold:
                    leaks.append(
                        {
                            "dimension": dim,
                            "column": col,
                            "remainder": remainder,
                            "total": table.iloc[total_pos][[*line_dims, *cell_cols]].to_dict(),
                        }
                    )
    return leaks
