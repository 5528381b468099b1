"""The protected source's lattice of views, computed in one grouped pass per table, equals the
tables computed view by view with the public per-view functions (the slow way it was first
built, kept here as the oracle), and protects the same cells."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import clinic_view, data, disclosure, natural_course, outcome_lattice, outcomes
from analysis.vocabulary import ALL, COMPLAINT_DURATIONS
from dashboard.views import demo_visits

# ---------------------------------------------------------------- the oracle: view by view


def _grid(table: pd.DataFrame, keys: list[str], fill: dict) -> pd.DataFrame:
    """Every curve of `table` continued to sessions 1..MAX_SESSION (counts 0, values NA)."""
    if table.empty:
        return table
    curves = table[keys].drop_duplicates()
    sessions = pd.DataFrame({"session": range(1, outcome_lattice.MAX_SESSION + 1)})
    grid = curves.merge(sessions, how="cross")
    out = grid.merge(table, on=[*keys, "session"], how="left")
    return out.fillna(fill)


def _in_period(labels: tuple[str, ...], period: str) -> tuple[str, ...]:
    return labels if period == ALL else tuple(b for b in labels if b.startswith(str(period)))


def reference_lattice(visits: pd.DataFrame, threshold: int | None = None):
    """What `clinic_view.outcome_lattice` computed before it was grouped: every view filtered
    out of the episodes and every table computed for it with the per-view functions."""
    threshold = disclosure.min_cell_size() if threshold is None else threshold
    max_session = outcome_lattice.MAX_SESSION
    ep_all = outcomes.episodes(visits, categorical=True)[list(outcome_lattice._USED)]
    ep_all = ep_all[ep_all["complaint_duration"].isin(COMPLAINT_DURATIONS)]
    ep_all = ep_all.assign(
        patient_key=pd.factorize(ep_all["patient_key"])[0],
        episode_key=pd.factorize(ep_all["episode_key"])[0],
    )
    present = clinic_view.periods(ep_all)
    axis = outcome_lattice.time_axis(ep_all, threshold)
    summary_all = outcomes.episode_summary(ep_all)
    ratios = natural_course.expected_ratios(data.load("outcome_benchmarks"))
    frames: dict[str, list[pd.DataFrame]] = {name: [] for name in clinic_view.TABLES}
    for sex, age_band, period in outcome_lattice.view_keys(present):
        ep = clinic_view.filter_episodes(ep_all, sex=sex, age_band=age_band, period=period)
        summary = clinic_view.filter_episodes(
            summary_all, sex=sex, age_band=age_band, period=period
        )
        view = {"sex": sex, "age_band": age_band, "period": period}
        buckets = _in_period(axis.buckets, period)
        quarters = _in_period(axis.quarters, period)
        frames["intake"].append(
            outcomes._intake_rows(summary, axis.resolution, buckets).assign(**view)
        )
        frames["quarters"].append(
            outcomes._quarter_rows(summary, axis.end, quarters).assign(**view)
        )
        for group in (ALL, *COMPLAINT_DURATIONS):
            durations = COMPLAINT_DURATIONS if group == ALL else (group,)
            part = ep[ep["complaint_duration"].isin(durations)]
            frames["selection"].append(
                pd.DataFrame(
                    {
                        **{k: [v] for k, v in view.items()},
                        "group": [group],
                        "n_patients": [int(part["patient_key"].nunique())],
                        "n_episodes": [int(part["episode_key"].nunique())],
                    }
                )
            )
        if ep.empty:
            continue
        frames["course"].append(natural_course.observed_vs_expected(ep, ratios).assign(**view))
        pain = outcomes.pain_by_session(
            ep, by="complaint_duration", max_session=max_session, include_all=False
        )
        km = outcomes._km_table(summary, "complaint_duration", "response", max_session, False)
        frames["medians"].append(outcomes.median_sessions_to_response(km).assign(**view))
        frames["pain"].append(
            _grid(pain, ["group_by", "group"], {"n_patients": 0, "n_episodes": 0}).assign(**view)
        )
        km_fill = {"n_at_risk": 0, "n_patients_at_risk": 0, "n_events": 0, "n_censored": 0}
        frames["km"].append(_grid(km, ["group_by", "group", "outcome"], km_fill).assign(**view))
        frames["claims"].append(
            outcomes._response_rows(
                summary, "response", axis.end, outcomes.REPORT_SESSIONS, km
            ).assign(**view)
        )
    tables = {
        name: pd.concat([f for f in parts if len(f)], ignore_index=True)
        for name, parts in frames.items()
    }
    return tables, tuple(present), axis


# ---------------------------------------------------------------- comparing


def assert_same_lattice(new, old) -> None:
    """Every table the same: rows in the same order, columns, dtypes; counts, flags and text
    exactly, measured values to rounding (a sum may be added up in another order)."""
    tables, present, axis = new
    expected_tables, expected_present, expected_axis = old
    assert present == expected_present
    assert axis == expected_axis
    assert set(tables) == set(expected_tables)
    for name, expected in expected_tables.items():
        got = tables[name]
        pd.testing.assert_frame_equal(
            got, expected, check_exact=False, rtol=1e-12, atol=1e-12, obj=name
        )
        for col in expected.columns:  # every count, flag and label exactly
            if not pd.api.types.is_float_dtype(expected[col]) or col.startswith("n_"):
                pd.testing.assert_series_equal(got[col], expected[col], check_exact=True)


def assert_same_protection(visits: pd.DataFrame, threshold: int) -> None:
    """`protect` gives what suppressing the oracle's lattice gives, cell for cell."""
    got = clinic_view.protect(visits, threshold)
    lattice, present, axis = reference_lattice(visits, threshold)
    expected = clinic_view.suppress_source(lattice, present, axis, threshold)
    assert got.periods == expected.periods
    for name, table in expected.tables.items():
        pd.testing.assert_frame_equal(
            got.tables[name], table, check_exact=False, rtol=1e-12, atol=1e-12, obj=name
        )
        for col in ("suppressed", "suppression_reason"):
            pd.testing.assert_series_equal(got.tables[name][col], table[col], check_exact=True)


