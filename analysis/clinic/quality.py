"""The owner's own figures: the clinic's outcomes without suppression, and the data quality.

Pure functions over the visit table the clinic store returns (`ClinicStore.visits()`, one row per
visit with `patient_key`): DataFrame in, DataFrames out. Nothing here is suppressed: every
group, every start year and quarter, small ones too. These tables are for the signed-in owner
only (the Clinic data page); no public page, link, embed, export or preview may show them.
Counts, never rows: a patient key appears in none of the outputs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import outcomes
from analysis.vocabulary import ALL, CLAIM_SESSIONS

# The sessions the website names (5 for acute, 10 for chronic).
SESSIONS: tuple[int, ...] = tuple(sorted(set(CLAIM_SESSIONS.values())))
# Every grouping the owner sees: the public ones, the region, the start year and quarter.
GROUPINGS: tuple[str, ...] = ("complaint_duration", "sex", "age_band", "region", "period")
QUARTER = "quarter"


@dataclass(frozen=True)
class FullOutcomes:
    """The clinic's outcome tables without suppression."""

    groups: pd.DataFrame  # one row per group: counts, responders by session 5 and 10, KM
    pain: pd.DataFrame  # pain by session per complaint duration (outcomes.pain_by_session)
    km: pd.DataFrame  # Kaplan-Meier per complaint duration (outcomes.km_response)
    claims: pd.DataFrame  # the website claim check (outcomes.website_claim_check)
    n_patients: int
    n_episodes: int


def quarter_of(dates: pd.Series) -> pd.Series:
    """'2024-Q1' ... for each date."""
    stamps = pd.to_datetime(dates)
    return stamps.dt.year.astype("str") + "-Q" + stamps.dt.quarter.astype("str")


def _with_quarter(ep: pd.DataFrame) -> pd.DataFrame:
    """`ep` with the start quarter of each episode in the `period` column (the groups of the
    outcomes functions are fixed; the start year is `period`, so the quarter borrows it)."""
    first = ep.groupby("episode_key", sort=False, observed=True)["visit_date"].transform("min")
    return ep.assign(period=quarter_of(first))


def _values(by: str, column: pd.Series) -> list[str]:
    """The values of a grouping in display order (unknown last; years and quarters sorted)."""
    present = set(column.dropna().astype("str"))
    order = outcomes.GROUP_ORDER.get(by, ())
    return [v for v in order if v in present] + sorted(present - set(order))


def _group_row(part: pd.DataFrame, sessions: tuple[int, ...]) -> dict:
    eligible = part[~part["is_baseline_zero"].astype(bool)]
    first = eligible["first_response_session"]
    row: dict = {
        "n_patients": int(part["patient_key"].nunique()),
        "n_episodes": len(part),
        "baseline_pain_median": float(part["baseline_pain"].median()) if len(part) else np.nan,
    }
    for s in sessions:
        responded = first.notna() & (first <= s)
        reached = eligible["last_session"] >= s
        n_reached = int(reached.sum())
        row[f"responded_all_{s}"] = responded.sum() / len(eligible) if len(eligible) else np.nan
        row[f"responded_reached_{s}"] = (
            (responded & reached).sum() / n_reached if n_reached else np.nan
        )
        row[f"reached_{s}"] = n_reached
    return row


def group_table(ep: pd.DataFrame, sessions: tuple[int, ...] = SESSIONS) -> pd.DataFrame:
    """One row per group (all, then each value of every grouping, then each start quarter):
    group_by, group, n_patients, n_episodes, baseline_pain_median, and per session s in
    `sessions`: responded_all_s (share of the episodes with a baseline above 0 that responded
    at or before session s: those who stopped earlier without responding count as not
    responded), responded_reached_s (the same among those that reached session s), reached_s
    (episodes that reached it) and km_s (Kaplan-Meier cumulative response by s), then
    median_sessions (Kaplan-Meier median sessions to response; NA when not reached)."""
    columns = ["group_by", "group", "n_patients", "n_episodes", "baseline_pain_median"]
    for s in sessions:
        columns += [f"responded_all_{s}", f"responded_reached_{s}", f"reached_{s}", f"km_{s}"]
    columns.append("median_sessions")
    if ep.empty:
        return pd.DataFrame(columns=columns)
    summary = outcomes.episode_summary(ep)
    summary[QUARTER] = quarter_of(summary["first_visit"])
    rows = [{"group_by": ALL, "group": ALL, **_group_row(summary, sessions)}]
    for by in (*GROUPINGS, QUARTER):
        column = summary[by].astype("str")
        for value in _values(by, column):
            part = summary[column == value]
            rows.append({"group_by": by, "group": value, **_group_row(part, sessions)})
    out = pd.DataFrame(rows)
    km = pd.concat(
        [
            outcomes.km_response(ep, [*GROUPINGS]),
            outcomes.km_response(_with_quarter(ep), "period", include_all=False).assign(
                group_by=QUARTER
            ),
        ],
        ignore_index=True,
    )
    keys = ["group_by", "group"]
    for s in sessions:
        out = out.join(_km_at(km, s).rename(f"km_{s}"), on=keys)
    medians = outcomes.median_sessions_to_response(km).set_index(keys)["median_sessions"]
    out = out.join(medians, on=keys)
    return out[columns]


