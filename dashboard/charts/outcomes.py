"""Figures for the clinic's treatment outcomes, beside trials and the natural course.

They take the suppressed aggregates of `analysis.clinic_view` (never patient rows) and show a
suppressed point as missing, never as zero. Demo data say so in the title and the caption.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis import natural_course
from analysis.facts import Change, Quantity
from analysis.outcomes import REPORT_SESSIONS, control_z
from analysis.vocabulary import CLAIM_SESSIONS, COMPLAINT_DURATIONS, CONTROL_LEVELS_PCT
from dashboard import words
from dashboard.charts.common import OKABE_ITO, Chart, layout, localise, wrap_title
from dashboard.i18n import level, number, percent, t

GROUP_COLOURS = {
    "acute": OKABE_ITO["orange"],
    "subacute": OKABE_ITO["bluish_green"],
    "chronic": OKABE_ITO["blue"],
}
BAND_COLOURS = {
    "acute": "rgba(230, 159, 0, 0.18)",
    "subacute": "rgba(0, 158, 115, 0.15)",
    "chronic": "rgba(0, 114, 178, 0.15)",
}


def _group(group: str, lang: str) -> str:
    return t(f"outcomes.group.{group}", lang)


def _demo(title: str, is_demo: bool, lang: str) -> str:
    return f"{t('outcomes.demo_prefix', lang)} {title}" if is_demo else title


def _caption(lang: str, is_demo: bool, *parts: str) -> str:
    lead = t("outcomes.caption_demo" if is_demo else "outcomes.caption_clinic", lang)
    return " ".join([lead, *[p for p in parts if p]])


def _short(text: str, limit: int = 56) -> str:
    """A row label cut to three short lines at most (the data keep the whole text)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _shown(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[~frame["suppressed"].astype(bool)] if "suppressed" in frame else frame


def pain_trajectory(pain: pd.DataFrame, lang: str, is_demo: bool, threshold: int) -> Chart:
    """Median pain (0-10) by session with the interquartile range, per complaint duration."""
    fig = go.Figure()
    summary = []
    for group in COMPLAINT_DURATIONS:
        rows = pain[pain["group"] == group].sort_values("session")
        if rows.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=list(rows["session"]) + list(rows["session"])[::-1],
                y=list(rows["pain_q3"]) + list(rows["pain_q1"])[::-1],
                fill="toself",
                fillcolor=BAND_COLOURS[group],
                mode="lines",
                line={"width": 0},
                hoverinfo="skip",
                name=t("outcomes.iqr", lang, group=_group(group, lang)),
                showlegend=True,
            )
        )
        fig.add_trace(
            go.Scatter(
                x=rows["session"],
                y=rows["pain_median"],
                mode="lines+markers",
                name=_group(group, lang),
                line={"color": GROUP_COLOURS[group], "width": 3},
                customdata=rows["n_patients"],
                hovertemplate="%{x}: %{y:.1f} (n=%{customdata})<extra></extra>",
                connectgaps=False,
            )
        )
        shown = _shown(rows)
        target = shown[shown["session"] <= CLAIM_SESSIONS.get(group, REPORT_SESSIONS[0])]
        if len(target) >= 2:
            change = Change(
                Quantity(float(target["pain_median"].iloc[0]), "count", 1),
                Quantity(float(target["pain_median"].iloc[-1]), "count", 1),
                int(target["session"].iloc[0]),
                int(target["session"].iloc[-1]),
            )
            summary.append(
                t(
                    "outcomes.pain_part",
                    lang,
                    group=t(f"outcomes.group_option.{group}", lang),
                    verb=t(f"home_working.verb.{change.direction}", lang),
                    first=number(change.start.value, lang, 1),
                    last=number(change.end.value, lang, 1),
                    session=change.end_year,
                )
            )
    fig.update_xaxes(title=t("outcomes.axis_session", lang), dtick=1)
    fig.update_yaxes(title=t("outcomes.axis_pain", lang), range=[0, 10])
    title = _demo(t("outcomes.pain_title", lang), is_demo, lang)
    sentence = (
        t("outcomes.pain_sentence", lang, parts="; ".join(summary))
        if summary
        else t("outcomes.too_few", lang, threshold=threshold)
    )
    layout(fig, title, height=440)
    data = pain[
        ["group", "session", "n_patients", "pain_median", "pain_q1", "pain_q3", "suppressed"]
    ]
    return Chart(
        "outcomes_pain_by_session",
        localise(fig, lang),
        data.reset_index(drop=True),
        title,
        sentence,
        _caption(lang, is_demo, t("outcomes.caption_pain", lang, threshold=threshold)),
    )


