"""The owner's private figures (`analysis.clinic.quality`) on hand-made visit tables: nothing
suppressed, counts that can be checked by hand, and no patient key in any output."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.clinic import quality
from dashboard.views import owner


def visits_of(episodes: list[tuple]) -> pd.DataFrame:
    """Visits from (patient, first date, pains, duration, sex, age): one visit a week."""
    rows = []
    for patient, start, pains, duration, sex, age in episodes:
        for i, pain in enumerate(pains):
            rows.append(
                {
                    "patient_key": patient,
                    "visit_date": pd.Timestamp(start) + pd.Timedelta(weeks=i),
                    "pain_nrs": float(pain),
                    "complaint_duration": duration,
                    "sex": sex,
                    "age": age,
                }
            )
    return pd.DataFrame(rows)


# Five episodes of four patients; "p4" has two episodes more than 90 days apart.
CLINIC = visits_of(
    [
        ("p1", "2024-01-08", [8, 7, 5, 4, 3, 3], "acute", "women", 35),  # responds at session 3
        ("p2", "2024-02-05", [6], "chronic", "men", 61),  # one visit only
        ("p3", "2024-04-01", [7, 7, 7], "chronic", None, None),  # stops before 5, no response
        ("p4", "2024-01-15", [5, 5, 5, 5, 5, 5, 5, 5, 5, 2, 2], "chronic", "women", 45),
        ("p4", "2024-09-02", [9, 8, 4], "acute", "women", 46),  # last visits of the records
    ]
)


def test_the_group_table_hides_nothing_and_counts_by_hand():
    ep = quality.outcomes.episodes(CLINIC)
    table = quality.group_table(ep).set_index(["group_by", "group"])
    everyone = table.loc[("all", "all")]
    assert everyone["n_patients"] == 4 and everyone["n_episodes"] == 5
    # Responded by session 5 among all started: p1 (session 3) and p4's second (session 3).
    assert everyone["responded_all_5"] == pytest.approx(2 / 5)
    # Reached session 5: p1 and p4's first; of those only p1 had responded by then.
    assert everyone["reached_5"] == 2 and everyone["responded_reached_5"] == pytest.approx(1 / 2)
    # Session 10: p4's first episode responds at session 10 (5 -> 2).
    assert everyone["responded_all_10"] == pytest.approx(3 / 5)
    assert everyone["reached_10"] == 1 and everyone["responded_reached_10"] == 1.0
    # Groups of one or two episodes are shown, as are unknown sex and age.
    assert table.loc[("sex", "men"), "n_episodes"] == 1
    assert table.loc[("sex", "unknown"), "n_episodes"] == 1
    assert table.loc[("age_band", "unknown"), "n_patients"] == 1
    assert table.loc[("age_band", "60+"), "n_patients"] == 1
    # Start years and quarters, each with its small count.
    assert table.loc[("period", "2024"), "n_episodes"] == 5
    quarters = table.xs("quarter", level="group_by")
    assert quarters["n_episodes"].to_dict() == {"2024-Q1": 3, "2024-Q2": 1, "2024-Q3": 1}
    # Kaplan-Meier by session 5 in the acute group: both acute episodes responded at 3.
    assert table.loc[("complaint_duration", "acute"), "km_5"] == pytest.approx(1.0)
    assert table.loc[("complaint_duration", "acute"), "median_sessions"] == 3


def test_full_outcomes_keeps_every_small_group_and_no_patient_key():
    full = quality.full_outcomes(CLINIC)
    assert (full.n_patients, full.n_episodes) == (4, 5)
    for frame in (full.groups, full.pain, full.km, full.claims):
        assert not frame.empty
        text = frame.astype("str").to_string()
        assert not any(key in text for key in ("p1", "p2", "p3", "p4")), "a patient key is shown"
        assert "patient_key" not in frame.columns and "episode_key" not in frame.columns
    # A pain median at a session with one patient is shown, not hidden.
    pain = full.pain.set_index(["group", "session"])
    assert pain.loc[("acute", 6), "n_patients"] == 1
    assert pain.loc[("acute", 6), "pain_median"] == 3


def test_data_quality_counts_one_visit_stoppers_missing_and_months():
    q = quality.data_quality(CLINIC)
    assert (q.n_visits, q.n_patients, q.n_episodes) == (len(CLINIC), 4, 5)
    assert q.one_visit == 1
    assert q.reference_date == pd.Timestamp("2024-09-16")
    # p4's second episode ended within 90 days of the newest visit: it may still go on.
    assert q.ongoing == 1
    # Ended before session 5: p2 (1 visit) and p3 (3 visits); before 10 also p1 (6 visits).
    assert q.stopped_before == {5: 2, 10: 3}
    missing = q.missing.set_index("field")
    assert missing.loc["sex", "visits_missing"] == 3 and missing.loc["sex", "episodes_missing"] == 1
    assert missing.loc["age", "visits_missing"] == 3 and missing.loc["age", "episodes_missing"] == 1
    assert missing.loc["complaint_duration"].tolist() == [0, 0]
    months = q.per_month.set_index("month")
    assert list(months.index) == [f"2024-{m:02d}" for m in range(1, 10)]
    assert months.loc["2024-01", "new_episodes"] == 2  # p1 and p4's first
    assert months.loc["2024-06", "visits"] == 0  # an empty month is listed with 0
    assert months["visits"].sum() == len(CLINIC)
    assert months["new_episodes"].sum() == 5


def test_blank_cells_count_as_missing_and_an_empty_store_is_fine():
    visits = CLINIC.assign(sex=CLINIC["sex"].fillna("  "))
    assert quality.data_quality(visits).missing.set_index("field").loc["sex", "visits_missing"] == 3
    nothing = CLINIC.iloc[0:0]
    q = quality.data_quality(nothing)
    assert q.n_visits == 0 and q.per_month.empty and q.stopped_before == {5: 0, 10: 0}
    full = quality.full_outcomes(nothing)
    assert full.n_episodes == 0


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_private_blocks_are_marked_private_in_both_languages(lang):
    from dashboard.i18n import t
    from dashboard.views.page import Table, Text

    for blocks in (
        owner.private_blocks(quality.full_outcomes(CLINIC), lang),
        owner.quality_blocks(quality.data_quality(CLINIC), lang),
        owner.private_blocks(quality.full_outcomes(CLINIC.iloc[0:0]), lang),
    ):
        first = blocks[0]
        assert isinstance(first, Text) and first.text == t("owner.private.banner", lang)
        assert first.text.startswith(("PRIVATE", "PRIVÉ"))
        for block in blocks:
            if isinstance(block, Table):
                assert "patient_key" not in block.frame.columns