def _km_at(km: pd.DataFrame, session: int) -> pd.Series:
    """The Kaplan-Meier cumulative response by `session` per curve: the value at the last
    observed session at or before it (a curve is flat between sessions); NaN when the curve
    ends before the session unless it had already reached 1."""
    rows = {}
    for key, curve in km.groupby(["group_by", "group"], sort=False):
        curve = curve.sort_values("session")
        upto = curve[curve["session"] <= session]
        if upto.empty:
            rows[key] = np.nan
            continue
        value = float(upto["cum_response"].iloc[-1])
        ended = int(curve["session"].iloc[-1]) < session
        rows[key] = value if not ended or value >= 1 - 1e-12 else np.nan
    index = pd.MultiIndex.from_tuples(list(rows), names=["group_by", "group"])
    return pd.Series(list(rows.values()), index=index, dtype="float64")


def full_outcomes(visits: pd.DataFrame) -> FullOutcomes:
    """Every outcome table of the clinic's records, without suppression."""
    ep = outcomes.episodes(visits)
    if ep.empty:
        empty = pd.DataFrame()
        return FullOutcomes(empty, empty, empty, empty, 0, 0)
    return FullOutcomes(
        groups=group_table(ep),
        pain=outcomes.pain_by_session(ep, by="complaint_duration", max_session=15),
        km=outcomes.km_response(ep, by="complaint_duration"),
        claims=outcomes.website_claim_check(ep),
        n_patients=int(ep["patient_key"].nunique()),
        n_episodes=int(ep["episode_key"].nunique()),
    )


# --------------------------------------------------------------------------- data quality


@dataclass(frozen=True)
class Quality:
    """What the owner should know about the records before trusting the figures."""

    n_visits: int
    n_patients: int
    n_episodes: int
    one_visit: int  # episodes with a single visit
    stopped_before: dict[int, int]  # session -> episodes that ended (not ongoing) before it
    ongoing: int  # episodes whose last visit is within the gap rule of the newest visit
    missing: pd.DataFrame  # field, visits_missing, episodes_missing (by the first-visit rule)
    per_month: pd.DataFrame  # month ('2024-01'), visits, patients, new_episodes
    reference_date: pd.Timestamp | None  # the newest visit: "ongoing" is judged against it


QUALITY_FIELDS: tuple[tuple[str, str], ...] = (
    ("sex", "sex"),
    ("age", "age_band"),
    ("complaint_duration", "complaint_duration"),
)


def _missing(values: pd.Series) -> pd.Series:
    """Empty cells: NA, or blank text."""
    text = values.astype("string")
    return values.isna() | text.str.strip().fillna("").eq("")


def visits_per_month(visits: pd.DataFrame, ep: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per calendar month from the first to the last visit (months without visits
    included, with 0): month, visits, patients (distinct), new_episodes (first visits)."""
    columns = ["month", "visits", "patients", "new_episodes"]
    if visits.empty:
        types = {c: "str" if c == "month" else "int64" for c in columns}
        return pd.DataFrame({c: pd.Series(dtype=kind) for c, kind in types.items()})
    month = pd.to_datetime(visits["visit_date"]).dt.to_period("M")
    months = pd.period_range(month.min(), month.max(), freq="M")
    frame = pd.DataFrame({"month": month, "patient_key": visits["patient_key"].to_numpy()})
    g = frame.groupby("month")
    out = pd.DataFrame({"visits": g.size(), "patients": g["patient_key"].nunique()})
    out = out.reindex(months, fill_value=0)
    if ep is None:
        ep = outcomes.episodes(visits)
    firsts = ep.loc[ep["session"].eq(ep.groupby("episode_key")["session"].transform("min"))]
    starts = pd.to_datetime(firsts["visit_date"]).dt.to_period("M").value_counts()
    out["new_episodes"] = starts.reindex(months, fill_value=0).to_numpy()
    out = out.astype("int64")
    out.index = out.index.astype("str")
    return out.rename_axis("month").reset_index()[columns]


def data_quality(
    visits: pd.DataFrame,
    sessions: tuple[int, ...] = SESSIONS,
    gap_days: int = outcomes.GAP_DAYS,
) -> Quality:
    """Episodes with one visit only, episodes that stopped before each session in `sessions`
    (apart from those that may still be going on: last visit within `gap_days` of the newest
    visit in the records), missing sex, age and complaint duration (per visit, and per episode
    after the first-visit rule of `analysis.outcomes`), and visits per month."""
    if visits.empty:
        missing = pd.DataFrame(
            {"field": [f for f, _ in QUALITY_FIELDS], "visits_missing": 0, "episodes_missing": 0}
        )
        return Quality(0, 0, 0, 0, dict.fromkeys(sessions, 0), 0, missing,
                       visits_per_month(visits), None)  # fmt: skip
    ep = outcomes.episodes(visits, gap_days)
    summary = outcomes.episode_summary(ep)
    reference = pd.Timestamp(pd.to_datetime(visits["visit_date"]).max())
    last = pd.to_datetime(summary["last_visit"])
    ongoing = (reference - last).dt.days <= gap_days
    ended = summary[~ongoing]
    rows = []
    for field, episode_column in QUALITY_FIELDS:
        in_visits = int(_missing(visits[field]).sum()) if field in visits else len(visits)
        in_episodes = int(summary[episode_column].astype("str").eq(outcomes.UNKNOWN).sum())
        rows.append({"field": field, "visits_missing": in_visits, "episodes_missing": in_episodes})
    return Quality(
        n_visits=len(visits),
        n_patients=int(visits["patient_key"].nunique()),
        n_episodes=len(summary),
        one_visit=int(summary["n_visits"].eq(1).sum()),
        stopped_before={s: int(ended["last_session"].lt(s).sum()) for s in sessions},
        ongoing=int(ongoing.sum()),
        missing=pd.DataFrame(rows),
        per_month=visits_per_month(visits, ep),
        reference_date=reference,
    )