def km_chart(
    km: pd.DataFrame, claims: pd.DataFrame, lang: str, is_demo: bool, threshold: int
) -> Chart:
    """Kaplan-Meier cumulative share responding by session, with 95% bands and the website's
    5- and 10-session marks."""
    fig = go.Figure()
    for group in COMPLAINT_DURATIONS:
        rows = km[km["group"] == group].sort_values("session")
        if rows.empty:
            continue
        # The band steps with the curve: lower edge first, upper edge filled down to it.
        fig.add_trace(
            go.Scatter(
                x=rows["session"],
                y=rows["ci_low"] * 100,
                mode="lines",
                line={"width": 0, "shape": "hv"},
                hoverinfo="skip",
                showlegend=False,
                name=t("outcomes.ci_band", lang, group=_group(group, lang)) + " (low)",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=rows["session"],
                y=rows["ci_high"] * 100,
                mode="lines",
                fill="tonexty",
                fillcolor=BAND_COLOURS[group],
                line={"width": 0, "shape": "hv"},
                hoverinfo="skip",
                name=t("outcomes.ci_band", lang, group=_group(group, lang)),
            )
        )
        fig.add_trace(
            go.Scatter(
                x=rows["session"],
                y=rows["cum_response"] * 100,
                mode="lines+markers",
                line={"color": GROUP_COLOURS[group], "width": 3, "shape": "hv"},
                name=_group(group, lang),
                customdata=rows["n_at_risk"],
                hovertemplate="%{x}: %{y:.0f}% (at risk %{customdata})<extra></extra>",
            )
        )
    for group, session in CLAIM_SESSIONS.items():
        if (km["group"] == group).any():
            fig.add_vline(
                x=session,
                line_dash="dash",
                line_width=2,
                line_color=OKABE_ITO["reddish_purple"],
                layer="above",
                annotation_text=t(
                    "outcomes.claim_mark", lang, session=session, group=_group(group, lang)
                ),
                # The two marks' notes at different heights, so they never overlap.
                annotation_position="top right" if group == "acute" else "bottom left",
                annotation_font_size=11,
            )
    last = max([km["session"].max() if len(km) else 1, *CLAIM_SESSIONS.values()])
    fig.update_xaxes(title=t("outcomes.axis_session", lang), dtick=1, range=[0.5, last + 0.5])
    fig.update_yaxes(title=t("outcomes.axis_responded", lang), range=[0, 100], ticksuffix="%")
    km_claims = _shown(claims[claims["method"] == "kaplan_meier"])
    parts = [
        t(
            "outcomes.km_part",
            lang,
            share=percent(row.estimate * 100, lang, 0),
            low=percent(row.ci_low * 100, lang, 0),
            high=percent(row.ci_high * 100, lang, 0),
            group=_group(row.complaint_duration, lang),
            session=int(row.session),
        )
        for row in km_claims.itertuples()
    ]
    title = _demo(t("outcomes.km_title", lang), is_demo, lang)
    sentence = (
        t("outcomes.km_sentence", lang, parts="; ".join(parts))
        if parts
        else t("outcomes.too_few", lang, threshold=threshold)
    )
    layout(fig, title, height=460)
    data = km[
        [
            "group",
            "session",
            "n_at_risk",
            "cum_response",
            "ci_low",
            "ci_high",
            "suppressed",
        ]
    ]
    return Chart(
        "outcomes_response_by_session",
        localise(fig, lang),
        data.reset_index(drop=True),
        title,
        sentence,
        _caption(lang, is_demo, t("outcomes.caption_km", lang, threshold=threshold)),
    )