# ---------------------------------------------------------------- the demo clinic


@pytest.fixture(scope="module")
def demo():
    return demo_visits()


@pytest.mark.parametrize("threshold", [10, 2])
def test_the_grouped_lattice_equals_the_view_by_view_one_on_the_demo(demo, threshold):
    assert_same_lattice(
        clinic_view.outcome_lattice(demo, threshold), reference_lattice(demo, threshold)
    )


@pytest.mark.parametrize("threshold", [10, 2])
def test_protect_hides_the_same_cells_as_before_on_the_demo(demo, threshold):
    assert_same_protection(demo, threshold)


# ---------------------------------------------------------------- small random clinics

SEXES = ("men", "women", None)
AGES = (25, 45, 70, None)
DURATIONS = ("acute", "subacute", "chronic", None)


@st.composite
def clinics(draw) -> pd.DataFrame:
    """A small clinic with the awkward cases: a handful of patients, views with nobody in
    them, one sex only, unknown complaint duration, sex or age, baseline pain 0, patients with
    episodes in two start years or two complaint groups, gaps in the export's session numbers
    and episodes still going on at the end of the records."""
    n_patients = draw(st.integers(1, 14))
    one_sex = draw(st.booleans())
    half_points = draw(st.booleans())
    rows = []
    for p in range(n_patients):
        sex = SEXES[1] if one_sex else draw(st.sampled_from(SEXES))
        for e in range(draw(st.integers(1, 3))):
            age = draw(st.sampled_from(AGES))
            duration = draw(st.sampled_from(DURATIONS))
            start = pd.Timestamp("2022-11-07") + pd.Timedelta(days=draw(st.integers(0, 800)))
            n_visits = draw(st.integers(1, 14))
            gaps = draw(st.lists(st.integers(1, 16), min_size=n_visits, max_size=n_visits))
            baseline = draw(st.sampled_from([0.0, 1.0, 2.0, 5.0, 7.5, 10.0]))
            numbered = draw(st.booleans())
            day, number = start, 0
            for v in range(n_visits):
                drop = draw(st.floats(0, 6) if not half_points else st.integers(0, 12))
                pain = (
                    baseline
                    if v == 0
                    else max(0.0, baseline - drop / (1 if not half_points else 2))
                )
                number += 1 + (numbered and draw(st.integers(0, 4)) == 0)
                rows.append(
                    {
                        "patient_key": f"p{p:02d}",
                        "episode_id": f"p{p:02d}-{e}",
                        "visit_date": day,
                        "session_number": number if numbered else None,
                        "pain_nrs": float(pain),
                        "complaint_duration": duration,
                        "sex": sex,
                        "age": age,
                    }
                )
                day += pd.Timedelta(days=gaps[v])
    frame = pd.DataFrame(rows)
    frame["age"] = frame["age"].astype("Int64")
    frame["session_number"] = frame["session_number"].astype("Int64")
    for col in ("sex", "complaint_duration"):
        frame[col] = frame[col].astype("object")
    # The oracle cannot build a lattice without one episode of a known complaint duration with
    # a baseline above 0 (it has no Kaplan-Meier curve to concatenate).
    frame.loc[len(frame)] = {
        "patient_key": "q",
        "episode_id": "q-0",
        "visit_date": pd.Timestamp("2023-05-02"),
        "session_number": None,
        "pain_nrs": 6.0,
        "complaint_duration": "chronic",
        "sex": "men" if not one_sex else "women",
        "age": 45,
    }
    return frame


