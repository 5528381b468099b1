"""The quicker ways the outcome analysis takes for a large clinic give what the plain ones gave:
the episodes' order and numbering (runs of sorted keys instead of sorting all text), the episode
summary (read off contiguous rows instead of grouped), the keys as codes for the lattice, the
distinct patients of the lattice (counted in parts instead of one concatenation), the
suppression's lines and its cell-by-cell rule, and the records' fingerprint. Each is compared
with the plain way (kept here as it was) on generated visits: sorted as the store lists them or
shuffled, text held in Arrow or as Python objects, same-day visits, gaps and episode ids that
sort differently as text and as numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import clinic_view, disclosure, outcome_lattice, outcomes
from tests.test_clinic_view_lattice import _reference_lines, reference_suppress_lattice

# ---------------------------------------------------------------- the plain ways, as they were


def plain_label_ranks(df, order, patient, gap_days):
    """`outcomes._label_ranks` before: every episode id's place among all ids (text sorted)."""
    n = len(df)
    rank = np.zeros(n, dtype="int64")
    has_id = df["episode_id"].notna().to_numpy()
    no_id = order[~has_id[order]]
    first_id_rank = 0
    if len(no_id):
        dates = df["visit_date"].array
        days = dates.asi8[no_id]
        limit = pd.Timedelta(days=gap_days) // pd.Timedelta(1, unit=dates.unit)
        new_patient = outcomes._run_starts(patient[no_id])
        gap = np.zeros(len(no_id), dtype=bool)
        gap[1:] = (days[1:] - days[:-1]) > limit
        gap &= ~new_patient
        total = np.cumsum(gap)
        run = total - total[np.maximum.accumulate(np.where(new_patient, np.arange(len(gap)), 0))]
        runs = int(run.max()) + 1
        as_text = np.empty(runs, dtype="int64")
        as_text[sorted(range(runs), key=str)] = np.arange(runs)
        rank[no_id] = as_text[run]
        first_id_rank = runs
    if has_id.any():
        codes, _ = pd.factorize(df.loc[has_id, "episode_id"].astype("str"), sort=True)
        rank[has_id] = first_id_rank + codes
    return rank, first_id_rank


def plain_episode_order(df, gap_days):
    """`outcomes._episode_order` before: factorize and sort everything."""
    n = len(df)
    patient, patients = pd.factorize(df["patient_key"], sort=True)
    days = df["visit_date"].array.asi8
    sn = df["_sn"]
    sn_missing = sn.isna().to_numpy()
    sn_value = sn.to_numpy(dtype="float64", na_value=0.0)
    if outcomes._is_sorted(patient, days):
        by_date = np.arange(n)
    else:
        by_date = np.lexsort((np.arange(n), sn_value, sn_missing, days, patient))
    rank, first_id_rank = plain_label_ranks(df, by_date, patient, gap_days)
    group_key = patient.astype("int64") * (int(rank.max(initial=0)) + 1) + rank
    keys, first_row, group = np.unique(group_key[by_date], return_index=True, return_inverse=True)
    g_patient = patient[by_date][first_row]
    g_rank = rank[by_date][first_row]
    g_first_day = days[by_date][first_row]
    episode_order = np.lexsort((g_rank, g_first_day, g_patient))
    episode_index = np.empty(len(keys), dtype="int64")
    episode_index[episode_order] = np.arange(len(keys))
    row_episode = episode_index[group]
    regroup = np.argsort(row_episode, kind="stable")
    ep_patient = g_patient[episode_order]
    ep_number = outcomes._within_run(outcomes._run_starts(ep_patient)) + 1
    ep_has_id = g_rank[episode_order] >= first_id_rank
    order, segment = by_date[regroup], row_episode[regroup]
    moved = not np.array_equal(order, np.arange(n))
    return outcomes._Order(
        order, segment, patient[order], patients, ep_patient, ep_number, ep_has_id, moved
    )


