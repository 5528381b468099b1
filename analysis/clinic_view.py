"""What anyone who opens a shared link may see of the clinic's records: aggregates only.

Every clinic figure on a public page (the outcomes page, the overview, exports) goes through
`public_outcomes()`, which filters episodes, computes the outcome tables and then applies
disclosure control (`analysis.disclosure`): a figure based on fewer patients than the threshold
is hidden, with secondary suppression. No patient-level row leaves this module.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis import disclosure, outcomes
from analysis.vocabulary import ALL, CLAIM_SESSIONS


@dataclass(frozen=True)
class PublicOutcomes:
    """The suppressed aggregates a viewer may see, and how many patients lie behind them."""

    pain: pd.DataFrame
    km: pd.DataFrame
    claims: pd.DataFrame
    medians: pd.DataFrame
    n_patients: int
    n_episodes: int
    threshold: int
    is_demo: bool


def filter_episodes(
    ep: pd.DataFrame, *, sex: str = "all", age_band: str = "all", period: str = "all"
) -> pd.DataFrame:
    """Episodes of one sex, age band and start year ('all' keeps everyone)."""
    keep = pd.Series(True, index=ep.index)
    if sex != "all":
        keep &= ep["sex"] == sex
    if age_band != "all":
        keep &= ep["age_band"] == age_band
    if period != "all":
        keep &= ep["period"] == str(period)
    return ep if keep.all() else ep[keep]  # copy-on-write: no copy needed when all stay


def periods(ep: pd.DataFrame) -> list[str]:
    """The start years present in the records, oldest first."""
    return sorted(str(p) for p in ep["period"].dropna().unique())


# The episode columns the public tables are computed from.
_USED = (
    "patient_key", "episode_key", "session", "visit_date", "pain_nrs", "baseline_pain",
    "is_responder", "is_substantial", "is_baseline_zero", "complaint_duration", "sex",
    "age_band", "region", "period",
)  # fmt: skip


def _durations(group: str) -> tuple[str, ...]:
    """The complaint durations a group filter keeps: the ones the website makes a claim for."""
    return tuple(CLAIM_SESSIONS) if group == ALL else (group,)


def public_outcomes(
    visits: pd.DataFrame,
    *,
    group: str = "all",
    sex: str = "all",
    age_band: str = "all",
    period: str = "all",
    threshold: int | None = None,
    is_demo: bool = False,
) -> PublicOutcomes:
    """The outcome tables for the chosen filters, with every small cell suppressed."""
    threshold = disclosure.min_cell_size() if threshold is None else threshold
    # Categorical text columns: the same tables, a million visits filtered and grouped faster.
    ep = outcomes.episodes(visits, categorical=True)[list(_USED)]
    ep = filter_episodes(ep, sex=sex, age_band=age_band, period=period)
    ep = ep[ep["complaint_duration"].isin(_durations(group))]
    pain = outcomes.pain_by_session(ep, by="complaint_duration", max_session=12, include_all=False)
    km = outcomes.km_response(ep, by="complaint_duration", max_session=12, include_all=False)
    claims = outcomes.website_claim_check(ep)
    claims = claims[claims["complaint_duration"].isin(_durations(group))]
    medians = outcomes.median_sessions_to_response(km)
    return PublicOutcomes(
        pain=disclosure.suppress_pain_by_session(pain, threshold),
        km=disclosure.suppress_km(km, threshold),
        claims=disclosure.suppress_shares(claims, threshold),
        medians=disclosure.suppress_medians(medians, threshold),
        n_patients=int(ep["patient_key"].nunique()),
        n_episodes=int(ep["episode_key"].nunique()),
        threshold=threshold,
        is_demo=is_demo,
    )


def clinic_visits(db_path=None) -> tuple[pd.DataFrame, bool]:
    """The visits to analyse and whether they are the demo: the clinic's own imported records
    when the store holds any, else the synthetic demo export read through the same importer."""
    from analysis import clinic, demo

    store = clinic.ClinicStore(db_path or clinic.default_db_path())
    if store.has_data():
        return store.visits(), False
    result = clinic.read_export(demo.DEMO_PATH.read_bytes(), demo.DEMO_PATH.name)
    if not result.ok:
        raise ValueError(f"the demo export does not import cleanly:\n{result.problems}")
    return clinic.pseudonymise(result.visits, demo.DEMO_SECRET), True