@pytest.mark.timeout(600)
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(visits=clinics(), threshold=st.sampled_from([1, 2, 3, 10]))
def test_the_grouped_lattice_equals_the_view_by_view_one_on_random_clinics(visits, threshold):
    assert_same_lattice(
        clinic_view.outcome_lattice(visits, threshold), reference_lattice(visits, threshold)
    )
    assert_same_protection(visits, threshold)


def test_a_clinic_with_every_episode_past_the_last_session_and_ongoing():
    """Long episodes (beyond MAX_SESSION, so no curve is continued by the grid: counts stay
    whole numbers) that are still going on at the end of the records."""
    rows = []
    for p in range(12):
        for v in range(14):
            rows.append(
                {
                    "patient_key": f"p{p}",
                    "visit_date": pd.Timestamp("2024-01-01") + pd.Timedelta(days=3 * v + p),
                    "pain_nrs": float(max(0, 8 - v // (1 + p % 3))),
                    "complaint_duration": "acute",
                    "sex": "women",
                    "age": 30,
                }
            )
    visits = pd.DataFrame(rows)
    assert_same_lattice(clinic_view.outcome_lattice(visits, 3), reference_lattice(visits, 3))
    assert_same_protection(visits, 3)


def test_one_patient_in_several_views_is_counted_once_in_each():
    """A patient with episodes in two start years and two age bands counts once in the views
    that hold both, and once in each view that holds one."""
    rows = []
    for year, age, duration in ((2022, 35, "acute"), (2023, 45, "acute"), (2023, 45, "chronic")):
        for v in range(3):
            rows.append(
                {
                    "patient_key": "p",
                    "episode_id": f"{year}-{duration}",
                    "visit_date": pd.Timestamp(year, 3, 1) + pd.Timedelta(weeks=v),
                    "pain_nrs": 6.0 - v,
                    "complaint_duration": duration,
                    "sex": "men",
                    "age": age,
                }
            )
    visits = pd.DataFrame(rows)
    tables, _, _ = clinic_view.outcome_lattice(visits, 1)
    selection = tables["selection"].set_index(["sex", "age_band", "period", "group"])
    assert selection.loc[("all", "all", "all", "all"), "n_patients"] == 1
    assert selection.loc[("all", "all", "all", "all"), "n_episodes"] == 3
    assert selection.loc[("men", "40-59", "2023", "all"), "n_patients"] == 1
    assert selection.loc[("men", "40-59", "2022", "all"), "n_patients"] == 0
    assert_same_lattice((tables, *clinic_view.outcome_lattice(visits, 1)[1:]),
                        reference_lattice(visits, 1))  # fmt: skip
    assert np.all(tables["pain"]["n_patients"] <= 1)


# ---------------------------------------------------------------- the suppression rules


def _reference_lines(table, dim, line_dims, cell_cols):
    """Each line's total row and part rows, as the first `suppress_lattice` found them."""
    others = [d for d in line_dims if d != dim] + list(cell_cols)
    keys = list(table[others].astype("object").itertuples(index=False, name=None))
    is_total = (table[dim].astype(str) == ALL).to_numpy()
    totals, parts = {}, {}
    for pos, k in enumerate(keys):
        if is_total[pos]:
            totals[k] = pos
        else:
            parts.setdefault(k, []).append(pos)
    keys = [k for k in totals if k in parts]
    return [totals[k] for k in keys], [parts[k] for k in keys]


def reference_suppress_lattice(
    table, count_cols, line_dims, cell_cols, curve_cols, threshold, given
):
    """The first `disclosure.suppress_lattice`: every line checked in a plain loop, again and
    again until nothing changes (the oracle of the planned version)."""
    table = table.reset_index(drop=True)
    counts = {c: table[c].astype("float64").fillna(0).to_numpy() for c in count_cols}
    first = counts[count_cols[0]]
    small = first < threshold
    reason = np.where(small & ~given, disclosure.primary_reason(threshold), None).astype(object)
    hidden = small | given
    lines = [_reference_lines(table, dim, line_dims, cell_cols) for dim in line_dims]
    if curve_cols is not None:
        keys = list(table[[*line_dims, *curve_cols]].astype("object").itertuples(index=False))
        codes = pd.factorize(pd.Series(keys, dtype="object"))[0]
        order = np.lexsort((table["session"].to_numpy(), codes))
    changed = True
    while changed:
        changed = False
        for totals, parts in lines:
            for total_pos, members in zip(totals, parts, strict=True):
                if hidden[total_pos]:
                    continue
                shown = [m for m in members if not hidden[m]]
                if not any(
                    0 < values[total_pos] - values[shown].sum() < threshold
                    for values in counts.values()
                ):
                    continue
                candidates = [m for m in shown if first[m] > 0] or shown
                pick = min(candidates, key=lambda m: (first[m], m)) if candidates else total_pos
                hidden[pick] = True
                reason[pick] = disclosure.SECONDARY
                changed = True
        if curve_cols is not None:
            cut = pd.Series(hidden[order]).groupby(codes[order]).cummax().to_numpy(dtype=bool)
            newly = order[cut & ~hidden[order]]
            if len(newly):
                hidden[newly] = True
                reason[newly] = disclosure.SECONDARY
                changed = True
    return hidden, reason


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), threshold=st.sampled_from([2, 10, 20]))
def test_the_planned_rules_hide_what_the_plain_loop_hid(demo, seed, threshold):
    """`disclosure.suppress_lattice` (lines planned once, only the lines of a newly hidden cell
    re-checked) hides the same cells, for the same reasons, as the plain loop, from random
    cells already hidden for another cause."""
    lattice, _, _ = clinic_view.outcome_lattice(demo, threshold)
    rng = np.random.default_rng(seed)
    for name, (counts, cells, curve, totals) in clinic_view.TABLES.items():
        table = lattice[name]
        given_hidden = rng.random(len(table)) < 0.02
        dims = (*clinic_view.VIEW_DIMS, *totals)
        hidden, reason = reference_suppress_lattice(
            table, counts, dims, cells, curve, threshold, given_hidden
        )
        out = disclosure.suppress_lattice(
            table,
            count_cols=counts,
            line_dims=dims,
            cell_cols=cells,
            curve_cols=curve,
            threshold=threshold,
            hidden=given_hidden,
        )
        assert (out["suppressed"].to_numpy() == hidden).all(), name
        expected = pd.Series(np.where(hidden, reason, None), dtype="str")
        pd.testing.assert_series_equal(
            out["suppression_reason"], expected, check_names=False, obj=name
        )