def plain_sessions(session_number, starts, segment):
    """`outcomes._sessions` before (the session numbers)."""
    given = session_number.to_numpy(dtype="float64", na_value=np.nan)
    derived = np.arange(len(given)) - starts[segment] + 1
    first = derived == 1
    step = np.full(len(given), np.nan)
    step[1:] = given[1:] - given[:-1]
    with np.errstate(invalid="ignore"):
        row_ok = np.where(first, given == 1, step > 0)
    consistent = np.zeros(len(starts), dtype=bool)
    if len(starts):
        consistent = np.logical_and.reduceat(row_ok & ~np.isnan(given), starts)
    use = consistent[segment]
    return np.where(use, np.round(np.where(use, given, 0)), derived).astype("int64")


def plain_episode_summary(ep):
    """`outcomes.episode_summary` before: every column by the groupby."""
    groups = ["complaint_duration", "sex", "age_band", "region", "period"]
    codes, keys = pd.factorize(ep["episode_key"])
    if (codes < 0).any():
        ep, codes = ep[codes >= 0], codes[codes >= 0]
    g = ep.groupby(codes, sort=False)
    out = outcomes._first_per_group(ep[["patient_key", *groups]], codes, g)
    out.index = pd.Index(keys, name="episode_key")
    out["first_visit"] = g["visit_date"].min().to_numpy()
    out["last_visit"] = g["visit_date"].max().to_numpy()
    out["n_visits"] = g.size().to_numpy()
    out["last_session"] = g["session"].max().to_numpy()
    out["baseline_pain"] = g["baseline_pain"].first().to_numpy()
    out["last_pain"] = g["pain_nrs"].last().to_numpy()
    out["is_baseline_zero"] = g["is_baseline_zero"].first().astype("bool").to_numpy()
    for flag, name in (
        ("is_responder", "first_response_session"),
        ("is_substantial", "first_substantial_session"),
    ):
        hit = ep["session"].where(ep[flag].fillna(False).astype(bool))
        out[name] = hit.groupby(codes, sort=False).min().astype("Int64").array
    out["is_responder_at_last_visit"] = (
        g["is_responder"].last().astype("boolean").mask(out["is_baseline_zero"].to_numpy()).array
    )
    return out.reset_index()


