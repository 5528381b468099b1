"""analysis.outcomes: a hand-worked clinic, golden benchmark numbers, invariants."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from analysis import data
from analysis import outcomes as o

# ---------------------------------------------------------------- the hand-worked clinic
#
# Six patients, seven episodes (pain on 0-10; "resp" = >= 30% and >= 2 points down):
#
# p1  acute, woman, 35, low back, no episode_id, no session numbers
#     2023-01-02 .. 01-30 weekly: 8 7 5 4 3  -> session 3: 8->5 = 3 points, 37.5%: responds;
#                                               session 4: 8->4 = 50%: substantial
#     2023-05-01 (91 days after 01-30: a new episode), chronic: 6 6 6 -> never responds
# p2  chronic, man, 62, neck, episode_id "A", session numbers 1-4 (consistent)
#     6 6 5 5, the last visit 100 days after the third: same episode, the id wins -> no response
# p3  chronic, woman, 45, low back: 7 6 and stops -> censored at session 2
# p4  acute, man, age and region missing: 0 0 1 -> baseline 0, flagged, left out of response
# p5  chronic, woman, 50, low back, session numbers 1 3 2 in date order (inconsistent ->
#     derived 1 2 3): 10 8 7 -> session 3: 3 points, exactly 30%: responds (boundary)
# p6  acute, man, 70, upper back: 2 1 -> 50% but one point: NOT a response (boundary)

ROWS = [
    ("p1", None, "2023-01-02", None, 8.0, "acute", "women", 35, "low_back"),
    ("p1", None, "2023-01-09", None, 7.0, "acute", "women", 35, "low_back"),
    ("p1", None, "2023-01-16", None, 5.0, "acute", "women", 35, "low_back"),
    ("p1", None, "2023-01-23", None, 4.0, "acute", "women", 35, "low_back"),
    ("p1", None, "2023-01-30", None, 3.0, "acute", "women", 35, "low_back"),
    ("p1", None, "2023-05-01", None, 6.0, "chronic", "women", 35, "low_back"),
    ("p1", None, "2023-05-08", None, 6.0, "chronic", "women", 35, "low_back"),
    ("p1", None, "2023-05-15", None, 6.0, "chronic", "women", 35, "low_back"),
    ("p2", "A", "2023-03-01", 1, 6.0, "chronic", "men", 62, "neck"),
    ("p2", "A", "2023-03-08", 2, 6.0, "chronic", "men", 62, "neck"),
    ("p2", "A", "2023-03-15", 3, 5.0, "chronic", "men", 62, "neck"),
    ("p2", "A", "2023-06-23", 4, 5.0, "chronic", "men", 62, "neck"),
    ("p3", None, "2024-02-05", None, 7.0, "chronic", "women", 45, "low_back"),
    ("p3", None, "2024-02-12", None, 6.0, "chronic", "women", 45, "low_back"),
    ("p4", None, "2024-03-04", None, 0.0, "acute", "men", None, None),
    ("p4", None, "2024-03-11", None, 0.0, "acute", "men", None, None),
    ("p4", None, "2024-03-18", None, 1.0, "acute", "men", None, None),
    ("p5", None, "2024-04-01", 1, 10.0, "chronic", "women", 50, "low_back"),
    ("p5", None, "2024-04-08", 3, 8.0, "chronic", "women", 50, "low_back"),
    ("p5", None, "2024-04-15", 2, 7.0, "chronic", "women", 50, "low_back"),
    ("p6", None, "2024-05-06", None, 2.0, "acute", "men", 70, "upper_back"),
    ("p6", None, "2024-05-13", None, 1.0, "acute", "men", 70, "upper_back"),
]
COLUMNS = [
    "patient_key",
    "episode_id",
    "visit_date",
    "session_number",
    "pain_nrs",
    "complaint_duration",
    "sex",
    "age",
    "region",
]


def visits_frame(rows=ROWS) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=COLUMNS)
    return df.assign(
        episode_id=df["episode_id"].astype("str"),
        visit_date=pd.to_datetime(df["visit_date"]),
        session_number=df["session_number"].astype("Int64"),
        age=df["age"].astype("Int64"),
    )


@pytest.fixture(scope="module")
def ep():
    # Shuffled, so nothing depends on the export's row order.
    return o.episodes(visits_frame().sample(frac=1, random_state=3))


# ---------------------------------------------------------------- episodes


def test_episodes_hand_worked(ep):
    got = ep[
        [
            "episode_key",
            "session",
            "episode_rule",
            "session_rule",
            "change_points",
            "change_pct",
            "is_responder",
            "is_substantial",
        ]
    ]
    no, yes, na = False, True, pd.NA
    # episode, episode rule, session rule, change in points, change in %, response, substantial
    per_episode = [
        ("p1-1", "gap", "derived", [0, 1, 3, 4, 5], [0, 12.5, 37.5, 50, 62.5],
         [no, no, yes, yes, yes], [no, no, no, yes, yes]),
        ("p1-2", "gap", "derived", [0, 0, 0], [0, 0, 0], [no] * 3, [no] * 3),
        ("p2-1", "episode_id", "export", [0, 0, 1, 1], [0, 0, 100 / 6, 100 / 6], [no] * 4,
         [no] * 4),
        ("p3-1", "gap", "derived", [0, 1], [0, 100 / 7], [no] * 2, [no] * 2),
        # baseline 0: the change in % and the response are unknown
        ("p4-1", "gap", "derived", [0, 0, -1], [np.nan] * 3, [na] * 3, [na] * 3),
        ("p5-1", "gap", "derived", [0, 2, 3], [0, 20, 30], [no, no, yes], [no] * 3),
        ("p6-1", "gap", "derived", [0, 1], [0, 50], [no, no], [no, no]),
    ]  # fmt: skip
    expected = pd.DataFrame(
        [
            (key, session, e_rule, s_rule, points, pct, resp, subst)
            for key, e_rule, s_rule, points_, pct_, resp_, subst_ in per_episode
            for session, (points, pct, resp, subst) in enumerate(
                zip(points_, pct_, resp_, subst_, strict=True), start=1
            )
        ],
        columns=list(got.columns),
    )
    expected = expected.astype({"change_points": "float64", "change_pct": "float64"})
    expected = expected.astype({"is_responder": "boolean", "is_substantial": "boolean"})
    assert_frame_equal(got, expected, check_exact=False, rtol=1e-9)


def test_episode_groups_come_from_the_first_visit(ep):
    first = ep.drop_duplicates("episode_key").set_index("episode_key")
    assert first["complaint_duration"].to_dict() == {
        "p1-1": "acute",
        "p1-2": "chronic",
        "p2-1": "chronic",
        "p3-1": "chronic",
        "p4-1": "acute",
        "p5-1": "chronic",
        "p6-1": "acute",
    }
    assert first.loc["p4-1", ["sex", "age_band", "region"]].tolist() == [
        "men",
        "unknown",
        "unknown",
    ]
    assert first["age_band"].to_dict()["p2-1"] == "60+"
    assert first["age_band"].to_dict()["p3-1"] == "40-59"
    assert first["age_band"].to_dict()["p1-2"] == "<40"
    assert first["period"].to_dict() == {
        "p1-1": "2023",
        "p1-2": "2023",
        "p2-1": "2023",
        "p3-1": "2024",
        "p4-1": "2024",
        "p5-1": "2024",
        "p6-1": "2024",
    }
    assert first["is_baseline_zero"].to_dict()["p4-1"]
    assert first["is_baseline_zero"].sum() == 1


def test_gap_of_exactly_90_days_stays_one_episode():
    rows = [
        ("q", None, "2024-01-01", None, 6.0, "acute", "men", 30, "neck"),
        ("q", None, "2024-03-31", None, 5.0, "acute", "men", 30, "neck"),  # +90 days
        ("q", None, "2024-06-30", None, 4.0, "acute", "men", 30, "neck"),  # +91 days
    ]
    ep = o.episodes(visits_frame(rows))
    assert ep["episode_key"].tolist() == ["q-1", "q-1", "q-2"]
    assert ep["session"].tolist() == [1, 2, 1]
    assert set(o.episodes(visits_frame(rows), gap_days=91)["episode_key"]) == {"q-1"}


def test_session_numbers_not_starting_at_1_are_derived():
    rows = [
        ("q", "E", "2024-01-01", 3, 6.0, "acute", "men", 30, "neck"),
        ("q", "E", "2024-01-08", 4, 5.0, "acute", "men", 30, "neck"),
    ]
    ep = o.episodes(visits_frame(rows))
    assert ep["session"].tolist() == [1, 2]
    assert set(ep["session_rule"]) == {"derived"}
    # Gaps in a consistent numbering are kept: the clinic says it was the fourth treatment.
    rows = [(*r[:3], s, *r[4:]) for r, s in zip(rows, (1, 4), strict=True)]
    ep = o.episodes(visits_frame(rows))
    assert ep["session"].tolist() == [1, 4]
    assert set(ep["session_rule"]) == {"export"}


def test_episode_summary_hand_worked(ep):
    summary = o.episode_summary(ep).set_index("episode_key")
    assert summary["last_session"].to_dict() == {
        "p1-1": 5,
        "p1-2": 3,
        "p2-1": 4,
        "p3-1": 2,
        "p4-1": 3,
        "p5-1": 3,
        "p6-1": 2,
    }
    first = summary["first_response_session"]
    assert first.dropna().to_dict() == {"p1-1": 3, "p5-1": 3}
    assert summary["first_substantial_session"].dropna().to_dict() == {"p1-1": 4}
    assert pd.isna(summary.loc["p4-1", "is_responder_at_last_visit"])
    assert summary.loc["p1-1", "is_responder_at_last_visit"]


def test_visit_table_errors_are_clear():
    raw = visits_frame().rename(columns={"patient_key": "patient_id"})
    with pytest.raises(o.OutcomeDataError, match="patient_key"):
        o.episodes(raw)
    with pytest.raises(o.OutcomeDataError, match="pain_nrs"):
        o.episodes(visits_frame().drop(columns="pain_nrs"))
    bad = visits_frame()
    bad.loc[3, "pain_nrs"] = 11.0
    with pytest.raises(o.OutcomeDataError, match="0-10"):
        o.episodes(bad)
    with pytest.raises(ValueError, match="cannot group by"):
        o.km_response(o.episodes(visits_frame()), by="practitioner")


def test_optional_columns_may_be_absent():
    minimal = visits_frame()[["patient_key", "visit_date", "pain_nrs", "complaint_duration"]]
    ep = o.episodes(minimal)
    assert set(ep["sex"]) == {"unknown"} and set(ep["age_band"]) == {"unknown"}
    # Without episode_id, p2's 100-day gap now splits its visits into two episodes.
    assert ep.loc[ep["patient_key"] == "p2", "episode_key"].nunique() == 2


# ---------------------------------------------------------------- trajectories and shares


def test_pain_by_session_hand_worked(ep):
    got = o.pain_by_session(ep, max_session=4)
    acute = got[got["group"] == "acute"].reset_index(drop=True)
    # acute scores by session: s1 8, 0, 2; s2 7, 0, 1; s3 5, 1; s4 4 (p1, p4, p6)
    expected = pd.DataFrame(
        {
            "group_by": ["complaint_duration"] * 4,
            "group": ["acute"] * 4,
            "session": [1, 2, 3, 4],
            "n_patients": [3, 3, 2, 1],
            "n_episodes": [3, 3, 2, 1],
            "pain_median": [2.0, 1.0, 3.0, 4.0],
            "pain_q1": [1.0, 0.5, 2.0, 4.0],
            "pain_q3": [5.0, 4.0, 4.0, 4.0],
        }
    )
    assert_frame_equal(acute, expected)
    everyone = got[got["group"] == "all"].set_index("session")
    # session 1: 8 6 6 7 0 10 2 from 6 patients (p1 twice): median 6, q1 4, q3 7.5
    assert everyone.loc[1, ["n_patients", "n_episodes"]].tolist() == [6, 7]
    assert everyone.loc[1, ["pain_median", "pain_q1", "pain_q3"]].tolist() == [6.0, 4.0, 7.5]
    assert list(got["group"].unique()) == ["all", "acute", "chronic"]


def test_pain_by_session_has_every_session_for_every_group(ep):
    got = o.pain_by_session(ep, by="region", max_session=5)
    # upper_back (p6) has visits at sessions 1-2 only; its rows 3-5 say n_patients 0.
    upper = got[got["group"] == "upper_back"].set_index("session")
    assert upper.index.tolist() == [1, 2, 3, 4, 5]
    assert upper["n_patients"].tolist() == [1, 1, 0, 0, 0]
    assert upper.loc[3:, "pain_median"].isna().all()


def test_wilson_interval_golden():
    # Wilson (1927) for 7 of 10, z = 1.96: centre (0.7 + 1.96^2/20) / (1 + 1.96^2/10) = 0.6445,
    # half-width 1.96 * sqrt(0.021 + 0.009604) / 1.38415 = 0.2477 -> 0.3968 to 0.8922.
    low, high = o.wilson_interval([7, 1, 0], [10, 1, 0])
    assert round(low[0], 4) == 0.3968 and round(high[0], 4) == 0.8922
    # 1 of 1: 1 / (1 + 1.96^2) = 0.2065 to 1.
    assert round(low[1], 4) == 0.2065 and high[1] == pytest.approx(1.0)
    assert np.isnan(low[2]) and np.isnan(high[2])


def test_share_by_session_hand_worked(ep):
    got = o.response_by_session_share(ep, 3, by="complaint_duration")
    # Eligible episodes (p4 left out): p1-1 (responds at 3, 5 sessions), p1-2 (3, none),
    # p2-1 (4, none), p3-1 (2, none), p5-1 (responds at 3), p6-1 (2, none).
    # Reached session 3: p1-1, p1-2, p2-1, p5-1 -> 2 responders of 4 (3 patients).
    # Wilson 2 of 4: 0.5 -/+ 0.3500 -> 0.1500 to 0.8500.
    # acute: p1-1 reached (responded), p6-1 stopped at 2 -> 1 of 1; p4 baseline 0.
    # chronic: p1-2, p2-1, p5-1 reached -> 1 of 3; p3-1 stopped at 2.
    expected = pd.DataFrame(
        {
            "group_by": ["all", "complaint_duration", "complaint_duration"],
            "group": ["all", "acute", "chronic"],
            "outcome": ["response"] * 3,
            "session": [3, 3, 3],
            "n_patients": [3, 1, 3],
            "n_episodes": [4, 1, 3],
            "n_responders": [2, 1, 1],
            "share": [0.5, 1.0, 1 / 3],
            "ci_low": [0.150039, 0.206549, 0.061492],
            "ci_high": [0.849961, 1.0, 0.792340],
            "n_episodes_started": [6, 2, 4],
            "n_stopped_before": [2, 1, 1],
            "n_baseline_zero": [1, 1, 0],
        }
    )
    assert_frame_equal(got, expected, check_exact=False, atol=1e-6)


def test_share_of_substantial_and_no_one_reaching_the_session(ep):
    got = o.response_by_session_share(ep, [4, 10], outcome="substantial").set_index("session")
    # Reached 4: p1-1 (substantial at 4) and p2-1 -> 1 of 2. Nobody reached 10.
    assert got.loc[4, ["n_episodes", "n_responders", "share"]].tolist() == [2, 1, 0.5]
    assert got.loc[10, "n_episodes"] == 0 and np.isnan(got.loc[10, "share"])


# ---------------------------------------------------------------- Kaplan-Meier


def test_km_hand_worked(ep):
    km = o.km_response(ep, by="complaint_duration")
    everyone = km[km["group"] == "all"].reset_index(drop=True)
    # (time, event) per eligible episode: p1-1 (3, 1), p1-2 (3, 0), p2-1 (4, 0), p3-1 (2, 0),
    # p5-1 (3, 1), p6-1 (2, 0).
    # s1: 6 at risk, nothing; s2: 6 at risk, 2 censored; s3: 4 at risk, 2 responses, 1
    # censored -> S = 1 - 2/4 = 0.5; s4: 1 at risk, censored.
    # Greenwood at s3: se = 0.5 * sqrt(2 / (4 * 2)) = 0.25.
    # log(-log): sigma = 0.25 / (0.5 * ln 2) = 0.72135; S ** exp(-/+ 1.96 sigma) =
    # 0.5 ** 0.24320 = 0.84486 and 0.5 ** 4.11181 = 0.05785 -> cumulative 0.15514 to 0.94215.
    expected = pd.DataFrame(
        {
            "group_by": ["all"] * 4,
            "group": ["all"] * 4,
            "outcome": ["response"] * 4,
            "session": [1, 2, 3, 4],
            "n_at_risk": [6, 6, 4, 1],
            "n_patients_at_risk": [5, 5, 3, 1],
            "n_events": [0, 0, 2, 0],
            "n_censored": [0, 2, 1, 1],
            "cum_response": [0.0, 0.0, 0.5, 0.5],
            "ci_low": [np.nan, np.nan, 0.155139, 0.155139],
            "ci_high": [np.nan, np.nan, 0.942153, 0.942153],
            "greenwood_se": [0.0, 0.0, 0.25, 0.25],
        }
    )
    assert_frame_equal(everyone, expected, check_exact=False, atol=1e-6)
    chronic = km[km["group"] == "chronic"].set_index("session")
    # chronic: (3, 0), (4, 0), (2, 0), (3, 1): s3 has 3 at risk and 1 response -> S = 2/3,
    # se = 2/3 * sqrt(1 / (3 * 2)) = 0.27217; interval 0.05479 to 0.94593.
    assert chronic.loc[3, "cum_response"] == pytest.approx(1 / 3)
    assert chronic.loc[3, "greenwood_se"] == pytest.approx(0.272166, abs=1e-6)
    assert chronic.loc[3, ["ci_low", "ci_high"]].tolist() == pytest.approx(
        [0.054794, 0.945927], abs=1e-6
    )
    acute = km[km["group"] == "acute"].set_index("session")
    # acute: (3, 1), (2, 0): the last one at risk responds at 3 -> S = 0, interval undefined.
    assert acute["cum_response"].tolist() == [0.0, 0.0, 1.0]
    assert acute.loc[3, ["ci_low", "ci_high"]].isna().all()


def test_median_sessions_hand_worked(ep):
    medians = o.median_sessions_to_response(o.km_response(ep, by="complaint_duration"))
    medians = medians.set_index("group")
    # all: cumulative 0.5 reached at session 3 (exact plateau: our rule takes its first session;
    # statsmodels' strict S < 0.5 would give none). Lower limit: first ci_high >= 0.5 -> 3;
    # upper: ci_low never reaches 0.5 -> not reached.
    assert medians.loc["all", "median_sessions"] == 3
    assert medians.loc["all", "ci_low"] == 3 and pd.isna(medians.loc["all", "ci_high"])
    assert medians.loc["acute", "median_sessions"] == 3
    assert pd.isna(medians.loc["chronic", "median_sessions"])
    assert not medians.loc["chronic", "is_median_reached"]
    assert medians.loc["all", ["n_patients", "n_episodes", "last_session"]].tolist() == [5, 6, 4]


def test_website_claim_check_hand_worked(ep):
    claim = o.website_claim_check(ep).set_index(["complaint_duration", "method"])
    # Acute by session 5, complete case: only p1-1 reached 5, and it responded: 1 of 1.
    cc = claim.loc[("acute", "complete_case")]
    assert (cc["n_episodes"], cc["n_responders"], cc["estimate"]) == (1, 1, 1.0)
    # Kaplan-Meier: the acute curve reaches 1 at session 3 and stays there, nobody at risk.
    km = claim.loc[("acute", "kaplan_meier")]
    assert (km["estimate"], km["n_episodes"], km["n_responders"]) == (1.0, 0, 1)
    # Chronic by session 10: nobody got that far; the KM curve stops at session 4.
    assert claim.loc[("chronic", "complete_case"), "n_episodes"] == 0
    assert np.isnan(claim.loc[("chronic", "kaplan_meier"), "estimate"])
    assert claim["session"].tolist() == [5, 5, 5, 10, 10, 10]
    assert claim.index.get_level_values("method").tolist() == list(o.RESPONSE_METHODS) * 2


def test_all_started_hand_worked(ep):
    """Every episode that started, those who stopped counted as not responded; those that may
    still be going on (last visit within 90 days of the records' end, 13 May 2024) set apart."""
    claim = o.website_claim_check(ep).set_index(["complaint_duration", "method"])
    acute = claim.loc[("acute", "all_started")]
    # p1-1 responded at 3; p4-1 has baseline 0 (no denominator); p6-1's last visit is the
    # records' last day, no response, session 2 of 5: ongoing, neither responder nor stopped.
    assert (acute["n_episodes"], acute["n_responders"]) == (2, 1)
    assert (acute["n_stopped_before"], acute["n_ongoing"], acute["estimate"]) == (0, 1, 1.0)
    chronic = claim.loc[("chronic", "all_started")]
    # p5-1 responded at 3 (its last visit is recent, but it has responded: counted as such);
    # p1-2 and p2-1 stopped long ago; p3-1's last visit (12 Feb 2024) is 91 days before the
    # end: one day beyond the gap, so it stopped. 1 of 4.
    assert (chronic["n_episodes"], chronic["n_responders"], chronic["n_stopped_before"]) == (
        4,
        1,
        3,
    )
    assert chronic["n_ongoing"] == 0 and chronic["estimate"] == 0.25
    # Wilson 95% for 1 of 4 (by hand: centre (1 + 1.92)/(4 + 3.84), half-width
    # 1.96 * sqrt(1*3/4 + 0.96)/(4 + 3.84)).
    z = 1.959963984540054
    centre, half = (1 + z * z / 2) / (4 + z * z), z * np.sqrt(0.75 + z * z / 4) / (4 + z * z)
    assert (chronic["ci_low"], chronic["ci_high"]) == pytest.approx((centre - half, centre + half))
    # A day later p3-1 would be 92 days away; a day earlier (end 12 May) it would be ongoing.
    earlier = o.website_claim_check(ep, end=pd.Timestamp("2024-05-12")).set_index(
        ["complaint_duration", "method"]
    )
    assert earlier.loc[("chronic", "all_started"), "n_ongoing"] == 1
    assert earlier.loc[("chronic", "all_started"), "estimate"] == pytest.approx(1 / 3)


def test_response_table_reports_every_group_at_both_sessions(ep):
    table = o.response_table(ep)
    assert set(table["complaint_duration"]) == set(o.COMPLAINT_DURATIONS)
    assert set(zip(table["complaint_duration"], table["session"], strict=True)) == {
        (d, s) for d in o.COMPLAINT_DURATIONS for s in o.REPORT_SESSIONS
    }
    claims = table[table["is_claim"]]
    assert set(zip(claims["complaint_duration"], claims["session"], strict=True)) == {
        ("acute", 5),
        ("chronic", 10),
    }
    assert (table.loc[~table["is_claim"], "claim"] == "").all()


def test_empty_visit_table_gives_empty_tables():
    ep = o.episodes(visits_frame().iloc[0:0])
    assert ep.empty
    assert o.pain_by_session(ep).empty
    assert o.km_response(ep).empty
    assert o.median_sessions_to_response(o.km_response(ep)).empty
    shares = o.response_by_session_share(ep, 5)
    assert shares["n_episodes"].tolist() == [0]
    assert o.website_claim_check(ep)["n_patients"].tolist() == [0] * 6


# ---------------------------------------------------------------- benchmarks


@pytest.fixture(scope="module")
def benchmarks():
    return o.benchmarks_table(data.load("outcome_benchmarks")).set_index("benchmark_id")


def test_gerac_responder_rates(benchmarks):
    # Haake et al., Arch Intern Med 2007;167:1892-8 (GERAC): responders at 6 months 47.6%
    # verum, 44.2% sham, 27.4% conventional therapy; 10 sessions per protocol.
    gerac = benchmarks.loc[
        [
            "gerac_2007_verum_responder_6m",
            "gerac_2007_sham_responder_6m",
            "gerac_2007_conventional_responder_6m",
        ]
    ]
    assert gerac["value"].tolist() == [47.6, 44.2, 27.4]
    assert gerac["sessions_per_protocol"].tolist() == [10, 10, 10]
    assert gerac["is_responder_definition_different"].all()
    assert gerac["definition_note"].str.contains("Von Korff").all()
    assert "47.6% responders" in gerac["label"].iloc[0]


def test_costa_natural_course_and_derived_drop(benchmarks):
    # da C Menezes Costa et al., CMAJ 2012;184:E613: acute pain 52 at baseline, 23 at 6 weeks
    # (0-100). Rugzicht derives the drop of the mean: (52 - 23) / 52 = 55.8%.
    assert benchmarks.loc["costa_2012_acute_pain_baseline", "value"] == 52
    assert benchmarks.loc["costa_2012_acute_pain_6w", "value"] == 23
    drop = benchmarks.loc["costa_2012_acute_pain_drop_6w_derived"]
    assert drop["value"] == pytest.approx(29 / 52 * 100)
    assert drop["is_derived"] and "derived" in drop["label"]
    assert benchmarks.index[benchmarks["is_derived"]].str.endswith("_derived").all()
    assert benchmarks["is_derived"].sum() == 2
    # persistent pain 51 -> 33: 35.3%
    persistent = benchmarks.loc["costa_2012_persistent_pain_drop_6w_derived", "value"]
    assert persistent == pytest.approx(18 / 51 * 100)


def test_benchmark_rows_and_labels(benchmarks):
    assert set(benchmarks["panel"]) == {
        "chronic_response",
        "chronic_pain_change",
        "acute",
        "natural_course",
    }
    acuback = benchmarks.loc["acuback_2020_acupuncture_median_days_to_recovery"]
    assert acuback["value"] == 9 and acuback["panel"] == "acute"
    cochrane = benchmarks.loc["cochrane_2020_vs_usual_care_pain_difference_post"]
    assert "10.26 lower than with usual care" in cochrane["label"]
    assert "(95% CI 3.4 to 17.11 lower)" in cochrane["label"]
    vickers = benchmarks.loc["vickers_linde_2014_acupuncture_modelled_response", "label"]
    assert "about 50% responders (modelled)" in vickers
    assert benchmarks.loc["art_2006_acupuncture_pain_change_8w", "value"] == 28.7
    # Every row's definition differs from ours, and each says how.
    assert benchmarks["is_responder_definition_different"].all()
    assert benchmarks["definition_note"].str.startswith("Differs from ours").all()
    assert benchmarks["label"].str.len().gt(20).all()


def test_benchmarks_fail_clearly_without_their_rows():
    table = data.load("outcome_benchmarks")
    table = table[table["figure_id"] != "gerac_2007_sham_responder_6m"]
    with pytest.raises(o.OutcomeDataError, match="gerac_2007_sham_responder_6m"):
        o.benchmarks_table(table)


# ---------------------------------------------------------------- invariants

DURATIONS = ["acute", "subacute", "chronic"]


@st.composite
def clinics(draw):
    """A random clinic: 1-12 patients with 1-12 visits each, pain in half points."""
    rows = []
    for p in range(draw(st.integers(1, 12))):
        day = pd.Timestamp("2023-01-02") + pd.Timedelta(days=draw(st.integers(0, 600)))
        duration = draw(st.sampled_from(DURATIONS))
        sex = draw(st.sampled_from(["men", "women", None]))
        age = draw(st.one_of(st.none(), st.integers(18, 90)))
        for _ in range(draw(st.integers(1, 12))):
            pain = draw(st.integers(0, 20)) / 2
            rows.append((f"p{p}", None, day, None, pain, duration, sex, age, "low_back"))
            day += pd.Timedelta(days=draw(st.sampled_from([1, 7, 14, 95])))
    return visits_frame(rows)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clinics())
