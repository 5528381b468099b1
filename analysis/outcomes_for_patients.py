"""What the clinic's records say to a prospective patient: "of 10 patients like you, about N felt
clearly better by the 5th treatment", with its range, and how back pain goes without treatment.

Facts only (no words): the page for patients (`dashboard.views.patients`) prints these.

- The figure is the conservative one of `analysis.outcomes.response_table`: among every course
  of treatment (episode) that started, those that stopped before the session counted as not
  better ("all_started"), with its Wilson 95% interval. It is read from the suppressed rows of
  `analysis.clinic_view.public_outcomes` only, so a hidden cell can never be printed: a hidden
  row gives no `OutOfTen`.
- "N of 10" is the share x 10 rounded to whole people (halves up); the range is the interval's
  ends x 10 rounded the same way. Rounding is monotone, so low <= N <= high always.
- When the reader's sex or age band is too small to show, the figure for everyone with the same
  complaint duration is used instead, labelled as such (`PatientAnswer.scope`); when that is
  hidden too, there is no figure.
- Without treatment: Costa et al. 2012's pooled mean pain (0-100) of inception cohorts at
  baseline and 6 weeks, the acute cohort for the clinic's acute and subacute complaints, the
  persistent cohort for chronic ones (as in `analysis.natural_course`), and for the acute cohort
  Pengel et al. 2003's fall in pain in the first month. These cohorts had any or no treatment;
  a fall in an average is not a share of patients.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from analysis.facts import Quantity
from analysis.natural_course import COHORT_OF, HEADLINE_WEEK  # Costa cohort of each duration
from analysis.outcomes import REPORT_SESSIONS, OutcomeDataError
from analysis.vocabulary import ALL, CI_LEVEL_PCT, OUT_OF

METHOD = "all_started"  # the conservative count the page headlines
SHARE_METHOD = (
    "derived: responders among every course of treatment that started, those that stopped "
    f"before the session counted as not responded; Wilson {CI_LEVEL_PCT}% interval"
)
COURSE_WEEKS = HEADLINE_WEEK  # the Costa timepoint the page states
PENGEL_ID = "pengel_2003_pain_reduction_1m"
SCOPES = ("chosen", "everyone", "too_few")


@dataclass(frozen=True)
class OutOfTen:
    """One shown figure: of 10 patients of this group, about `n_of_10` had responded by
    `session`, probably between `low_of_10` and `high_of_10`; with the counts behind it."""

    complaint_duration: str
    sex: str
    age_band: str
    session: int
    n_of_10: int
    low_of_10: int
    high_of_10: int
    share: Quantity  # percent, derived
    low: Quantity
    high: Quantity
    n_patients: int
    n_episodes: int
    n_responders: int
    n_stopped_before: int  # stopped before the session without responding (counted as not)
    n_ongoing: int  # may still be in treatment: left out of the share


@dataclass(frozen=True)
class PatientAnswer:
    """The answer for one session to a reader who chose `complaint_duration`, `sex` and
    `age_band`: `scope` "chosen" (their group's figure), "everyone" (their group is too small;
    the figure is everyone's with the same complaint duration) or "too_few" (no figure)."""

    complaint_duration: str
    sex: str
    age_band: str
    session: int
    scope: str
    figure: OutOfTen | None
    threshold: int

    @property
    def is_fallback(self) -> bool:
        return self.scope == "everyone"


def of_ten(share: float) -> int:
    """A share (0-1) as whole people of 10, halves rounded up."""
    if not 0 <= share <= 1:
        raise ValueError(f"a share must lie in 0-1, not {share!r}")
    return math.floor(share * OUT_OF + 0.5)


def _shown_row(responses: pd.DataFrame | None, group: str, session: int) -> pd.Series | None:
    if responses is None or responses.empty:
        return None
    rows = responses[
        (responses["complaint_duration"].astype(str) == group)
        & (responses["session"] == session)
        & (responses["method"] == METHOD)
    ]
    if len(rows) != 1:
        return None
    row = rows.iloc[0]
    needed = ("estimate", "ci_low", "ci_high", "n_patients", "n_episodes", "n_responders")
    if bool(row["suppressed"]) or any(pd.isna(row[c]) for c in needed):
        return None
    return row


def _count(value) -> int:
    return 0 if pd.isna(value) else int(value)


def out_of_ten(
    responses: pd.DataFrame | None, group: str, session: int, sex: str = ALL, age_band: str = ALL
) -> OutOfTen | None:
    """The shown all-started figure of `group` at `session` in `responses` (the `responses`
    frame of a `PublicOutcomes`, for the given sex and age band), or None when it is hidden."""
    row = _shown_row(responses, group, session)
    if row is None:
        return None
    estimate, low, high = (float(row[c]) for c in ("estimate", "ci_low", "ci_high"))
    return OutOfTen(
        complaint_duration=group,
        sex=sex,
        age_band=age_band,
        session=int(session),
        n_of_10=of_ten(estimate),
        low_of_10=of_ten(low),
        high_of_10=of_ten(high),
        share=Quantity(estimate * 100, "pct", derived=SHARE_METHOD),
        low=Quantity(low * 100, "pct", derived=SHARE_METHOD),
        high=Quantity(high * 100, "pct", derived=SHARE_METHOD),
        n_patients=int(row["n_patients"]),
        n_episodes=int(row["n_episodes"]),
        n_responders=int(row["n_responders"]),
        n_stopped_before=_count(row["n_stopped_before"]),
        n_ongoing=_count(row["n_ongoing"]),
    )


def answers(
    chosen: pd.DataFrame | None,
    everyone: pd.DataFrame | None,
    *,
    group: str,
    sex: str,
    age_band: str,
    threshold: int,
    sessions: tuple[int, ...] = REPORT_SESSIONS,
) -> tuple[PatientAnswer, ...]:
    """One answer per session: from `chosen` (the responses of the reader's group, sex and age
    band) when shown, else from `everyone` (the same complaint duration, all sexes and ages)
    when the reader chose a sex or age band, else none."""
    narrowed = (sex, age_band) != (ALL, ALL)
    out = []
    for session in sessions:
        figure = out_of_ten(chosen, group, session, sex, age_band)
        scope = "chosen"
        if figure is None and narrowed:
            figure = out_of_ten(everyone, group, session)
            scope = "everyone"
        if figure is None:
            scope = "too_few"
        out.append(PatientAnswer(group, sex, age_band, int(session), scope, figure, threshold))
    return tuple(out)


@dataclass(frozen=True)
class WithoutTreatment:
    """How pain went in cohorts of people with low back pain who got any or no treatment (Costa
    et al. 2012): their mean pain (0-100) at the start and `weeks` later, for the cohort the
    complaint duration is compared with; for the acute cohort also Pengel et al. 2003's fall in
    pain in the first month."""

    complaint_duration: str
    cohort: str  # "acute" | "persistent"
    study: str
    year: int
    baseline: Quantity
    later: Quantity
    weeks: int
    scale: tuple[int, int]
    source_url: str
    pengel: str | None = None
    pengel_year: int | None = None
    first_month_drop: Quantity | None = None
    pengel_url: str | None = None

    @property
    def sources(self) -> tuple[tuple[str, str], ...]:
        """(study and year, URL) of each publication cited."""
        out = [(f"{self.study} ({self.year})", self.source_url)]
        if self.pengel is not None and self.pengel_url is not None:
            out.append((f"{self.pengel} ({self.pengel_year})", self.pengel_url))
        return tuple(out)

    @property
    def drop(self) -> Quantity:
        """The fall in the mean, percent of the start (derived from two published means)."""
        value = (self.baseline.value - self.later.value) / self.baseline.value * 100
        return Quantity(value, "pct", derived="derived: (start - later) / start of two means")


def _scale(text: str) -> tuple[int, int]:
    found = re.fullmatch(r"(\d+)-(\d+)", str(text).strip())
    if found is None:
        raise OutcomeDataError(f"pain scale {text!r} is not 'low-high'")
    return int(found.group(1)), int(found.group(2))


def without_treatment(benchmarks: pd.DataFrame, complaint_duration: str) -> WithoutTreatment:
    """The natural course for `complaint_duration` from the outcome_benchmarks rows."""
    if complaint_duration not in COHORT_OF:
        raise ValueError(f"no cohort for complaint duration {complaint_duration!r}")
    cohort = COHORT_OF[complaint_duration]
    src = benchmarks.set_index(benchmarks["figure_id"].astype("str"))
    start_id = f"costa_2012_{cohort}_pain_baseline"
    later_id = f"costa_2012_{cohort}_pain_{COURSE_WEEKS}w"
    needed = [start_id, later_id] + ([PENGEL_ID] if cohort == "acute" else [])
    missing = [fid for fid in needed if fid not in src.index]
    if missing:
        raise OutcomeDataError(f"outcome_benchmarks lacks {missing}")
    start, later = src.loc[start_id], src.loc[later_id]
    if str(later["outcome_timepoint"]).strip() != f"{COURSE_WEEKS} weeks":
        raise OutcomeDataError(f"{later_id} is at {later['outcome_timepoint']!r}")
    if start["source_url"] != later["source_url"]:
        raise OutcomeDataError(f"{start_id} and {later_id} cite different sources")
    pengel = src.loc[PENGEL_ID] if cohort == "acute" else None
    return WithoutTreatment(
        complaint_duration=complaint_duration,
        cohort=cohort,
        study=str(later["study"]),
        year=int(later["publication_year"]),
        baseline=Quantity(float(start["value"]), "count"),
        later=Quantity(float(later["value"]), "count"),
        weeks=COURSE_WEEKS,
        scale=_scale(later["outcome_scale"]),
        source_url=str(later["source_url"]),
        pengel=None if pengel is None else str(pengel["study"]),
        pengel_year=None if pengel is None else int(pengel["publication_year"]),
        first_month_drop=None if pengel is None else Quantity(float(pengel["value"]), "pct"),
        pengel_url=None if pengel is None else str(pengel["source_url"]),
    )
