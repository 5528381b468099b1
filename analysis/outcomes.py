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

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

GAP_DAYS = 90
RESPONSE_PCT = 30.0
RESPONSE_POINTS = 2.0
SUBSTANTIAL_PCT = 50.0
UNKNOWN = "unknown"
ALL = "all"

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
    "complaint_duration": ("acute", "subacute", "chronic", UNKNOWN),
    "sex": ("men", "women", UNKNOWN),
    "age_band": ("<40", "40-59", "60+", UNKNOWN),
    "region": ("low_back", "neck", "upper_back", UNKNOWN),
}
OUTCOMES = ("response", "substantial")

# The website claim, as the clinic's owner wants to test it: complaint duration, session.
CLAIMS: tuple[tuple[str, int, str], ...] = (
    ("acute", 5, "acute back pain: many patients have significant relief after about 5 treatments"),
    ("chronic", 10, "chronic back pain: most patients improve after about 10 treatments"),
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
        empty = int(visits[col].isna().sum())
        if empty:
            raise OutcomeDataError(f"{empty} visit(s) have no {col}; every visit needs one")
    pain = pd.to_numeric(visits["pain_nrs"])
    bad = visits.loc[(pain < 0) | (pain > 10), "pain_nrs"]
    if len(bad):
        raise OutcomeDataError(
            f"pain_nrs must be on the 0-10 scale; {len(bad)} visit(s) are outside it "
            f"(first: {bad.iloc[0]!r})"
        )


def _age_band(age: pd.Series) -> pd.Series:
    """'<40', '40-59', '60+' or 'unknown' for a (nullable) age in years."""
    years = pd.to_numeric(age).astype("float64")
    band = np.select(
        [years < 40, years < 60, years >= 60], ["<40", "40-59", "60+"], default=UNKNOWN
    )
    return pd.Series(band, index=age.index, dtype="str")


def _episode_labels(df: pd.DataFrame, gap_days: int) -> pd.Series:
    """A label per visit that is unique within the patient: 'id:<episode_id>' or 'gap:<n>'.

    `df` must be sorted by patient and date.
    """
    has_id = df["episode_id"].notna()
    label = pd.Series("", index=df.index, dtype="str")
    label[has_id] = "id:" + df.loc[has_id, "episode_id"].astype("str")
    no_id = df[~has_id]
    if len(no_id):
        gap = no_id.groupby("patient_key", sort=False)["visit_date"].diff() > pd.Timedelta(
            days=gap_days
        )
        run = gap.astype("int64").groupby(no_id["patient_key"], sort=False).cumsum()
        label[~has_id] = "gap:" + run.astype("str")
    return label


def _sessions(df: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Session numbers and the rule used ('export' or 'derived') per visit.

    `df` must be sorted by episode, date and session_number.
    """
    keys = df["_episode"]
    derived = df.groupby(keys, sort=False).cumcount() + 1
    given = pd.to_numeric(df["session_number"]).astype("Float64")
    present = given.notna().groupby(keys, sort=False).transform("all")
    step = given.groupby(keys, sort=False).diff()
    first = derived == 1
    row_ok = (first & (given == 1)) | (~first & (step > 0))
    consistent = present & row_ok.fillna(False).astype(bool).groupby(keys, sort=False).transform(
        "all"
    )
    session = given.where(consistent, derived.astype("Float64")).round().astype("int64")
    rule = pd.Series(np.where(consistent, "export", "derived"), index=df.index, dtype="str")
    return session, rule


def episodes(visits: pd.DataFrame, gap_days: int = GAP_DAYS) -> pd.DataFrame:
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
    """
    _check_visits(visits)
    df = visits.copy()
    for col in _OPTIONAL:
        if col not in df.columns:
            df[col] = pd.NA
    df["visit_date"] = pd.to_datetime(df["visit_date"])
    df["pain_nrs"] = pd.to_numeric(df["pain_nrs"]).astype("float64")
    df["patient_key"] = df["patient_key"].astype("str")
    df["_row"] = np.arange(len(df))
    df["_sn"] = pd.to_numeric(df["session_number"]).astype("Float64")
    df = df.sort_values(["patient_key", "visit_date", "_sn", "_row"], kind="stable")

    df["_label"] = _episode_labels(df, gap_days)
    firsts = (
        df.groupby(["patient_key", "_label"], sort=False)["visit_date"]
        .min()
        .rename("_first")
        .reset_index()
        .sort_values(["patient_key", "_first", "_label"], kind="stable")
    )
    firsts["episode_number"] = firsts.groupby("patient_key", sort=False).cumcount() + 1
    df = df.merge(firsts, on=["patient_key", "_label"], how="left", validate="many_to_one")
    df["episode_key"] = df["patient_key"] + "-" + df["episode_number"].astype("str")
    df["episode_rule"] = np.where(df["_label"].str.startswith("id:"), "episode_id", "gap")
    df["episode_rule"] = df["episode_rule"].astype("str")
    df = df.sort_values(["patient_key", "episode_number", "visit_date", "_sn", "_row"])
    df = df.reset_index(drop=True)
    df["_episode"] = df["episode_key"]
    df["session"], df["session_rule"] = _sessions(df)

    by_episode = df.groupby("_episode", sort=False)
    df["baseline_pain"] = by_episode["pain_nrs"].transform("first")
    df["is_baseline_zero"] = (df["baseline_pain"] == 0).astype("bool")
    change = (df["baseline_pain"] - df["pain_nrs"]).round(_ROUND)
    df["change_points"] = change
    base = df["baseline_pain"].where(~df["is_baseline_zero"])
    df["change_pct"] = (change / base * 100).round(_ROUND)
    responder = (df["change_pct"] >= RESPONSE_PCT) & (df["change_points"] >= RESPONSE_POINTS)
    substantial = responder & (df["change_pct"] >= SUBSTANTIAL_PCT)
    df["is_responder"] = responder.astype("boolean").mask(df["is_baseline_zero"])
    df["is_substantial"] = substantial.astype("boolean").mask(df["is_baseline_zero"])

    for col in ("complaint_duration", "sex", "region"):
        first = by_episode[col].transform("first")
        df[col] = first.astype("str").where(first.notna(), UNKNOWN).astype("str")
    df["age_band"] = _age_band(by_episode["age"].transform("first"))
    df["period"] = by_episode["visit_date"].transform("min").dt.year.astype("str")

    front = [
        "patient_key",
        "episode_key",
        "episode_number",
        "episode_rule",
        "session",
        "session_rule",
        "visit_date",
        "pain_nrs",
        "baseline_pain",
        "change_points",
        "change_pct",
        "is_responder",
        "is_substantial",
        "is_baseline_zero",
        "complaint_duration",
        "sex",
        "age_band",
        "region",
        "period",
    ]
    rest = [c for c in visits.columns if c not in front] + [
        c for c in _OPTIONAL if c not in visits.columns and c not in front
    ]
    out = df[front + rest]
    return out.astype({"episode_number": "int64", "session": "int64"})


def episode_summary(ep: pd.DataFrame) -> pd.DataFrame:
    """One row per episode: its groups, length, baseline and when it first responded.

    Columns: episode_key, patient_key, complaint_duration, sex, age_band, region, period,
    first_visit, last_visit, n_visits, last_session, baseline_pain, last_pain, is_baseline_zero,
    first_response_session, first_substantial_session (Int64, NA when never reached or when the
    baseline is 0), is_responder_at_last_visit (whether the last visit still met the response
    criterion; NA when the baseline is 0).
    """
    groups = ["complaint_duration", "sex", "age_band", "region", "period"]
    g = ep.groupby("episode_key", sort=False)
    out = g[["patient_key", *groups]].first()
    out["first_visit"] = g["visit_date"].min()
    out["last_visit"] = g["visit_date"].max()
    out["n_visits"] = g.size()
    out["last_session"] = g["session"].max()
    out["baseline_pain"] = g["baseline_pain"].first()
    out["last_pain"] = g["pain_nrs"].last()
    out["is_baseline_zero"] = g["is_baseline_zero"].first().astype("bool")
    for flag, name in (
        ("is_responder", "first_response_session"),
        ("is_substantial", "first_substantial_session"),
    ):
        hit = ep["session"].where(ep[flag].fillna(False).astype(bool))
        out[name] = hit.groupby(ep["episode_key"], sort=False).min().astype("Int64")
    out["is_responder_at_last_visit"] = (
        g["is_responder"].last().astype("boolean").mask(out["is_baseline_zero"])
    )
    return out.reset_index()


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
    present = set(values.dropna().astype("str"))
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
    rows = ep[ep["session"] <= max_session]
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
                "pain_q1": pain.quantile(0.25),
                "pain_q3": pain.quantile(0.75),
            }
        ).reindex(grid)
        frame = frame.fillna({"n_patients": 0, "n_episodes": 0})
        frame = frame.astype({"n_patients": "int64", "n_episodes": "int64"})
        frames.append(frame.reset_index().assign(group_by=group_by, group=group))
    columns = ["group_by", "group", "session", "n_patients", "n_episodes"]
    columns += ["pain_median", "pain_q1", "pain_q3"]
    return _concat(frames, columns)


