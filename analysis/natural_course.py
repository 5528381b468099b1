"""The natural course of low back pain as an expected curve, beside the clinic's observed one.

DERIVED, not published. Costa et al. (CMAJ 2012) publish the pooled mean pain (0-100, 95%
confidence interval) of inception cohorts at baseline and at 6, 26 and 52 weeks, separately for
acute (< 12 weeks) and persistent (12 weeks to 12 months) low back pain. From those rows:

1. `expected_ratios`: per cohort and published week w, the ratio r(w) = mean(w) / mean(baseline)
   with a 95% interval. Each published interval is read on the log scale, one side at a time
   (the intervals are not symmetric: 6 [3, 10]): the lower end of r combines the lower half of
   mean(w)'s interval with the upper half of the baseline's, in quadrature, and the upper end
   the other halves (the delta method on log r with a standard error from each side,
   half-width / 1.96). The two means are treated as independent; they come from the same
   cohorts, so the interval is approximate and probably conservative (too wide). By
   construction r(0) = 1 exactly. The interval always lies within [low(w) / high(0),
   high(w) / low(0)], the crudest range the published intervals allow.
2. `observed_vs_expected`: for the clinic's episodes, per complaint duration and week since the
   episode's first visit (week = floor(days / 7)), the mean pain (0-10) of the episodes with a
   visit that week (their first visit that week), and the expected mean pain if each of those
   episodes had followed the natural course: the mean of first-visit pain x r(w). Expected values
   exist only at the weeks Costa publishes: nothing is interpolated between them.
3. `comparisons`: the headline facts (observed minus expected at week 6, its interval, a
   verdict word).

Group mapping: the clinic's acute (< 6 weeks) and subacute (6-12 weeks) complaints take Costa's
acute cohorts (< 12 weeks); chronic (> 12 weeks) takes the persistent cohorts (12 weeks to 12
months), although the clinic's chronic episodes include complaints older than 12 months.

What the expected curve cannot do, and every page that shows it must say:
- Costa's time runs from the onset of pain; the clinic's weeks run from the first visit, which
  comes later. Pain falls fastest early, so for patients who arrive weeks into their complaint
  the expected fall is too steep (the clinic looks worse than it is).
- Costa gives no means by baseline pain, so the curve cannot be split by baseline pain; each
  episode's own first-visit pain scales it instead (the ratio is assumed to carry over from
  Costa's 0-100 scale to the 0-10 NRS).
- From week 1 on, the observed mean describes the patients still coming.
- Pain lower than the natural course predicts is NOT proof that the treatment caused it:
  the patients were not randomised, chose to come and may differ from the cohorts in ways no
  table shows (regression to the mean, other care, the alignment above).

Pengel et al. (BMJ 2003: pain down 58% of the initial score after one month, acute) is not a
point of the curve: it has no interval, "one month" is not a whole week (4.35 weeks would be our
conversion), and it comes from another review, pooled another way, so one curve through both
would mix two sources' differences into its shape. It is reported in the method text, beside
Costa's acute ratio at 6 weeks, as a check of size.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from analysis.facts import Quantity

# The review the curve comes from, and its rows: costa_2012_<cohort>_pain_<baseline | Nw>.
COSTA_PREFIX = "costa_2012_"
_COSTA_ID = re.compile(r"costa_2012_(?P<cohort>acute|persistent)_pain_(?P<time>baseline|\d+w)")
PENGEL_ID = "pengel_2003_pain_reduction_1m"
COHORTS = ("acute", "persistent")
# The clinic's complaint durations and the Costa cohort each is compared with.
COHORT_OF: dict[str, str] = {"acute": "acute", "subacute": "acute", "chronic": "persistent"}
# Costa publishes 95% confidence intervals, and the expected curve carries them: every interval
# of the comparison is at that level (its sampling part too), so it is Costa's, not the
# dashboard's CI_LEVEL_PCT. Z95 is its two-sided normal quantile (printed 1.96).
LEVEL_PCT = 95
Z95 = 1.959963984540054
# Weeks since the first visit in the table: every week of a course of treatment, and the
# later weeks Costa publishes (expected values exist only at those).
DEFAULT_WEEKS: tuple[int, ...] = (*range(0, 13), 26, 52)
HEADLINE_WEEK = 6
# Fewer episodes than this at the headline week: the verdict is "cannot_tell" whatever the
# interval says (a t interval on a handful of skewed pain scores is not to be trusted).
MIN_EPISODES = 10
VERDICTS = ("better", "worse", "cannot_tell")

DERIVED_RATIO = (
    "derived: ratio of two published pooled means (Costa 2012), "
    f"{LEVEL_PCT}% interval by the delta method on the log ratio, each side from its own half "
    "of the published intervals, means treated as independent (approximate, conservative)"
)
DERIVED_EXPECTED = (
    "derived: mean of first-visit pain x the Costa 2012 ratio at this week; observed minus "
    f"expected with a {LEVEL_PCT}% interval (Student t sampling error of pain - ratio x "
    "first-visit pain, episodes treated as independent, plus the ratio's interval x mean "
    "first-visit pain, in quadrature); not proof that the treatment caused any difference"
)

RATIO_COLUMNS = [
    "cohort",
    "week",
    "timepoint",
    "population",
    "scale",
    "mean",
    "mean_low",
    "mean_high",
    "baseline_mean",
    "baseline_low",
    "baseline_high",
    "ratio",
    "ratio_low",
    "ratio_high",
    "se_log_low",
    "se_log_high",
    "study",
    "publication_year",
    "figure_ids",
    "source_url",
    "derived",
]

TABLE_COLUMNS = [
    "group",
    "cohort",
    "week",
    "is_published_week",
    "n_patients",
    "n_episodes",
    "n_baseline_zero",
    "observed_mean",
    "baseline_mean",
    "ratio",
    "ratio_low",
    "ratio_high",
    "expected_mean",
    "expected_low",
    "expected_high",
    "difference",
    "difference_low",
    "difference_high",
    "derived",
]


class NaturalCourseError(ValueError):
    """The benchmark rows cannot give an expected curve (a row or an interval is missing)."""


# --------------------------------------------------------------------------- the ratios


def _week(time: str) -> int:
    return 0 if time == "baseline" else int(time.removesuffix("w"))


def _costa_rows(benchmarks: pd.DataFrame) -> pd.DataFrame:
    ids = benchmarks["figure_id"].astype("str")
    found = ids.str.extract(_COSTA_ID.pattern)
    rows = benchmarks[found["cohort"].notna().to_numpy()].copy()
    found = found[found["cohort"].notna()]
    rows["cohort"] = found["cohort"].to_numpy()
    rows["week"] = [_week(time) for time in found["time"]]
    for cohort in COHORTS:
        if not ((rows["cohort"] == cohort) & (rows["week"] == 0)).any():
            raise NaturalCourseError(f"outcome_benchmarks has no Costa baseline for {cohort}")
    values = rows[["value", "value_low", "value_high"]].astype("float64")
    bad = values.isna().any(axis=1) | (values <= 0).any(axis=1)
    bad |= rows["benchmark_interval_kind"].astype("str") != "ci95"
    bad |= ~((values["value_low"] <= values["value"]) & (values["value"] <= values["value_high"]))
    if bad.any():
        raise NaturalCourseError(
            f"Costa rows {list(rows.loc[bad, 'figure_id'])} lack a positive value inside a 95% "
            "confidence interval"
        )
    return rows.sort_values(["cohort", "week"], kind="stable").reset_index(drop=True)


def expected_ratios(benchmarks: pd.DataFrame) -> pd.DataFrame:
    """Per Costa cohort ("acute", "persistent") and published week (0, 6, 26, 52), the ratio of
    the mean pain at that week to the mean pain at baseline, with its derived 95% interval.

    Columns: cohort, week, timepoint (as published), population, scale ("0-100"), mean,
    mean_low, mean_high (the week's published mean and 95% CI), baseline_mean, baseline_low,
    baseline_high, ratio, ratio_low, ratio_high, se_log_low, se_log_high (the standard errors of
    log ratio used below and above it), study, publication_year, figure_ids (the two rows),
    source_url, derived (the method). Only published weeks are listed; nothing is interpolated.

    Method (module docstring): log ratio = log mean(w) - log mean(0); below it the half-widths
    log mean(w) - log low(w) and log high(0) - log mean(0) are added in quadrature, above it
    log high(w) - log mean(w) and log mean(0) - log low(0); each half-width is 1.96 standard
    errors. Week 0 is the baseline divided by itself: 1, with no uncertainty.
    """
    rows = _costa_rows(benchmarks)
    base = rows[rows["week"] == 0].set_index("cohort")
    b = base.loc[rows["cohort"]]
    m = rows["value"].astype("float64").to_numpy()
    lo = rows["value_low"].astype("float64").to_numpy()
    hi = rows["value_high"].astype("float64").to_numpy()
    m0 = b["value"].astype("float64").to_numpy()
    lo0 = b["value_low"].astype("float64").to_numpy()
    hi0 = b["value_high"].astype("float64").to_numpy()
    at_baseline = (rows["week"] == 0).to_numpy()
    log_ratio = np.log(m) - np.log(m0)
    below = np.hypot(np.log(m) - np.log(lo), np.log(hi0) - np.log(m0))
    above = np.hypot(np.log(hi) - np.log(m), np.log(m0) - np.log(lo0))
    below = np.where(at_baseline, 0.0, below)
    above = np.where(at_baseline, 0.0, above)
    ratio = np.where(at_baseline, 1.0, m / m0)
    ids = np.where(
        at_baseline,
        rows["figure_id"].astype("str"),
        b["figure_id"].astype("str").to_numpy() + "; " + rows["figure_id"].astype("str"),
    )
    out = pd.DataFrame(
        {
            "cohort": rows["cohort"],
            "week": rows["week"].astype("int64"),
            "timepoint": rows["outcome_timepoint"].astype("str"),
            "population": rows["study_population"].astype("str"),
            "scale": rows["outcome_scale"].astype("str"),
            "mean": m,
            "mean_low": lo,
            "mean_high": hi,
            "baseline_mean": m0,
            "baseline_low": lo0,
            "baseline_high": hi0,
            "ratio": ratio,
            "ratio_low": np.where(at_baseline, 1.0, np.exp(log_ratio - below)),
            "ratio_high": np.where(at_baseline, 1.0, np.exp(log_ratio + above)),
            "se_log_low": below / Z95,
            "se_log_high": above / Z95,
            "study": rows["study"].astype("str"),
            "publication_year": rows["publication_year"].astype("int64"),
            "figure_ids": ids,
            "source_url": rows["source_url"].astype("str"),
            "derived": DERIVED_RATIO,
        }
    )
    return out[RATIO_COLUMNS].reset_index(drop=True)


# --------------------------------------------------------------------------- the comparison


def first_in_week(
    episode: np.ndarray, date: np.ndarray, weeks: Sequence[int]
) -> tuple[np.ndarray, np.ndarray]:
    """The rows of each episode's first visit in each week since its first visit (week =
    floor(days / 7)), weeks in `weeks` only, ordered by episode and date (ties in row order),
    and those weeks. `episode` holds integer codes, `date` datetime64 values."""
    days = date.view("int64")
    in_order = (episode[1:] > episode[:-1]) | (
        (episode[1:] == episode[:-1]) & (days[1:] >= days[:-1])
    )
    # Stable: ties keep row order (rows already in that order, as `episodes` gives them, stay).
    order = np.arange(len(episode)) if in_order.all() else np.lexsort((days, episode))
    e, d = episode[order], date[order]
    start = np.ones(len(e), dtype=bool)
    start[1:] = e[1:] != e[:-1]
    first = d[np.maximum.accumulate(np.where(start, np.arange(len(e)), 0))]
    week = ((d - first) // np.timedelta64(1, "D")).astype("int64") // 7
    new = start.copy()
    new[1:] |= week[1:] != week[:-1]
    keep = new & np.isin(week, list(weeks))
    return order[keep], week[keep]


def _week_visits(ep: pd.DataFrame, cohort_of: Mapping[str, str], weeks: Sequence[int]):
    """Per episode and week since its first visit, the first visit that week (episodes of the
    mapped complaint durations only, weeks in `weeks` only)."""
    group = ep["complaint_duration"].astype("str")
    keep = group.isin(list(cohort_of)).to_numpy()
    frame = pd.DataFrame(
        {
            "episode": pd.factorize(ep["episode_key"])[0][keep],
            "patient": pd.factorize(ep["patient_key"])[0][keep],
            "group": group.to_numpy()[keep],
            "date": pd.to_datetime(ep["visit_date"]).to_numpy()[keep],
            "pain": ep["pain_nrs"].astype("float64").to_numpy()[keep],
            "baseline": ep["baseline_pain"].astype("float64").to_numpy()[keep],
            "zero": ep["is_baseline_zero"].astype("bool").to_numpy()[keep],
        }
    )
    rows, week = first_in_week(frame["episode"].to_numpy(), frame["date"].to_numpy(), weeks)
    return frame.take(rows).assign(week=week)


def observed_vs_expected(
    ep: pd.DataFrame,
    ratios: pd.DataFrame,
    *,
    weeks: Sequence[int] = DEFAULT_WEEKS,
    cohort_of: Mapping[str, str] = COHORT_OF,
) -> pd.DataFrame:
    """The clinic's observed mean pain by week since the first visit, beside the natural course
    expected for the same episodes (DERIVED; see the module docstring for the method and its
    limits). Better than expected is not proof that the treatment caused it.

    `ep` is `analysis.outcomes.episodes(visits)` (any filter of it); `ratios` is
    `expected_ratios(benchmarks)`. One row per complaint duration present in `ep` (in the order
    of `cohort_of`; durations it does not map, such as "unknown", are left out) and week in
    `weeks`, rows with no visits included (counts 0, values NaN).

    Columns: group, cohort, week, is_published_week, n_patients, n_episodes (episodes with a
    visit that week, the first such visit counted), n_baseline_zero (episodes with first-visit
    pain 0 and a visit that week, left out of every other column: they cannot improve),
    observed_mean (0-10), baseline_mean (their mean first-visit pain), ratio, ratio_low,
    ratio_high, expected_mean (= ratio x baseline_mean), expected_low, expected_high (the
    ratio's interval x baseline_mean), difference (= observed_mean - expected_mean; negative is
    less pain than expected), difference_low, difference_high (95%), derived (the method).
    Ratio, expected and difference columns are NaN at weeks Costa does not publish. The
    difference interval needs at least two episodes.
    """
    frame = _week_visits(ep, cohort_of, weeks)
    frame["cohort"] = frame["group"].map(dict(cohort_of))
    zero = frame.loc[frame["zero"], ["group", "week"]].value_counts()
    frame = frame[~frame["zero"]]
    ratio_at = ratios.set_index(["cohort", "week"])[["ratio", "ratio_low", "ratio_high"]]
    r = ratio_at.reindex(pd.MultiIndex.from_frame(frame[["cohort", "week"]]))
    frame["residual"] = frame["pain"].to_numpy() - r["ratio"].to_numpy() * frame["baseline"]

    g = frame.groupby(["group", "week"], sort=False)
    agg = pd.DataFrame(
        {
            "n_patients": g["patient"].nunique(),
            "n_episodes": g.size(),
            "observed_mean": g["pain"].mean(),
            "baseline_mean": g["baseline"].mean(),
            "residual_sd": g["residual"].std(ddof=1),
        }
    )
    present = set(ep["complaint_duration"].astype("str").unique())
    groups = [gr for gr in cohort_of if gr in present]
    grid = pd.MultiIndex.from_product([groups, list(weeks)], names=["group", "week"])
    out = agg.reindex(grid).reset_index()
    out["n_baseline_zero"] = zero.reindex(grid, fill_value=0).to_numpy()
    out = out.fillna({"n_patients": 0, "n_episodes": 0})
    out = out.astype({"n_patients": "int64", "n_episodes": "int64", "week": "int64"})
    return with_expected(out, ratios, cohort_of)


def with_expected(
    table: pd.DataFrame, ratios: pd.DataFrame, cohort_of: Mapping[str, str] = COHORT_OF
) -> pd.DataFrame:
    """The columns of `observed_vs_expected` from its observed ones (group, week, n_patients,
    n_episodes, n_baseline_zero, observed_mean, baseline_mean and residual_sd, the standard
    deviation of pain - ratio x first-visit pain): the cohort, the ratio, the expected mean and
    the difference with their intervals. Row by row, so one call serves many views."""
    out = table.copy()
    out["cohort"] = out["group"].map(dict(cohort_of))
    ratio_at = ratios.set_index(["cohort", "week"])[["ratio", "ratio_low", "ratio_high"]]
    r = ratio_at.reindex(pd.MultiIndex.from_frame(out[["cohort", "week"]]))
    for col in ("ratio", "ratio_low", "ratio_high"):
        out[col] = r[col].to_numpy()
    out["is_published_week"] = out["ratio"].notna()

    base = out["baseline_mean"]
    out["expected_mean"] = out["ratio"] * base
    out["expected_low"] = out["ratio_low"] * base
    out["expected_high"] = out["ratio_high"] * base
    out["difference"] = out["observed_mean"] - out["expected_mean"]
    n = out["n_episodes"].to_numpy(dtype="float64")
    many = n >= 2
    t = np.full(len(out), np.nan)
    t[many] = stats.t.ppf(0.5 + LEVEL_PCT / 200, n[many] - 1)
    sampling = t * out["residual_sd"].to_numpy() / np.sqrt(np.where(many, n, np.nan))
    from_ratio_low = base * (out["ratio_high"] - out["ratio"])  # a higher ratio: lower difference
    from_ratio_high = base * (out["ratio"] - out["ratio_low"])
    out["difference_low"] = out["difference"] - np.hypot(sampling, from_ratio_low)
    out["difference_high"] = out["difference"] + np.hypot(sampling, from_ratio_high)
    out["derived"] = DERIVED_EXPECTED
    return out[TABLE_COLUMNS]


# --------------------------------------------------------------------------- the facts


@dataclass(frozen=True)
class NaturalCourseComparison:
    """One complaint duration's observed pain against its expected natural course at one week
    since the first visit (DERIVED, see `analysis.natural_course`).

    `verdict` is "better" (the 95% interval of observed minus expected lies below 0: less pain
    than the natural course predicts), "worse" (above 0) or "cannot_tell" (the interval
    includes 0, or fewer than `min_episodes` episodes, or no interval).

    "Better than the natural course" is NOT proof that the treatment caused it: the patients
    were not randomised, chose to come, started counting at their first visit rather than at
    the onset of pain, and may differ from Costa's cohorts in ways the records do not show.
    """

    group: str
    cohort: str
    week: int
    n_patients: int
    n_episodes: int
    n_baseline_zero: int
    observed: Quantity | None
    expected: Quantity | None
    difference: Quantity | None
    difference_low: Quantity | None
    difference_high: Quantity | None
    verdict: str
    min_episodes: int


def _pain(value: float, method: str) -> Quantity | None:
    return (
        Quantity(float(value), "count", decimals=1, derived=method) if np.isfinite(value) else None
    )


def comparisons(
    table: pd.DataFrame, week: int = HEADLINE_WEEK, min_episodes: int = MIN_EPISODES
) -> tuple[NaturalCourseComparison, ...]:
    """Per group of `observed_vs_expected(...)`, the comparison at `week` (a published week)."""
    rows = table[table["week"] == week]
    out = []
    for row in rows.itertuples(index=False):  # one row per group: three at most
        low, high = row.difference_low, row.difference_high
        enough = row.n_episodes >= min_episodes and np.isfinite(low) and np.isfinite(high)
        verdict = "cannot_tell"
        if enough and high < 0:
            verdict = "better"
        elif enough and low > 0:
            verdict = "worse"
        out.append(
            NaturalCourseComparison(
                group=str(row.group),
                cohort=str(row.cohort),
                week=int(row.week),
                n_patients=int(row.n_patients),
                n_episodes=int(row.n_episodes),
                n_baseline_zero=int(row.n_baseline_zero),
                observed=_pain(row.observed_mean, ""),
                expected=_pain(row.expected_mean, DERIVED_EXPECTED),
                difference=_pain(row.difference, DERIVED_EXPECTED),
                difference_low=_pain(low, DERIVED_EXPECTED),
                difference_high=_pain(high, DERIVED_EXPECTED),
                verdict=verdict,
                min_episodes=min_episodes,
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class ExpectedCurveMethod:
    """What the method text of the expected curve states, from the benchmark rows."""

    costa: str
    costa_year: int
    costa_url: str
    scale: str  # Costa's pain scale as published ("0-100")
    weeks: tuple[int, ...]  # the published weeks, the only weeks with an expected value
    z: float  # printed 1.96
    headline_week: int
    min_episodes: int
    cohort_of: tuple[tuple[str, str], ...]
    pengel: str
    pengel_year: int
    pengel_url: str
    pengel_drop: Quantity  # % of the initial score, at 1 month, acute; no interval


def method(benchmarks: pd.DataFrame) -> ExpectedCurveMethod:
    """The facts the Sources & methods text of the expected curve is written from."""
    rows = _costa_rows(benchmarks)
    src = benchmarks.set_index(benchmarks["figure_id"].astype("str"))
    if PENGEL_ID not in src.index:
        raise NaturalCourseError(f"outcome_benchmarks lacks {PENGEL_ID}")
    pengel = src.loc[PENGEL_ID]
    return ExpectedCurveMethod(
        costa=str(rows["study"].iloc[0]),
        costa_year=int(rows["publication_year"].iloc[0]),
        costa_url=str(rows["source_url"].iloc[0]),
        scale=str(rows["outcome_scale"].iloc[0]),
        weeks=tuple(sorted(int(w) for w in rows["week"].unique())),
        z=round(Z95, 2),
        headline_week=HEADLINE_WEEK,
        min_episodes=MIN_EPISODES,
        cohort_of=tuple(COHORT_OF.items()),
        pengel=str(pengel["study"]),
        pengel_year=int(pengel["publication_year"]),
        pengel_url=str(pengel["source_url"]),
        pengel_drop=Quantity(float(pengel["value"]), "pct"),
    )