def benchmark_forest(
    claims: pd.DataFrame,
    benchmarks: pd.DataFrame,
    sentence: str,
    definition: str,
    lang: str,
    is_demo: bool,
) -> Chart:
    """The clinic's share responding (every episode that started, those who stopped counted as
    not responded, as GERAC counted drop-outs; Wilson 95% CI) beside trial responder rates; a
    hollow marker means the trial defined 'responder' differently from us. The sentence comes
    from the trial facts (`analysis.outcomes.gerac_findings`)."""
    clinic = _shown(claims[claims["method"] == "all_started"])
    rows = [
        {
            "label": t(
                "outcomes.clinic_row",
                lang,
                group=_group(r.complaint_duration, lang),
                session=int(r.session),
            ),
            "value": r.estimate * 100,
            "low": r.ci_low * 100,
            "high": r.ci_high * 100,
            "source": "demo" if is_demo else "clinic",
            "different_definition": False,
        }
        for r in clinic.itertuples()
    ]
    rates = benchmarks[
        benchmarks["value_kind"].isin(["responder_rate", "modelled_responder_rate"])
        & benchmarks["value"].notna()
    ]
    for r in rates.itertuples():
        rows.append(
            {
                "label": f"{r.study.split(' (')[0]} {r.publication_year}: {r.arm}",
                "value": float(r.value),
                "low": float(r.value_low) if pd.notna(r.value_low) else None,
                "high": float(r.value_high) if pd.notna(r.value_high) else None,
                "source": "trial",
                "different_definition": bool(r.is_responder_definition_different),
            }
        )
    data = pd.DataFrame(rows)
    fig = go.Figure()
    for source, colour in (
        ("clinic", OKABE_ITO["vermillion"]),
        ("demo", OKABE_ITO["vermillion"]),
        ("trial", OKABE_ITO["black"]),
    ):
        part = data[data["source"] == source] if not data.empty else data
        if part.empty:
            continue
        err = part[["low", "high"]].astype(float)
        fig.add_trace(
            go.Scatter(
                x=part["value"],
                # Wrapped so the plot keeps most of a phone's width; the data keeps them whole.
                y=[wrap_title(_short(label), 150, 12) for label in part["label"]],
                mode="markers",
                name=t(f"outcomes.forest_{source}", lang),
                marker={
                    "color": colour,
                    "size": 11,
                    "symbol": [
                        "circle-open" if d else "circle" for d in part["different_definition"]
                    ],
                    "line": {"width": 2, "color": colour},
                },
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": (err["high"] - part["value"]).fillna(0),
                    "arrayminus": (part["value"] - err["low"]).fillna(0),
                    "color": colour,
                    "visible": bool(err.notna().any().any()),
                },
                hovertemplate="%{y}: %{x:.1f}%<extra></extra>",
            )
        )
    fig.update_xaxes(
        title=t("outcomes.axis_share_responding", lang), range=[0, 100], ticksuffix="%"
    )
    fig.update_yaxes(autorange="reversed", automargin=True, tickfont={"size": 12})
    title = _demo(t("outcomes.forest_title", lang), is_demo, lang)
    layout(fig, title, height=max(380, 58 * len(data) + 160))
    return Chart(
        "outcomes_vs_trials",
        localise(fig, lang),
        data,
        title,
        sentence,
        _caption(
            lang,
            is_demo,
            words.caption(
                lang,
                definition,
                sources=[("outcome_benchmarks", rates)],
            ),
        ),
    )


# -- the clinic over time ----------------------------------------------------------------------


