"""Figures for GP-registered neck and back complaints by sex, age and year.

Each builder only draws: it takes frames from `analysis.prevalence` and the title the page view
made from the facts (`dashboard.words.prevalence`), and returns a Plotly figure with axis labels
in English or Dutch.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis.vocabulary import BOTH_SEXES, SEXES
from dashboard.charts.common import OKABE_ITO, SEX_COLOURS, layout, localise
from dashboard.i18n import number, t


def _sex(sex: str, lang: str) -> str:
    return t(f"sex.{sex}", lang)


# ---------------------------------------------------------------- age profile


def age_profile(by_age: pd.DataFrame, measure: str, sex: str, title: str, lang: str) -> go.Figure:
    """Rate per 1,000 (or persons) by age group for men and women, the selected sex in front.

    `by_age` has sex, age_group, rate_per_1000 and, for persons, population and persons.
    """
    column = "rate_per_1000" if measure == "rate" else "persons"
    fig = go.Figure()
    order = [s for s in SEXES if s != sex] + ([sex] if sex in SEXES else [])
    for s in order:
        rows = by_age[by_age["sex"] == s]
        fig.add_trace(
            go.Scatter(
                x=rows["age_group"].astype(str),
                y=rows[column],
                name=_sex(s, lang),
                mode="lines+markers",
                line={"color": SEX_COLOURS[s], "width": 3 if s == sex or sex == BOTH_SEXES else 2},
                opacity=1.0 if s == sex or sex == BOTH_SEXES else 0.55,
                hovertemplate="%{x}: %{y:,.1f}<extra>" + _sex(s, lang) + "</extra>",
            )
        )
    fig.update_xaxes(title=t("axis.age_group", lang))
    fig.update_yaxes(
        title=t("axis.rate_per_1000" if measure == "rate" else "axis.persons", lang),
        rangemode="tozero",
    )
    layout(fig, title)
    return localise(fig, lang)


def pyramid(by_age: pd.DataFrame, measure: str, title: str, lang: str) -> go.Figure:
    """Mirrored bars: men to the left, women to the right, youngest at the bottom."""
    column = "rate_per_1000" if measure == "rate" else "persons"
    fig = go.Figure()
    for s, sign in (("men", -1), ("women", 1)):
        rows = by_age[by_age["sex"] == s]
        fig.add_trace(
            go.Bar(
                y=rows["age_group"].astype(str),
                x=sign * rows[column],
                customdata=rows[column],
                orientation="h",
                name=_sex(s, lang),
                marker_color=SEX_COLOURS[s],
                hovertemplate="%{y}: %{customdata:,.1f}<extra>" + _sex(s, lang) + "</extra>",
            )
        )
    peak = float(by_age[column].max())
    step = _nice_step(peak)
    ticks = [v for v in range(-int(peak // step + 1) * step, int(peak // step + 2) * step, step)]
    fig.update_xaxes(
        title=t("axis.rate_per_1000" if measure == "rate" else "axis.persons", lang),
        tickvals=ticks,
        ticktext=[number(abs(v), lang) for v in ticks],
        zeroline=True,
    )
    fig.update_yaxes(title=t("axis.age_group", lang))
    fig.update_layout(barmode="relative", bargap=0.08)
    layout(fig, title, height=520)
    return localise(fig, lang)


def _nice_step(peak: float) -> int:
    """A round tick step giving about four ticks on each side of zero."""
    raw = max(peak / 4, 1)
    magnitude = 10 ** (len(str(int(raw))) - 1)
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return int(factor * magnitude)
    return int(10 * magnitude)


# ---------------------------------------------------------------- women / men ratio


def ratio_chart(ratio: pd.DataFrame, title: str, lang: str) -> go.Figure:
    """Women's rate divided by men's, per age group, with the line of equal rates at 1."""
    fig = go.Figure(
        go.Bar(
            x=ratio["age_group"].astype(str),
            y=ratio["ratio_women_to_men"],
            marker_color=OKABE_ITO["reddish_purple"],
            name=t("prevalence.ratio_trace", lang),
            hovertemplate="%{x}: %{y:.2f}<extra></extra>",
        )
    )
    fig.add_hline(y=1, line_dash="dash", line_color=OKABE_ITO["black"])
    fig.update_xaxes(title=t("axis.age_group", lang))
    fig.update_yaxes(title=t("axis.ratio_women_men", lang), rangemode="tozero")
    layout(fig, title, height=400)
    return localise(fig, lang)


# ---------------------------------------------------------------- crude vs standardised

STANDARD_COLOURS = {
    "crude": OKABE_ITO["black"],
    "esp2013": OKABE_ITO["blue"],
    "nl2018": OKABE_ITO["bluish_green"],
    "nl2020": OKABE_ITO["orange"],
}


def standardised_chart(table: pd.DataFrame, selected: str, title: str, lang: str) -> go.Figure:
    """Crude and age-standardised rates per sex; the selected standard is drawn solid.

    `table` has sex, standard (crude, esp2013, nl2018, nl2020) and rate_per_1000.
    """
    fig = go.Figure()
    for standard, colour in STANDARD_COLOURS.items():
        rows = table[table["standard"] == standard]
        fig.add_trace(
            go.Bar(
                x=[_sex(s, lang) for s in rows["sex"]],
                y=rows["rate_per_1000"],
                name=t(f"standard.{standard}", lang),
                marker_color=colour,
                opacity=1.0 if standard == selected else 0.35,
                text=[number(v, lang, 1) for v in rows["rate_per_1000"]],
                textposition="outside",
                hovertemplate="%{x}: %{y:.1f}<extra>"
                + t(f"standard.{standard}", lang)
                + "</extra>",
            )
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(title=t("axis.rate_per_1000", lang), rangemode="tozero")
    layout(fig, title, height=440)
    return localise(fig, lang)


# ---------------------------------------------------------------- by year


def totals_chart(totals: pd.DataFrame, title: str, lang: str) -> go.Figure:
    """Persons known to their GP by year and sex on a year axis that keeps the gaps (a year
    without a figure is an empty slot marked as such). Years whose case definition is assumed
    (2017, secondary sources) are separate, hatched traces, never one series with VZinfo's; the
    value's qualifier ('more than') is in the hover text; 2020 is marked as a covid year.
    Men, women and both are drawn alike whatever sex the page shows (the sentence above the
    chart names that one): the chart is the same for every choice, so changing it does not
    redraw the chart.

    `totals` is `analysis.prevalence.published_totals()` with a `label` column: each value as
    printed, with its qualifier ("more than 2,028,000"), written upright inside its bar so a
    PNG or an export keeps the qualifier too.
    """
    fig = go.Figure()
    shown = totals[totals["persons"].notna()]
    for assumed in (False, True):
        for s in (*SEXES, BOTH_SEXES):
            rows = shown[(shown["sex"] == s) & (shown["is_definition_assumed"] == assumed)]
            if rows.empty:
                continue
            name = _sex(s, lang)
            if assumed:
                name = t("prevalence.trace_assumed", lang, sex=name, year=int(rows["year"].min()))
            fig.add_trace(
                go.Bar(
                    x=rows["year"],
                    y=rows["persons"],
                    name=name,
                    offsetgroup=s,
                    legendgroup="assumed" if assumed else "vzinfo",
                    marker={
                        "color": SEX_COLOURS[s],
                        # The hatching drawn over the bar's colour (not in its place), so the
                        # white label stays on a dark ground.
                        "pattern": {
                            "shape": "/" if assumed else "",
                            "fillmode": "overlay",
                            "fgcolor": "white",
                        },
                    },
                    text=rows["label"],
                    textposition="inside",
                    textangle=-90,
                    insidetextanchor="end",
                    textfont={"color": "white", "size": 11},
                    hovertemplate="%{x}: %{text}<extra>" + name + "</extra>",
                )
            )
    years = range(int(shown["year"].min()), int(shown["year"].max()) + 1)
    top = float(shown["persons"].max())
    for year in years:
        if year not in set(shown["year"]):
            fig.add_annotation(
                x=year,
                y=top * 0.05,
                text=t("prevalence.no_figure", lang),
                showarrow=False,
                textangle=-90,
                yanchor="bottom",
                font={"size": 12},
            )
    if 2020 in set(shown["year"]):
        fig.add_annotation(
            x=2020,
            y=top,
            text=t("prevalence.covid_dip_label", lang),
            showarrow=False,
            yshift=18,
            font={"size": 12},
        )
    fig.update_layout(barmode="group")
    fig.update_xaxes(title=t("axis.year", lang), tickvals=list(years), dtick=1)
    fig.update_yaxes(title=t("axis.persons", lang), rangemode="tozero", tickformat=",d")
    layout(fig, title, height=440)
    return localise(fig, lang)