def test_responder_logic(visits):
    ep = o.episodes(visits)
    known = ep[ep["is_responder"].notna()]
    responders = known[known["is_responder"].astype(bool)]
    assert (responders["change_pct"] >= 30).all()
    assert (responders["change_points"] >= 2).all()
    both = (known["change_pct"] >= 30) & (known["change_points"] >= 2)
    assert (known["is_responder"].astype(bool) == both).all()
    substantial = known[known["is_substantial"].astype(bool)]
    assert substantial["is_responder"].astype(bool).all()
    assert (substantial["change_pct"] >= 50).all()
    # Baseline 0 and only baseline 0 leaves the response unknown.
    assert (ep["is_responder"].isna() == ep["is_baseline_zero"]).all()
    # Sessions run 1, 2, ... in every episode and the first visit is the baseline.
    assert (ep.groupby("episode_key")["session"].min() == 1).all()
    firsts = ep[ep["session"] == 1]
    assert (firsts["change_points"] == 0).all()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clinics(), st.sampled_from(["response", "substantial"]))
def test_km_is_monotone_bounded_and_inside_its_interval(visits, outcome):
    ep = o.episodes(visits)
    km = o.km_response(ep, by=["complaint_duration", "sex"], outcome=outcome)
    for _, curve in km.groupby(["group_by", "group"]):
        cum = curve.sort_values("session")["cum_response"].to_numpy()
        assert (np.diff(cum) >= -1e-12).all()
        assert ((cum >= 0) & (cum <= 1)).all()
        at_risk = curve.sort_values("session")["n_at_risk"].to_numpy()
        assert (np.diff(at_risk) <= 0).all()
    ci = km.dropna(subset=["ci_low", "ci_high"])
    assert ((ci["ci_low"] >= 0) & (ci["ci_high"] <= 1)).all()
    assert (ci["ci_low"] <= ci["cum_response"] + 1e-12).all()
    assert (ci["cum_response"] <= ci["ci_high"] + 1e-12).all()
    shares = o.response_by_session_share(ep, [2, 5], by="complaint_duration", outcome=outcome)
    shown = shares.dropna(subset=["share"])
    assert ((shown["share"] >= 0) & (shown["share"] <= 1)).all()
    assert (shown["ci_low"] <= shown["share"] + 1e-12).all()
    assert (shown["share"] <= shown["ci_high"] + 1e-12).all()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clinics())