def intake_chart(
    intake: pd.DataFrame,
    resolution: str,
    pre_covid_year: int | None,
    periods: pd.DataFrame,
    sentence: str,
    lang: str,
    is_demo: bool,
    threshold: int,
) -> Chart:
    """New episodes per month or quarter at the clinic on the time axis of the covid measures
    (home-working advice shaded, darker = stricter), with the same months of the pre-covid year
    as a dotted reference where the records cover it. Hidden months are gaps, not zeros."""
    from dashboard.charts.homeworking import _advice_legend, _shade_advice

    parts = intake[intake["bucket"] != "all"].sort_values("start")
    fig = go.Figure()
    _shade_advice(fig, periods)
    fig.add_trace(
        go.Bar(
            x=parts["start"],
            y=parts["n_episodes"].astype("Float64").astype("float64"),
            name=t("outcomes.intake_new", lang),
            marker_color=OKABE_ITO["blue"],
            xperiod="M1" if resolution == "month" else "M3",
            xperiodalignment="start",
            hovertemplate="%{x|%Y-%m}: %{y}<extra></extra>",
        )
    )
    reference = pd.DataFrame(columns=["start", "n_episodes"])
    if pre_covid_year is not None:
        base = parts[parts["start"].dt.year == pre_covid_year]
        later = parts[parts["start"].dt.year > pre_covid_year]
        same = later.assign(
            month=later["start"].dt.month,
        ).merge(
            base.assign(month=base["start"].dt.month)[["month", "n_episodes"]],
            on="month",
            suffixes=("", "_reference"),
        )
        reference = same[["start", "n_episodes_reference"]].rename(
            columns={"n_episodes_reference": "n_episodes"}
        )
        fig.add_trace(
            go.Scatter(
                x=reference["start"],
                y=reference["n_episodes"].astype("Float64").astype("float64"),
                mode="markers",
                marker={"symbol": "line-ew-open", "size": 14, "color": OKABE_ITO["black"]},
                name=t("outcomes.intake_reference", lang, year=pre_covid_year),
            )
        )
    _advice_legend(fig, periods, lang)
    starts = [d for d in (parts["start"].min(), periods["start"].min()) if pd.notna(d)]
    if starts:
        fig.update_xaxes(range=[min(starts), parts["start"].max() + pd.offsets.QuarterEnd(1)])
    fig.update_yaxes(title=t(f"outcomes.intake_axis_{resolution}", lang), rangemode="tozero")
    title = _demo(t(f"outcomes.intake_title_{resolution}", lang), is_demo, lang)
    layout(fig, title, height=420)
    data = parts[["bucket", "start", "n_episodes", "suppressed"]].reset_index(drop=True)
    return Chart(
        "outcomes_intake",
        localise(fig, lang),
        data,
        title,
        sentence,
        _caption(lang, is_demo, t("outcomes.caption_intake", lang, threshold=threshold)),
    )


def _level(tag: str, lang: str) -> str:
    """A control level ("95", "998") as printed: 95 or 99.8."""
    return level(CONTROL_LEVELS_PCT[0] if tag == "95" else CONTROL_LEVELS_PCT[1], lang)


def p_chart(limits: pd.DataFrame, sentence: str, lang: str, is_demo: bool, threshold: int) -> Chart:
    """Responder share per start quarter around the clinic's own mean, with 95% and 99.8%
    control limits (a p-chart); hidden quarters are gaps. No quarter is ranked."""
    rows = limits.sort_values("quarter")
    x = rows["quarter"].tolist()
    fig = go.Figure()
    for tag, dash, name in (("998", "dot", "limits_998"), ("95", "dash", "limits_95")):
        for edge in ("low", "high"):
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=rows[f"{edge}_{tag}"] * 100,
                    mode="lines",
                    line={"color": OKABE_ITO["black"], "width": 1, "dash": dash, "shape": "hvh"},
                    name=t(f"outcomes.{name}", lang, level=_level(tag, lang)),
                    showlegend=edge == "low",
                    legendgroup=tag,
                    hoverinfo="skip",
                )
            )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=rows["centre"] * 100,
            mode="lines",
            line={"color": OKABE_ITO["bluish_green"], "width": 2},
            name=t("outcomes.centre_line", lang),
            hoverinfo="skip",
        )
    )
    outside = rows["signal"].fillna("within") != "within"
    fig.add_trace(
        go.Scatter(
            x=x,
            y=rows["share"].astype("float64") * 100,
            mode="lines+markers",
            line={"color": OKABE_ITO["blue"], "width": 2},
            marker={
                "size": [13 if o else 9 for o in outside],
                "symbol": ["diamond" if o else "circle" for o in outside],
                "color": [OKABE_ITO["vermillion"] if o else OKABE_ITO["blue"] for o in outside],
            },
            name=t("outcomes.quarter_share", lang),
            customdata=rows["n_episodes"],
            hovertemplate="%{x}: %{y:.0f}% (n=%{customdata})<extra></extra>",
            connectgaps=False,
        )
    )
    fig.update_xaxes(title=t("outcomes.axis_quarter", lang), type="category")
    fig.update_yaxes(title=t("outcomes.axis_share_responding", lang), range=[0, 100],
                     ticksuffix="%")  # fmt: skip
    title = _demo(t("outcomes.p_chart_title", lang), is_demo, lang)
    layout(fig, title, height=420)
    data = rows[
        ["quarter", "n_episodes", "share", "centre", "low_95", "high_95", "low_998",
         "high_998", "signal", "suppressed"]
    ].reset_index(drop=True)  # fmt: skip
    return Chart(
        "outcomes_quarters",
        localise(fig, lang),
        data,
        title,
        sentence,
        _caption(
            lang,
            is_demo,
            t(
                "outcomes.caption_p_chart",
                lang,
                threshold=threshold,
                z_low=number(control_z(CONTROL_LEVELS_PCT[0] / 100), lang, 2),
                z_high=number(control_z(CONTROL_LEVELS_PCT[1] / 100), lang, 2),
            ),
        ),
    )