# --------------------------------------------------------------------------- shares


def wilson_interval(successes, trials, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
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
    col = _outcome_column(outcome)
    summary = episode_summary(ep)
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
    patients = times["patient_key"].to_numpy()
    return pd.DataFrame(
        {
            "session": grid,
            "n_at_risk": [int((t >= s).sum()) for s in grid],
            "n_patients_at_risk": [len(set(patients[t >= s])) for s in grid],
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
    from scipy.stats import norm

    if max_session is not None and max_session < 1:
        raise ValueError(f"max_session must be at least 1, got {max_session}")
    z = float(norm.ppf(0.975))
    summary = episode_summary(ep)
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


def website_claim_check(ep: pd.DataFrame, outcome: str = "response") -> pd.DataFrame:
    """The website claim tested on the clinic's records: acute episodes by session 5 and chronic
    episodes by session 10, each estimated two ways.

    - method "complete_case": among episodes that reached the session, the share that had
      responded by then (Wilson 95% interval); n_patients / n_episodes are those that reached it.
    - method "kaplan_meier": the cumulative probability of response by the session, with those
      who stopped earlier censored (log(-log) 95% interval); n_patients / n_episodes are those
      still at risk at that session and n_responders the first responses up to it. Empty when
      no episode of the group was followed that far, unless every episode still at risk had
      already responded (then the curve stays at 1 with nobody at risk).

    Our response is pain down by >= 30% and >= 2 points at some session up to the one named: it
    is not "long-term improvement", which the records cannot show without follow-up after the
    course. Columns: claim, complaint_duration, session, outcome, method, n_patients,
    n_episodes, n_responders, estimate, ci_low, ci_high.
    """
    rows = []
    for duration, session, claim in CLAIMS:
        part = ep[ep["complaint_duration"] == duration]
        share = response_by_session_share(part, session, outcome=outcome)
        share = share[share["group_by"] == ALL].iloc[0] if len(share) else None
        rows.append(
            {
                "claim": claim,
                "complaint_duration": duration,
                "session": session,
                "outcome": outcome,
                "method": "complete_case",
                "n_patients": int(share["n_patients"]) if share is not None else 0,
                "n_episodes": int(share["n_episodes"]) if share is not None else 0,
                "n_responders": int(share["n_responders"]) if share is not None else 0,
                "estimate": share["share"] if share is not None else np.nan,
                "ci_low": share["ci_low"] if share is not None else np.nan,
                "ci_high": share["ci_high"] if share is not None else np.nan,
            }
        )
        km = km_response(part, outcome=outcome, include_all=False) if len(part) else None
        if km is None or km.empty:
            point, events = None, 0
        else:
            events = int(km.loc[km["session"] <= session, "n_events"].sum())
            point = km[km["session"] == session]
            if point.empty and km["cum_response"].iloc[-1] >= 1 - _EPS:
                # Every episode at risk had responded before the session: the curve stays at 1.
                point = km.iloc[[-1]].assign(n_at_risk=0, n_patients_at_risk=0)
            point = point if len(point) == 1 else None
        found = point is not None
        rows.append(
            {
                "claim": claim,
                "complaint_duration": duration,
                "session": session,
                "outcome": outcome,
                "method": "kaplan_meier",
                "n_patients": int(point["n_patients_at_risk"].iloc[0]) if found else 0,
                "n_episodes": int(point["n_at_risk"].iloc[0]) if found else 0,
                "n_responders": events,
                "estimate": float(point["cum_response"].iloc[0]) if found else np.nan,
                "ci_low": float(point["ci_low"].iloc[0]) if found else np.nan,
                "ci_high": float(point["ci_high"].iloc[0]) if found else np.nan,
            }
        )
    return pd.DataFrame(rows)


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
        if pd.notna(low) and pd.notna(high) and (low < 0) == (high < 0) == (v < 0):
            near, far = sorted((abs(low), abs(high)))
            text += f" (95% CI {_fmt(near)} to {_fmt(far)} {word})"
        elif pd.notna(low) and pd.notna(high):
            text += f" (95% CI {_fmt(low)} to {_fmt(high)})"
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
