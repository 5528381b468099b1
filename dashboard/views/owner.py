"""The owner's private panels on the Clinic data page, as pure functions: tables and words from
`analysis.clinic.quality` (no suppression) and the sign-in log.

PRIVATE: these blocks are shown only to the signed-in owner, by `dashboard/streamlit_pages/
clinic_data.py`, block by block (`dashboard.render.show_block`), never through
`PageSlots.fill`: so they are never the page view that the share panel exports, and no link,
embed or preview can ask for them. This module is not in `dashboard.views.every_view`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.clinic.quality import SESSIONS, FullOutcomes, Quality
from analysis.vocabulary import EPISODE_GAP_DAYS, RESPONSE_PCT, RESPONSE_POINTS
from dashboard.i18n import number, t
from dashboard.signin_guard import KEEP_SECONDS, Policy, Status, format_time
from dashboard.views.page import Figure, Figures, Table, Text

PANELS = ("import", "private", "quality", "signins")


def _pct(values: pd.Series) -> pd.Series:
    return (pd.to_numeric(values, errors="coerce") * 100).round(0).astype("Int64")


def private_banner(lang: str) -> Text:
    """The mark every private panel starts with."""
    return Text(t("owner.private.banner", lang), "warning")


def group_frame(groups: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """The unsuppressed group table with shares in whole percent, and its column labels."""
    frame = groups.copy()
    labels = {
        "group_by": t("owner.private.col_group_by", lang),
        "group": t("owner.private.col_group", lang),
        "n_patients": t("owner.private.col_patients", lang),
        "n_episodes": t("owner.private.col_episodes", lang),
        "baseline_pain_median": t("owner.private.col_baseline", lang),
    }
    for s in SESSIONS:
        for key in (f"responded_all_{s}", f"responded_reached_{s}", f"km_{s}"):
            frame[key] = _pct(frame[key])
        labels |= {
            f"responded_all_{s}": t("owner.private.col_responded_all", lang, session=s),
            f"responded_reached_{s}": t("owner.private.col_responded_reached", lang, session=s),
            f"reached_{s}": t("owner.private.col_reached", lang, session=s),
            f"km_{s}": t("owner.private.col_km", lang, session=s),
        }
    labels["median_sessions"] = t("owner.private.col_median", lang)
    return frame, labels


def private_blocks(full: FullOutcomes, lang: str) -> tuple:
    """The clinic's outcomes without suppression: every group, start year and quarter."""
    blocks: list = [private_banner(lang)]
    if full.n_episodes == 0:
        blocks.append(Text(t("owner.private.no_records", lang), "info"))
        return tuple(blocks)
    blocks.append(
        Text(
            t(
                "owner.private.summary",
                lang,
                patients=number(full.n_patients, lang),
                episodes=number(full.n_episodes, lang),
            )
        )
    )
    frame, labels = group_frame(full.groups, lang)
    blocks += [Text(t("owner.private.groups_heading", lang), "subheader"), Table(frame, labels)]
    blocks.append(
        Text(
            t(
                "owner.private.groups_caption",
                lang,
                pct=number(RESPONSE_PCT, lang),
                points=number(RESPONSE_POINTS, lang),
            ),
            "caption",
        )
    )
    claims = full.claims.copy()
    for key in ("estimate", "ci_low", "ci_high"):
        claims[key] = _pct(claims[key])
    blocks += [
        Text(t("owner.private.claims_heading", lang), "subheader"),
        Table(claims.drop(columns=["outcome"])),
        Text(t("owner.private.pain_heading", lang), "subheader"),
        Table(full.pain.round(2)),
        Text(t("owner.private.km_heading", lang), "subheader"),
        Table(full.km.drop(columns=["outcome"]).round(3)),
    ]
    return tuple(blocks)