def test_km_matches_a_hand_rolled_product_limit(visits):
    ep = o.episodes(visits)
    km = o.km_response(ep, include_all=False)
    summary = o.episode_summary(ep)
    summary = summary[~summary["is_baseline_zero"]]
    if summary.empty:
        assert km.empty
        return
    time = summary["first_response_session"].fillna(summary["last_session"]).to_numpy(int)
    event = summary["first_response_session"].notna().to_numpy()
    surv = 1.0
    for s, cum in zip(km["session"], km["cum_response"], strict=True):
        at_risk = (time >= s).sum()
        events = ((time == s) & event).sum()
        surv *= 1 - events / at_risk
        assert cum == pytest.approx(1 - surv, abs=1e-12)


def test_median_and_interval_agree_with_statsmodels():
    from statsmodels.duration.survfunc import SurvfuncRight

    rng = np.random.default_rng(7)
    rows = []
    for p in range(80):
        day = pd.Timestamp("2024-01-01")
        pain = 8.0
        for _ in range(int(rng.integers(2, 14))):
            rows.append((f"p{p}", None, day, None, pain, "chronic", "men", 50, "neck"))
            pain = max(0.0, pain - float(rng.integers(0, 2)))
            day += pd.Timedelta(days=7)
    ep = o.episodes(visits_frame(rows))
    km = o.km_response(ep, include_all=False)
    median = o.median_sessions_to_response(km).iloc[0]
    summary = o.episode_summary(ep)
    time = summary["first_response_session"].fillna(summary["last_session"]).to_numpy(float)
    fit = SurvfuncRight(time, summary["first_response_session"].notna().to_numpy(float))
    assert not np.isclose(fit.surv_prob, 0.5).any()  # no exact plateau: the rules agree
    with np.errstate(divide="ignore", invalid="ignore"):  # statsmodels at S = 0
        low, high = fit.quantile_ci(0.5, method="cloglog")
    assert median["median_sessions"] == fit.quantile(0.5)
    assert median["ci_low"] == low
    assert (pd.isna(median["ci_high"]) and math.isinf(high)) or median["ci_high"] == high


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clinics(), st.sampled_from([None, "2023-06-01", "2030-01-01"]))
def test_the_three_counts_add_up_and_the_conservative_one_is_at_most_kaplan_meier(visits, end):
    """Every started episode is a responder by the session, reached it without responding,
    stopped before it, or may still be going on; with nobody ongoing, the all-started share is
    at most the Kaplan-Meier estimate (which lies between 'every censored episode fails' and
    'every censored episode succeeds')."""
    ep = o.episodes(visits)
    end = None if end is None else max(pd.Timestamp(end), ep["visit_date"].max())
    table = o.response_table(ep, end=end).set_index(["complaint_duration", "session", "method"])
    summary = o.episode_summary(ep)
    for duration in DURATIONS:
        started = summary[
            (summary["complaint_duration"] == duration) & ~summary["is_baseline_zero"]
        ]
        for session in o.REPORT_SESSIONS:
            row = table.loc[(duration, session, "all_started")]
            cc = table.loc[(duration, session, "complete_case")]
            km = table.loc[(duration, session, "kaplan_meier")]
            assert row["n_episodes"] == len(started)
            reached_not = cc["n_episodes"] - cc["n_responders"]
            assert row["n_responders"] + reached_not + row["n_stopped_before"] + row[
                "n_ongoing"
            ] == len(started)
            if row["n_ongoing"] == 0 and not np.isnan(km["estimate"]):
                assert row["estimate"] <= km["estimate"] + 1e-9
            if len(started) - row["n_ongoing"] > 0:
                assert row["ci_low"] - 1e-12 <= row["estimate"] <= row["ci_high"] + 1e-12


def test_the_all_started_share_can_exceed_the_complete_case_share():
    """Not an invariant (issue 13 expected one): an episode that responds early and then stops
    counts as a responder among all who started but is left out of the complete cases. A
    responds at session 2 and stops at 3; B reaches session 5 without responding."""
    rows = [("a", None, pd.Timestamp("2023-01-02") + pd.Timedelta(weeks=w), None, pain,
             "acute", "women", 40, "low_back") for w, pain in enumerate([8, 4, 4])]  # fmt: skip
    rows += [("b", None, pd.Timestamp("2023-01-02") + pd.Timedelta(weeks=w), None, 8.0,
              "acute", "men", 50, "low_back") for w in range(5)]  # fmt: skip
    ep = o.episodes(visits_frame(rows))
    claim = o.website_claim_check(ep, end=pd.Timestamp("2024-01-01"))
    claim = claim[claim["complaint_duration"] == "acute"].set_index("method")
    assert claim.loc["all_started", "estimate"] == 0.5
    assert claim.loc["complete_case", "estimate"] == 0.0
    assert claim.loc["kaplan_meier", "estimate"] == 0.5  # A's response at 2, before B's end