def plain_lattice_patients(filters, keys, episode, patient_of, level=None, n_levels=1):
    """`outcome_lattice._lattice_patients` before: one concatenation, counted with signs."""
    sizes = [n for _, n in filters]
    fine_shape = tuple(n + 2 for n in sizes)
    view_shape = tuple(n + 1 for n in sizes)
    key_shape = tuple(n for _, n in keys)
    n_cells, n_keys = int(np.prod(fine_shape)), int(np.prod(key_shape))
    cell = np.ravel_multi_index([c for c, _ in filters], fine_shape)
    key = np.ravel_multi_index([c for c, _ in keys], key_shape) if keys else 0 * cell
    by_level = level is not None
    level = np.asarray(level, dtype="int64") if by_level else 0 * cell
    patient = patient_of[episode]
    seen = np.zeros(len(patient_of), dtype=bool)
    seen[episode] = True
    alone = np.bincount(patient_of[seen], minlength=len(patient_of))[patient] == 1
    highest = outcome_lattice._highest
    who = patient[~alone] * n_keys + key[~alone]
    code, top = highest((who * n_cells + cell[~alone]) * n_levels + level[~alone], n_levels)
    who, in_cell = code // n_cells, code % n_cells
    start, end = outcome_lattice._run_starts(who), outcome_lattice._run_ends(who)
    single = start & end
    pair = start & ~end & np.r_[end[1:], False]
    first = np.flatnonzero(pair)
    second = first + 1
    a = np.unravel_index(in_cell[first], fine_shape)
    b = np.unravel_index(in_cell[second], fine_shape)
    both = np.ravel_multi_index(
        [np.where(x == y, x, n + 1) for x, y, n in zip(a, b, sizes, strict=True)], fine_shape
    )
    fine = np.concatenate([cell[alone], in_cell[single], in_cell[first], in_cell[second], both])
    fine_key = np.concatenate([key[alone], who[single] % n_keys, *[who[first] % n_keys] * 3])
    fine_level = np.concatenate(
        [level[alone], top[single], top[first], top[second], np.minimum(top[first], top[second])]
    )
    sign = np.ones(len(fine), dtype="int64")
    sign[len(fine) - len(first) :] = -1
    counts = np.bincount(
        (fine * n_keys + fine_key) * n_levels + fine_level,
        sign,
        minlength=n_cells * n_keys * n_levels,
    ).astype("int64")
    out = outcome_lattice._roll_up(
        counts.reshape(fine_shape + key_shape + (n_levels,)), len(filters)
    )
    several = ~single
    several[first], several[second] = False, False
    if several.any():
        rows, views = outcome_lattice._spread(np.unravel_index(in_cell[several], fine_shape), sizes)
        view = np.ravel_multi_index(views, view_shape)
        n_views = int(np.prod(view_shape))
        code = (who[several][rows] * n_views + view) * n_levels + top[several][rows]
        code, top = highest(code, n_levels)
        flat = ((code % n_views) * n_keys + (code // n_views) % n_keys) * n_levels + top
        out = out + np.bincount(flat, minlength=out.size).reshape(out.shape)
    return out if by_level else out[..., 0]


# ---------------------------------------------------------------- generated visits

PATIENTS = ("p1", "p10", "p2", "P3", "q", "é4")
EPISODE_IDS = ("E1", "E10", "E2", "e1", "E1-b")


@st.composite
def visit_tables(draw) -> pd.DataFrame:
    """Visits of a few patients: episode ids (shared across patients, sorting as text unlike
    numbers) or none (the gap rule), same-day visits, session numbers or none, rows as the store
    lists them (by patient and date) or shuffled, text in Arrow or as Python objects."""
    patients = draw(st.lists(st.sampled_from(PATIENTS), min_size=1, max_size=5, unique=True))
    rows = []
    for patient in patients:
        day = pd.Timestamp("2022-01-03") + pd.Timedelta(days=draw(st.integers(0, 400)))
        for _ in range(draw(st.integers(1, 3))):
            episode_id = draw(st.sampled_from((None, *EPISODE_IDS)))
            numbered = draw(st.booleans())
            for number in range(1, draw(st.integers(1, 5)) + 1):
                rows.append(
                    {
                        "patient_key": patient,
                        "episode_id": episode_id,
                        "visit_date": day,
                        "session_number": number if numbered else None,
                        "pain_nrs": float(draw(st.integers(0, 10))),
                        "complaint_duration": draw(
                            st.sampled_from(("acute", "subacute", "chronic", None))
                        ),
                        "sex": draw(st.sampled_from(("men", "women", None))),
                        "age": draw(st.sampled_from((30, 50, 70, None))),
                        "region": draw(st.sampled_from(("low_back", "neck", None))),
                    }
                )
                day += pd.Timedelta(days=draw(st.sampled_from((0, 1, 7, 30, 91, 200))))
    frame = pd.DataFrame(rows)
    frame["session_number"] = frame["session_number"].astype("Int64")
    frame["age"] = frame["age"].astype("Int64")
    text = draw(st.sampled_from(("str", "object")))
    for col in ("patient_key", "episode_id", "complaint_duration", "sex", "region"):
        frame[col] = frame[col].astype(text)
    if draw(st.booleans()):  # as the store lists them
        return frame.sort_values(["patient_key", "visit_date"], kind="stable", ignore_index=True)
    order = draw(st.permutations(range(len(frame))))
    return frame.iloc[list(order)].reset_index(drop=True)


def prepared(visits: pd.DataFrame) -> pd.DataFrame:
    """The visits as `outcomes._episodes` hands them to `_episode_order`."""
    df = visits.copy(deep=False)
    df["visit_date"] = pd.to_datetime(df["visit_date"])
    df["patient_key"] = df["patient_key"].astype("str")
    df["_sn"] = pd.to_numeric(df["session_number"])
    return df


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(visits=visit_tables(), gap_days=st.sampled_from([0, 10, 90]))
def test_the_episode_order_is_the_one_sorting_everything_gave(visits, gap_days):
    got = outcomes._episode_order(prepared(visits), gap_days)
    expected = plain_episode_order(prepared(visits), gap_days)
    for name in outcomes._Order._fields:
        if name == "patients":
            pd.testing.assert_index_equal(got.patients, expected.patients, exact=True)
        elif name == "moved":
            assert got.moved == expected.moved
        else:
            np.testing.assert_array_equal(getattr(got, name), getattr(expected, name), name)


@SETTINGS
@given(
    numbers=st.lists(
        st.one_of(st.none(), st.integers(0, 4), st.floats(0, 4, allow_nan=False)),
        min_size=1,
        max_size=25,
    ),
    cuts=st.sets(st.integers(1, 24)),
)
def test_the_session_numbers_are_the_ones_before(numbers, cuts):
    """Session numbers kept or derived per episode as before: numbers missing, repeated,
    falling, not starting at 1, fractional."""
    n = len(numbers)
    starts = np.array(sorted({0, *(c for c in cuts if c < n)}), dtype="int64")
    segment = np.cumsum(np.isin(np.arange(n), starts)) - 1
    given = pd.Series(pd.array(numbers, dtype="Float64"))
    got, _ = outcomes._sessions(given, starts, segment, categorical=True, rule=False)
    np.testing.assert_array_equal(got, plain_sessions(given, starts, segment))
    assert got.dtype == np.dtype("int64")


@SETTINGS
@given(visits=visit_tables())
def test_the_factorized_keys_are_pandas_sorted_factorize(visits):
    for col in ("patient_key", "episode_id"):
        values = visits[col].dropna().reset_index(drop=True).astype("str")
        codes, uniques = outcomes._factorize_sorted(values)
        expected_codes, expected_uniques = pd.factorize(values, sort=True)
        np.testing.assert_array_equal(codes, expected_codes)
        pd.testing.assert_index_equal(uniques, expected_uniques, exact=True)


@SETTINGS
@given(visits=visit_tables(), categorical=st.booleans(), seed=st.integers(0, 2**16))
def test_the_episode_summary_is_the_grouped_one(visits, categorical, seed):
    ep = outcomes.episodes(visits, categorical=categorical)
    pd.testing.assert_frame_equal(outcomes.episode_summary(ep), plain_episode_summary(ep))
    # Rows of an episode apart (a shuffled part of the table): the groupby's way.
    part = ep.sample(frac=0.6, random_state=seed)
    pd.testing.assert_frame_equal(outcomes.episode_summary(part), plain_episode_summary(part))


@SETTINGS
@given(visits=visit_tables())
def test_episode_codes_are_the_episodes_with_keys_as_codes(visits):
    columns = outcome_lattice._USED
    expected = outcomes.episodes(visits, categorical=True)[list(columns)]
    expected = expected.assign(
        patient_key=pd.factorize(expected["patient_key"])[0],
        episode_key=pd.factorize(expected["episode_key"])[0],
    )
    pd.testing.assert_frame_equal(outcomes.episode_codes(visits, columns), expected)


@st.composite
def lattice_rows(draw):
    """Rows of episodes placed in a small lattice: per episode its patient and slots, per row
    its episode, key and (sometimes) level."""
    n_patients = draw(st.integers(1, 6))
    n_episodes = draw(st.integers(1, 12))
    patient_of = np.array(
        draw(st.lists(st.integers(0, n_patients - 1), min_size=n_episodes, max_size=n_episodes))
    )
    sizes = (2, 3)
    slots = [
        np.array(draw(st.lists(st.integers(1, n + 1), min_size=n_episodes, max_size=n_episodes)))
        for n in sizes
    ]
    n_rows = draw(st.integers(0, 30))
    episode = np.array(
        draw(st.lists(st.integers(0, n_episodes - 1), min_size=n_rows, max_size=n_rows)),
        dtype="int64",
    )
    n_keys = draw(st.integers(1, 3))
    key = np.array(
        draw(st.lists(st.integers(0, n_keys - 1), min_size=n_rows, max_size=n_rows)),
        dtype="int64",
    )
    # At most one row per episode and key, as the callers give them.
    _, unique_rows = np.unique(episode * n_keys + key, return_index=True)
    episode, key = episode[np.sort(unique_rows)], key[np.sort(unique_rows)]
    filters = [(s[episode], n) for s, n in zip(slots, sizes, strict=True)]
    keys = [(key, n_keys)] if draw(st.booleans()) else []
    if not keys:
        _, unique_rows = np.unique(episode, return_index=True)
        keep = np.sort(unique_rows)
        episode = episode[keep]
        filters = [(f[keep], n) for f, n in filters]
    level = None
    if draw(st.booleans()):
        level = np.array(
            draw(st.lists(st.integers(0, 4), min_size=len(episode), max_size=len(episode))),
            dtype="int64",
        )
    return filters, keys, episode, patient_of, level


@SETTINGS
@given(rows=lattice_rows())
def test_the_distinct_patients_are_the_ones_counted_in_one_go(rows):
    filters, keys, episode, patient_of, level = rows
    n_levels = 5 if level is not None else 1
    got = outcome_lattice._lattice_patients(filters, keys, episode, patient_of, level, n_levels)
    expected = plain_lattice_patients(filters, keys, episode, patient_of, level, n_levels)
    np.testing.assert_array_equal(got, expected)
    assert got.dtype == expected.dtype


# ---------------------------------------------------------------- the suppression's rules


@st.composite
def lattice_tables(draw):
    """A small table of views (two filters with "all", a cell column) with random counts, some
    rows repeated (a key with two totals) and some missing counts."""
    rows = []
    for sex in ("all", "men", "women"):
        for age in ("all", "young", "old"):
            for group in ("a", "b"):
                if draw(st.integers(0, 9)) == 0:
                    continue
                for _ in range(1 + (draw(st.integers(0, 14)) == 0)):
                    patients = draw(st.integers(0, 30))
                    rows.append(
                        {
                            "sex": sex,
                            "age_band": age,
                            "group": group,
                            "session": draw(st.integers(1, 3)),
                            "n_patients": patients if draw(st.integers(0, 19)) else None,
                            "n_episodes": patients + draw(st.integers(0, 5)),
                        }
                    )
    table = pd.DataFrame(
        rows, columns=["sex", "age_band", "group", "session", "n_patients", "n_episodes"]
    )
    table["n_patients"] = table["n_patients"].astype("Int64")
    return table


@SETTINGS
@given(table=lattice_tables(), threshold=st.sampled_from([1, 3, 10]), seed=st.integers(0, 99))
def test_the_planned_lines_and_rules_are_the_plain_ones(table, threshold, seed):
    dims, cells, counts = ("sex", "age_band"), ("group",), ("n_patients", "n_episodes")
    for dim in dims:
        got_totals, got_parts = disclosure._line_index(table, dim, dims, cells, "all")
        totals, parts = _reference_lines(table, dim, dims, cells)
        assert got_totals == totals
        assert [list(p) for p in got_parts] == [list(p) for p in parts]
    given_hidden = np.random.default_rng(seed).random(len(table)) < 0.1
    curve = ("group",) if seed % 2 else None
    hidden, reason = reference_suppress_lattice(
        table, counts, dims, cells, curve, threshold, given_hidden.copy()
    )
    plan = disclosure.lattice_plan(
        table, count_cols=counts, line_dims=dims, cell_cols=cells, curve_cols=curve
    )
    got_hidden, got_reason = disclosure.lattice_masks(plan, threshold, given_hidden.copy())
    np.testing.assert_array_equal(got_hidden, hidden)
    assert list(np.where(hidden, got_reason, None)) == list(np.where(hidden, reason, None))


# ---------------------------------------------------------------- the fingerprint


def _arrow_text(values: list, chunks: int) -> pd.Series:
    """A "str" column held in Arrow in `chunks` chunks."""
    parts = np.array_split(np.arange(len(values)), chunks)
    arrays = [pa.array([values[i] for i in part], type=pa.large_string()) for part in parts]
    array = pa.chunked_array(arrays, type=pa.large_string())
    return pd.Series(pd.array(array, dtype="str"))


@SETTINGS
@given(
    values=st.lists(st.one_of(st.none(), st.text(max_size=4)), min_size=1, max_size=30),
    chunks=st.integers(1, 4),
    numbers=st.lists(st.one_of(st.none(), st.integers(-5, 5)), min_size=1, max_size=30),
)
def test_the_fingerprint_is_the_values_not_how_they_are_held(values, chunks, numbers):
    n = min(len(values), len(numbers))
    values, numbers = values[:n], numbers[:n]
    one = pd.DataFrame(
        {
            "patient_key": _arrow_text(values, 1),
            "age": pd.array(numbers, dtype="Int64"),
            "pain_nrs": pd.array(numbers, dtype="Int64").astype("float64"),
            "treatment": _arrow_text(values, 1),
        }
    )
    other = pd.DataFrame(
        {
            "patient_key": _arrow_text(values, min(chunks, n)),
            "age": pd.array(numbers, dtype="Int64"),
            "pain_nrs": pd.array(numbers, dtype="Int64").astype("float64"),
            "treatment": _arrow_text(values, min(chunks, n)),
        }
    )
    assert clinic_view._fingerprint(one) == clinic_view._fingerprint(other)
    changed = other.copy()
    changed.loc[n - 1, "patient_key"] = "changed" if values[-1] != "changed" else "other"
    assert clinic_view._fingerprint(changed) != clinic_view._fingerprint(one)
    older = other.copy()
    older.loc[0, "age"] = 99
    assert clinic_view._fingerprint(older) != clinic_view._fingerprint(one)
    moved = one.copy()
    if n > 1 and values[0] != values[1]:
        moved["patient_key"] = _arrow_text([values[1], values[0], *values[2:]], 1)
        assert clinic_view._fingerprint(moved) != clinic_view._fingerprint(one)
    # A column the protected source is not made from changes nothing it shows.
    treated = one.copy()
    treated.loc[0, "treatment"] = "changed" if values[0] != "changed" else "other"
    assert clinic_view._fingerprint(treated) == clinic_view._fingerprint(one)


def test_the_fingerprint_ignores_text_behind_a_missing_value():
    """Arrow may keep characters in the slot of a missing value; equal tables stay equal."""
    with_text = pa.array(["ab", "cd", "ef"], type=pa.large_string())
    validity = pa.py_buffer(np.packbits([1, 0, 1, 0, 0, 0, 0, 0], bitorder="little"))
    hidden_text = pa.Array.from_buffers(
        pa.large_string(), 3, [validity, *with_text.buffers()[1:]], null_count=1
    )
    clean = pa.array(["ab", None, "ef"], type=pa.large_string())
    frames = [
        pd.DataFrame({"sex": pd.Series(pd.array(a, dtype="str"))}) for a in (hidden_text, clean)
    ]
    assert frames[0]["sex"].tolist() == frames[1]["sex"].tolist()
    assert clinic_view._fingerprint(frames[0]) == clinic_view._fingerprint(frames[1])