def quality_blocks(quality: Quality, lang: str) -> tuple:
    """The data-quality panel: what to check before trusting the figures."""
    blocks: list = [private_banner(lang)]
    if quality.n_visits == 0:
        blocks.append(Text(t("owner.private.no_records", lang), "info"))
        return tuple(blocks)

    def share(count: int) -> str:
        if not quality.n_episodes:
            return ""
        pct = number(100 * count / quality.n_episodes, lang)
        return t("owner.quality.of_episodes", lang, pct=pct)

    figures = [
        Figure(t("owner.quality.visits", lang), number(quality.n_visits, lang), ""),
        Figure(t("owner.quality.episodes", lang), number(quality.n_episodes, lang), ""),
        Figure(t("owner.quality.one_visit", lang), number(quality.one_visit, lang),
               share(quality.one_visit)),
    ]  # fmt: skip
    for s, count in quality.stopped_before.items():
        figures.append(
            Figure(
                t("owner.quality.stopped_before", lang, session=s),
                number(count, lang),
                share(count),
            )
        )
    figures.append(
        Figure(
            t("owner.quality.ongoing", lang),
            number(quality.ongoing, lang),
            t(
                "owner.quality.ongoing_note",
                lang,
                gap=EPISODE_GAP_DAYS,
                date=f"{quality.reference_date:%Y-%m-%d}" if quality.reference_date else "",
            ),
        )
    )
    blocks.append(Figures(tuple(figures)))
    labels = {
        "field": t("owner.quality.col_field", lang),
        "visits_missing": t("owner.quality.col_visits_missing", lang),
        "episodes_missing": t("owner.quality.col_episodes_missing", lang),
    }
    missing = quality.missing.assign(
        field=[t(f"owner.quality.field_{f}", lang) for f in quality.missing["field"]]
    )
    blocks += [
        Text(t("owner.quality.missing_heading", lang), "subheader"),
        Table(missing, labels),
        Text(t("owner.quality.missing_caption", lang), "caption"),
        Text(t("owner.quality.month_heading", lang), "subheader"),
        Table(
            quality.per_month,
            {
                "month": t("owner.quality.col_month", lang),
                "visits": t("owner.quality.col_visits", lang),
                "patients": t("owner.quality.col_patients", lang),
                "new_episodes": t("owner.quality.col_new_episodes", lang),
            },
        ),
    ]
    return tuple(blocks)


def signin_blocks(
    rows: Sequence[tuple[float, str, str, int]], status: Status, lang: str, tz: str | None = None
) -> tuple:
    """Recent wrong or refused sign-ins (time, address, outcome, how many attempts the row
    stands for: refused attempts beyond a few an hour are counted in one row), and whether
    the sign-in is closed."""
    days = round(max(KEEP_SECONDS, Policy().window) / 86400)
    blocks: list = [Text(t("owner.signins.intro", lang, days=days), "caption")]
    if status.is_closed:
        until = format_time(status.closed_until, tz)
        blocks.append(Text(t("owner.signins.closed_now", lang, until=until), "warning"))
    hours = round(Policy().window / 3600)
    counted = t(
        "owner.signins.counted", lang, total=number(status.total_failures, lang), hours=hours
    )
    blocks.append(Text(counted))
    if not rows:
        blocks.append(Text(t("owner.signins.none", lang), "info"))
        return tuple(blocks)
    frame = pd.DataFrame(
        {
            "time": [format_time(at, tz) for at, _, _, _ in rows],
            "address": [address for _, address, _, _ in rows],
            "outcome": [t(f"owner.signins.outcome_{outcome}", lang) for _, _, outcome, _ in rows],
            "attempts": [int(n) for _, _, _, n in rows],
        }
    )
    labels = {
        "time": t("owner.signins.col_time", lang),
        "address": t("owner.signins.col_address", lang),
        "outcome": t("owner.signins.col_outcome", lang),
        "attempts": t("owner.signins.col_attempts", lang),
    }
    blocks.append(Table(frame, labels))
    return tuple(blocks)