def course_chart(
    course: pd.DataFrame, sentence: str, lang: str, is_demo: bool, threshold: int
) -> Chart:
    """The clinic's mean pain by week since the first visit beside the natural course expected
    for the same patients (derived from the inception cohorts, only at the weeks they publish,
    with its 95% interval). Hidden weeks are gaps."""
    fig = go.Figure()
    rows = course[course["week"] <= natural_course_weeks(course)]
    for group in COMPLAINT_DURATIONS:
        part = rows[rows["group"] == group].sort_values("week")
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=part["week"],
                y=part["observed_mean"].astype("float64"),
                mode="lines+markers",
                name=t("outcomes.course_observed", lang, group=_group(group, lang)),
                line={"color": GROUP_COLOURS[group], "width": 3},
                customdata=part["n_episodes"],
                hovertemplate="%{x}: %{y:.1f} (n=%{customdata})<extra></extra>",
                connectgaps=False,
            )
        )
        expected = part[part["expected_mean"].notna()]
        if expected.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=expected["week"],
                y=expected["expected_mean"],
                mode="markers",
                name=t("outcomes.course_expected", lang, group=_group(group, lang)),
                marker={
                    "symbol": "diamond-open",
                    "size": 13,
                    "color": GROUP_COLOURS[group],
                    "line": {"width": 2},
                },  # fmt: skip
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": expected["expected_high"] - expected["expected_mean"],
                    "arrayminus": expected["expected_mean"] - expected["expected_low"],
                    "color": GROUP_COLOURS[group],
                },
                hovertemplate="%{x}: %{y:.1f}<extra></extra>",
            )
        )
    fig.update_xaxes(title=t("outcomes.axis_weeks", lang), dtick=1)
    fig.update_yaxes(title=t("outcomes.axis_mean_pain", lang), range=[0, 10])
    title = _demo(t("outcomes.course_title", lang), is_demo, lang)
    layout(fig, title, height=440)
    data = rows[
        ["group", "cohort", "week", "n_episodes", "observed_mean", "expected_mean",
         "expected_low", "expected_high", "difference", "difference_low", "difference_high",
         "derived", "suppressed"]
    ].reset_index(drop=True)  # fmt: skip
    return Chart(
        "outcomes_natural_course",
        localise(fig, lang),
        data,
        title,
        sentence,
        _caption(
            lang,
            is_demo,
            t(
                "outcomes.caption_course",
                lang,
                threshold=threshold,
                level=natural_course.LEVEL_PCT,
            ),
        ),
    )


def natural_course_weeks(course: pd.DataFrame) -> int:
    """The last week the chart shows: the weekly weeks (0-12), not the one-off 26 and 52."""
    weekly = course.loc[course["week"] <= 12, "week"]
    return int(weekly.max()) if len(weekly) else 12
