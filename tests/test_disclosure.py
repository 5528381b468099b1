"""analysis.disclosure: hand-worked suppression tables and the properties viewers rely on."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from analysis import disclosure as d
from analysis import outcomes as o
from tests.test_outcomes import clinics, visits_frame

SECONDARY = "secondary: would reveal a hidden cell"


def table(rows, session=None):
    df = pd.DataFrame(rows, columns=["group_by", "group", "n_patients", "share"])
    return df if session is None else df.assign(session=session)


# ---------------------------------------------------------------- hand-worked tables


def test_primary_and_secondary_suppression_hand_worked():
    shares = table(
        [
            ("all", "all", 40, 0.50),
            ("sex", "men", 25, 0.40),
            ("sex", "women", 12, 0.60),
            ("sex", "unknown", 3, 1.00),
            ("age_band", "<40", 15, 0.40),
            ("age_band", "40-59", 14, 0.50),
            ("age_band", "60+", 11, 0.64),
        ]
    )
    got = d.suppress(shares, threshold=10)
    # "unknown" (3 < 10) is hidden; alone it would be 40 - 25 - 12 = 3, so the smallest shown
    # sex, women (12), is hidden too. The age bands are all >= 10 and stay.
    expected = shares.assign(
        n_patients=pd.array([40, 25, pd.NA, pd.NA, 15, 14, 11], dtype="Int64"),
        share=[0.50, 0.40, np.nan, np.nan, 0.40, 0.50, 0.64],
        suppressed=[False, False, True, True, False, False, False],
        suppression_reason=pd.Series(
            [np.nan, np.nan, SECONDARY, "fewer than 10 patients", np.nan, np.nan, np.nan],
            dtype="str",
        ),
    )
    assert_frame_equal(got, expected)


def test_two_hidden_siblings_need_no_secondary():
    got = d.suppress(
        table(
            [
                ("all", "all", 40, 0.5),
                ("region", "low_back", 30, 0.5),
                ("region", "neck", 5, 0.4),
                ("region", "upper_back", 5, 0.6),
            ]
        ),
        threshold=10,
    )
    assert got["suppressed"].tolist() == [False, False, True, True]
    assert set(got["suppression_reason"].dropna()) == {"fewer than 10 patients"}


def test_a_small_total_hides_everything_and_ties_pick_the_first():
    got = d.suppress(
        table([("all", "all", 8, 0.5), ("sex", "men", 5, 0.4), ("sex", "women", 3, 0.6)]),
        threshold=10,
    )
    assert got["suppressed"].all()
    got = d.suppress(
        table(
            [
                ("all", "all", 27, 0.5),
                ("sex", "men", 12, 0.4),
                ("sex", "women", 12, 0.6),
                ("sex", "unknown", 3, 0.6),
            ]
        ),
        threshold=10,
    )
    # men and women tie at 12: the first in table order (men) pairs with the hidden "unknown".
    assert got["suppressed"].tolist() == [False, True, False, True]
    assert got.loc[1, "suppression_reason"] == SECONDARY


def test_slices_are_independent():
    shares = pd.concat(
        [
            table([("all", "all", 30, 0.5), ("sex", "men", 20, 0.4), ("sex", "women", 10, 0.6)], 1),
            table([("all", "all", 25, 0.5), ("sex", "men", 17, 0.4), ("sex", "women", 8, 0.6)], 2),
        ],
        ignore_index=True,
    )
    got = d.suppress(shares, threshold=10, slice_cols=["session"])
    assert got["suppressed"].tolist() == [False, False, False, False, True, True]
    assert got["session"].tolist() == [1, 1, 1, 2, 2, 2]  # keys are never blanked
    # Without slices the two "all" rows would be one total's: the rule needs them.
    assert got["suppression_reason"].iloc[4] == SECONDARY


def test_table_without_totals_gets_primary_suppression_only():
    claim = pd.DataFrame({"method": ["a", "b"], "n_patients": [9, 30], "estimate": [0.4, 0.5]})
    got = d.suppress(claim, threshold=10)
    assert got["suppressed"].tolist() == [True, False]
    assert got["method"].tolist() == ["a", "b"]
    assert pd.isna(got.loc[0, "estimate"]) and got.loc[1, "estimate"] == 0.5


def test_rows_already_suppressed_stay_hidden():
    rows = [("all", "all", 40, 0.5), ("sex", "men", 9, 0.4), ("sex", "women", 6, 0.6)]
    once = d.suppress(table([*rows, ("sex", "unknown", 25, 0.6)]), threshold=10)
    twice = d.suppress(once, threshold=5)
    assert twice["suppressed"].tolist() == [False, True, True, False]
    assert set(twice["suppression_reason"].dropna()) == {"fewer than 10 patients"}


def test_threshold_from_the_environment(monkeypatch):
    rows = table([("all", "all", 40, 0.5), ("sex", "men", 7, 0.4), ("sex", "women", 33, 0.6)])
    monkeypatch.delenv("RUGZICHT_MIN_CELL", raising=False)
    assert d.min_cell_size() == 10
    assert d.suppress(rows)["suppressed"].sum() == 2
    monkeypatch.setenv("RUGZICHT_MIN_CELL", "5")
    assert d.min_cell_size() == 5
    assert not d.suppress(rows)["suppressed"].any()
    for bad in ("ten", "0", "2.5"):
        monkeypatch.setenv("RUGZICHT_MIN_CELL", bad)
        with pytest.raises(ValueError, match="RUGZICHT_MIN_CELL|at least 1"):
            d.min_cell_size()
    with pytest.raises(ValueError, match="at least 1"):
        d.suppress(rows, threshold=0)


def test_outcome_tables_through_their_helpers():
    ep = o.episodes(visits_frame())
    shares = d.suppress_shares(o.response_by_session_share(ep, 3, by="complaint_duration"), 2)
    # all: 3 patients shown; acute 1 (< 2) hidden, so chronic (3) is hidden too.
    assert shares["suppressed"].tolist() == [False, True, True]
    assert shares["suppression_reason"].tolist()[1:] == ["fewer than 2 patients", SECONDARY]
    pain = d.suppress_pain_by_session(o.pain_by_session(ep, max_session=4), 2)
    hidden = pain[pain["suppressed"]][["group", "session"]].to_numpy().tolist()
    # session 4: all has 2 patients, acute 1 and chronic 1 (both hidden, no secondary needed)
    assert hidden == [["acute", 4], ["chronic", 4]]
    medians = d.suppress_medians(o.median_sessions_to_response(o.km_response(ep, by="sex")), 3)
    # all 5 patients; men 2 (p2, p6; p4 has baseline 0) is hidden, so women (3) is too.
    assert medians["suppressed"].tolist() == [False, True, True]


# ---------------------------------------------------------------- Kaplan-Meier curves


def test_km_suppression_hand_worked():
    ep = o.episodes(visits_frame())
    km = d.suppress_km(o.km_response(ep, by="complaint_duration"), threshold=2)
    # Patients at risk (see test_outcomes.test_km_hand_worked):
    #   all      s1 5, s2 5, s3 3, s4 1   -> s4 hidden (1 < 2)
    #   acute    s1 2, s2 2, s3 1         -> s3 hidden; continued by a hidden s4, so a viewer
    #                                        cannot tell that the curve ended
    #   chronic  s1 4, s2 4, s3 3, s4 1   -> s4 hidden; s3 hidden too: with acute hidden at s3,
    #                                        chronic s3 = all - acute would reveal it
    got = km[["group", "session", "suppressed", "suppression_reason"]]
    expected = pd.DataFrame(
        {
            "group": ["all"] * 4 + ["acute"] * 4 + ["chronic"] * 4,
            "session": [1, 2, 3, 4] * 3,
            "suppressed": [False, False, False, True] * 3,
            "suppression_reason": pd.Series(
                [np.nan] * 3
                + ["fewer than 2 patients"]
                + [np.nan] * 2
                + ["fewer than 2 patients"] * 2
                + [np.nan] * 2
                + [SECONDARY, "fewer than 2 patients"],
                dtype="str",
            ),
        }
    )
    expected.loc[6, "suppressed"] = True
    expected.loc[10, "suppressed"] = True
    assert_frame_equal(got, expected)
    assert km.loc[km["suppressed"], ["cum_response", "ci_low", "n_events"]].isna().all().all()


def _km_table(rows):
    cols = ["group_by", "group", "session", "n_at_risk", "n_events", "n_censored"]
    df = pd.DataFrame(rows, columns=cols)
    return df.assign(
        outcome="response", n_patients_at_risk=df["n_at_risk"], cum_response=0.1, ci_low=0.05
    )


def test_km_curve_that_ended_in_view_is_not_continued():
    km = _km_table(
        [
            ("all", "all", 1, 32, 2, 0),
            ("all", "all", 2, 30, 2, 10),
            ("all", "all", 3, 18, 1, 0),
            ("sex", "men", 1, 20, 2, 0),
            ("sex", "men", 2, 18, 1, 0),
            ("sex", "men", 3, 17, 1, 0),
            ("sex", "women", 1, 12, 0, 0),
            ("sex", "women", 2, 12, 2, 10),  # everyone left responds or stops: ends at 12
        ]
    )
    got = d.suppress_km(km, threshold=10)
    assert not got["suppressed"].any()
    assert len(got) == len(km)  # women at session 3 is a known zero, not a hidden cell


def test_km_curve_cut_where_it_is_first_hidden():
    km = _km_table(
        [
            ("all", "all", 1, 40, 0, 0),
            ("all", "all", 2, 40, 5, 0),
            ("all", "all", 3, 35, 5, 0),
            ("sex", "men", 1, 25, 0, 0),
            ("sex", "men", 2, 25, 3, 0),
            ("sex", "men", 3, 22, 3, 0),
            ("sex", "women", 1, 12, 0, 0),
            ("sex", "women", 2, 12, 1, 0),
            ("sex", "women", 3, 11, 1, 0),
            ("sex", "unknown", 1, 3, 0, 0),
            ("sex", "unknown", 2, 3, 1, 0),
            ("sex", "unknown", 3, 2, 1, 0),
        ]
    )
    got = d.suppress_km(km, threshold=10).set_index(["group", "session"])["suppressed"]
    # unknown (3) hidden everywhere; women is the smallest shown sex at every session, so it
    # goes too, from session 1 on.
    assert got.loc["unknown"].all() and got.loc["women"].all()
    assert not got.loc["men"].any() and not got.loc["all"].any()


# ---------------------------------------------------------------- invariants


@st.composite
def share_tables(draw):
    """Random tables: 1-3 sessions, a total and two groupings of 1-4 groups each."""
    frames = []
    for session in range(1, draw(st.integers(1, 3)) + 1):
        rows = []
        for grouping in ("sex", "region"):
            for g in range(draw(st.integers(1, 4))):
                rows.append((grouping, f"{grouping}{g}", draw(st.integers(0, 40)), 0.5))
        sizes = {
            grouping: sum(n for b, _, n, _ in rows if b == grouping)
            for grouping in ("sex", "region")
        }
        # Counts of patients need not add up (a patient with two episodes counts once in the
        # total); the total is at least the largest grouping's sum.
        extra = draw(st.integers(0, 5))
        rows.insert(0, ("all", "all", max(sizes.values()) + extra, 0.5))
        frames.append(table(rows, session))
    return pd.concat(frames, ignore_index=True)


def _hidden_per_set(got, slice_cols):
    """For every sibling set whose total is shown: the number of hidden siblings."""
    out = []
    for _, part in got.groupby(slice_cols):
        total = part[part["group_by"] == "all"]
        if total.empty or total["suppressed"].all():
            continue
        for _, siblings in part[part["group_by"] != "all"].groupby("group_by"):
            out.append(int(siblings["suppressed"].sum()))
    return out


@settings(max_examples=150, deadline=None)
@given(share_tables(), st.integers(1, 15))
def test_suppression_never_shows_a_small_cell_or_a_recoverable_one(shares, threshold):
    got = d.suppress(shares, threshold=threshold, slice_cols=["session"])
    original = shares["n_patients"]
    shown = ~got["suppressed"]
    assert (original[shown] >= threshold).all()
    assert (original[~shown & (got["suppression_reason"] != SECONDARY)] < threshold).all()
    assert (original[got["suppression_reason"] == SECONDARY] >= threshold).all()
    assert got.loc[~shown, ["n_patients", "share"]].isna().all().all()
    assert (got.loc[shown, "n_patients"] == original[shown]).all()
    # No hidden sibling is the total minus the shown ones: 0 or at least 2 hidden per set.
    assert all(h != 1 for h in _hidden_per_set(got, ["session"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clinics(), st.integers(1, 4))
def test_km_suppression_properties(visits, threshold):
    km = o.km_response(o.episodes(visits), by=["sex", "age_band"])
    got = d.suppress_km(km, threshold=threshold)
    original = km.set_index(["group_by", "group", "session"])["n_patients_at_risk"]
    shown = got[~got["suppressed"]].set_index(["group_by", "group", "session"])
    assert (original.loc[shown.index] >= threshold).all()
    assert (shown["n_patients_at_risk"] == original.loc[shown.index]).all()
    for _, curve in got.groupby(["group_by", "group"]):
        flags = curve.sort_values("session")["suppressed"].to_numpy()
        assert (np.maximum.accumulate(flags) == flags).all()  # once hidden, hidden to the end
    assert all(h != 1 for h in _hidden_per_set(got, ["outcome", "session"]))
    # Every curve either ends in view with nobody left at risk or runs to the table's end.
    last = got["session"].max() if len(got) else 0
    for _, curve in got.groupby(["group_by", "group"]):
        end = curve.sort_values("session").iloc[-1]
        if end["session"] < last:
            assert not end["suppressed"]
            assert end["n_at_risk"] - end["n_events"] - end["n_censored"] == 0
