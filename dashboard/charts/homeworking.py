"""Figures for the Home working & covid page: pure builders, frames from `analysis.homeworking`
in, `Chart` out.

Every builder returns a `Chart` and its `About`, all in the reader's language. The chart holds
the figure, exactly the rows it plots (for the CSV download), a title that states the finding
with the numbers, one short sentence with the chart's one message (from the facts, written by
`dashboard.words.home_working`) and a caption with the source line. The `About` holds the
reference text the page folds under the chart ("About this data"): the sentence that gives every
plotted value, the definitions and method notes, and the text of the caveats the plotted rows
cite. Series measured with
different definitions are separate traces and a break is marked, never bridged; a line joins
consecutive years only; events without a published day are listed, not placed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analysis.facts import decimals_of
from analysis.homeworking import COMPLAINT_MEASURES
from analysis.prevalence import CovidDip
from dashboard import words
from dashboard.charts.common import (
    OKABE_ITO,
    Chart,
    layout,
    localise,
    room_above_plot,
    wrap_title,
)
from dashboard.i18n import messages, number, percent, t
from dashboard.words.home_working import definition_label, edition_label

# -- shared helpers --------------------------------------------------------------------------


@dataclass(frozen=True)
class About:
    """A chart's reference text, for its "About this data" expander: the sentence that gives
    every plotted value, the definitions and method notes, and the caveats of the plotted rows
    (their label and texts; empty when they cite none)."""

    values: str
    notes: tuple[str, ...]
    caveats: str


def _finish(
    name: str,
    fig: go.Figure,
    out: pd.DataFrame,
    title: str,
    finding: str,
    sentence: str,
    notes: tuple[str, ...],
    sources: list[tuple[str, pd.DataFrame]],
    lang: str,
) -> tuple[Chart, About]:
    """The chart with its one-sentence finding and its source line as the caption, and its
    `About`: every plotted value, the notes and the caveats of the rows in `sources`."""
    cited = pd.concat([rows for _, rows in sources])
    about = About(sentence, tuple(n for n in notes if n), words.caveat_line(cited, lang))
    return Chart(name, fig, out, title, finding, words.source_line(sources, lang)), about


DEFINITION_STYLE = {  # colour, marker, line dash, where the value label goes
    "cbs_ebb_usually_or_occasionally": (OKABE_ITO["blue"], "circle", "solid", "top center"),
    "cbs_ebb_most_of_time_or_sometimes": (
        OKABE_ITO["vermillion"],
        "square",
        "solid",
        "top center",
    ),
    "eurostat_usually": (OKABE_ITO["bluish_green"], "diamond", "dash", "bottom center"),
    "eurostat_at_least_occasionally": (OKABE_ITO["orange"], "triangle-up", "dash", "bottom center"),
}
# Grey, darker for stricter advice: readable for every kind of colour vision and distinct from
# the coloured series drawn on top.
ADVICE_OPACITY = {
    "regional_advice_only": 0.04,
    "work_at_home_if_possible": 0.07,
    "at_least_half_at_home": 0.12,
    "urgent_work_at_home": 0.19,
}
NATIONAL_ADVICE = ("work_at_home_if_possible", "at_least_half_at_home", "urgent_work_at_home")
# Producers whose headline series changed its survey question (CBS, from 2021). A switch
# between two Eurostat measures is marked as a break too, but not described as a new question.
QUESTION_CHANGED_BY = ("CBS",)
YEAR_MS = 365.25 * 24 * 3600 * 1000


def _advice_colour(advice: str) -> str:
    return f"rgba(0, 0, 0, {ADVICE_OPACITY[advice]})"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(text).lower()).strip("_")


def _pct(value: float, lang: str) -> str:
    return percent(value, lang, decimals_of(value))


def _qualified(text: str, qualifier: object, lang: str) -> str:
    """A formatted value with its published qualifier: 'almost 37%', 'more than 2,028,000'."""
    if qualifier is None or pd.isna(qualifier):
        return text
    return t(f"words.qualifier.{_slug(qualifier)}", lang, value=text)


def _known(prefix: str, raw: object, lang: str) -> str | None:
    """The translation of a data value under `prefix`, or None when there is none."""
    if raw is None or pd.isna(raw):
        return None
    key = f"{prefix}.{_slug(raw)}"
    return t(key, lang) if key in messages(lang) else None


def _date(day: pd.Timestamp, lang: str) -> str:
    return words.say_date(day, lang)


def _period(start: pd.Timestamp, end: pd.Timestamp, lang: str) -> str:
    """A period in words: '2020', 'Mar–Jun 2020', 'from 9 March 2020'."""
    if pd.isna(end):
        return t("home_working.period_from", lang, date=_date(start, lang))
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return str(start.year)
    if start.day == 1 and end.is_month_end:
        short = t("home_working.months_short", lang).split(",")
        first, last = short[start.month - 1], short[end.month - 1]
        if start.year == end.year:
            return f"{first}–{last} {end.year}"
        return f"{first} {start.year}–{last} {end.year}"
    return f"{_date(start, lang)}–{_date(end, lang)}"


def _lower_first(text: str) -> str:
    """'Contacts with the GP practice' -> 'contacts with the GP practice'; 'GP consultations'
    keeps its acronym."""
    first = text.split(" ", 1)[0]
    return text if first.isupper() else text[:1].lower() + text[1:]


def _join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {t('home_working.care.and', lang)} {items[-1]}"


def _care_rows(dated: pd.DataFrame, undated: pd.DataFrame, care: str) -> pd.DataFrame:
    """The plotted and the worded care changes of one kind of care (for its source line)."""
    rows = pd.concat([dated, undated])
    return rows[rows["care"] == care]


def _shade_advice(fig: go.Figure, periods: pd.DataFrame, rows: int = 1) -> None:
    """Grey bands for the periods of national or regional home-working advice, on every row."""
    for period in periods.itertuples():
        if period.advice == "none":
            continue
        assert not pd.isna(period.end), f"advice period from {period.start} has no end"
        for row in range(1, rows + 1):
            suffix = "" if row == 1 else str(row)
            fig.add_shape(
                type="rect",
                xref=f"x{suffix}",
                yref=f"y{suffix} domain",
                x0=period.start,
                x1=period.end,
                y0=0,
                y1=1,
                fillcolor=_advice_colour(period.advice),
                opacity=1,
                line_width=0,
                layer="below",
                name=f"advice:{period.advice}",
            )


def _advice_legend(fig: go.Figure, periods: pd.DataFrame, lang: str, **where) -> None:
    """Legend entries for the shading (legend-only traces; they plot nothing)."""
    shown = [a for a in reversed(list(ADVICE_OPACITY)) if a in set(periods["advice"])]
    for advice in shown:
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"symbol": "square", "size": 14, "color": _advice_colour(advice)},
                name=t(f"home_working.advice.{advice}", lang),
                meta={"kind": "advice", "advice": advice},
                hoverinfo="skip",
            ),
            **where,
        )


# -- home working over time ------------------------------------------------------------------


def _gapped(frame: pd.DataFrame, *columns: str) -> list[list]:
    """Columns as lists with None between years that are not consecutive, so a line never
    bridges a year without a published figure."""
    out: list[list] = [[] for _ in columns]
    previous = None
    for row in frame.itertuples():
        if previous is not None and row.year - previous > 1:
            for values in out:
                values.append(None)
        for values, column in zip(out, columns, strict=True):
            values.append(getattr(row, column))
        previous = row.year
    return out


def home_working_trend(
    shares: pd.DataFrame,
    breaks: pd.DataFrame,
    periods: pd.DataFrame,
    undated: pd.DataFrame,
    title: str,
    sentence: str,
    finding: str,
    lang: str,
) -> tuple[Chart, About]:
    """Home-working shares by definition, one trace per definition, breaks marked with a
    labelled vertical line, and the periods of home-working advice shaded (darker = stricter).
    The title, the finding and the sentence with every value come from the facts
    (`dashboard.words.home_working`)."""
    plotted = shares[shares["share_pct"].notna()].copy()
    assert len(plotted), "home_working_trend: no shares to plot"
    plotted["series"] = [definition_label(d, lang) for d in plotted["definition"]]
    plotted["label"] = [
        _qualified(_pct(v, lang), q, lang)
        for v, q in zip(plotted["share_pct"], plotted["value_qualifier"], strict=True)
    ]
    plotted["hover"] = [
        f"{s}<br>{y}: {label}"
        + (f" ({t('home_working.secondary', lang)})" if src == "secondary" else "")
        for s, y, label, src in zip(
            plotted["series"],
            plotted["year"],
            plotted["label"],
            plotted["source_type"],
            strict=True,
        )
    ]

    # Values written at each series' first and last point only: neighbouring years' labels run
    # into each other on a phone. Every value is in the hover text and the CSV.
    ends = plotted.groupby("definition", sort=False)["x"].transform
    at_end = (plotted["x"] == ends("min")) | (plotted["x"] == ends("max"))
    plotted["end_label"] = plotted["label"].where(at_end, "")

    fig = go.Figure()
    _shade_advice(fig, periods)
    for definition, rows in plotted.groupby("definition", sort=False):
        colour, symbol, dash, text_position = DEFINITION_STYLE[definition]
        x, y, text, hover = _gapped(rows, "x", "share_pct", "end_label", "hover")
        fig.add_trace(
            go.Scatter(
                x=x,
                y=y,
                text=text,
                customdata=hover,
                mode="lines+markers+text",
                textposition=text_position,
                name=rows["series"].iloc[0],
                line={"color": colour, "dash": dash, "width": 2.5},
                marker={"symbol": symbol, "size": 9, "color": colour},
                textfont={"color": colour, "size": 12},
                hovertemplate="%{customdata}<extra></extra>",
                meta={"kind": "series", "definition": definition},
                connectgaps=False,
            )
        )
    _advice_legend(fig, periods, lang)

    for i, brk in enumerate(breaks.itertuples()):
        fig.add_shape(
            type="line",
            xref="x",
            yref="y domain",
            x0=brk.break_date,
            x1=brk.break_date,
            y0=0,
            y1=1,
            line={"color": OKABE_ITO["black"], "width": 1.5, "dash": "dot"},
            opacity=1,
            name=f"break:{brk.definition_after}",
        )
        fig.add_annotation(
            x=brk.break_date,
            xref="x",
            yref="y domain",
            y=0.99 - 0.075 * i,
            text=t(
                "home_working.trend.break_label",
                lang,
                producer=brk.producer,
                year=brk.break_date.year,
            ),
            showarrow=False,
            xanchor="right",
            yanchor="top",
            xshift=-4,
            font={"size": 12, "color": OKABE_ITO["black"]},
            bgcolor="rgba(255, 255, 255, 0.85)",
            name=f"break:{brk.definition_after}",
        )

    low = min(plotted["x"].min(), periods["start"].min())
    high = max(plotted["x"].max(), periods["start"].max())
    fig.update_xaxes(
        title_text=t("home_working.trend.x_axis", lang),
        range=[low - pd.Timedelta(days=200), high + pd.Timedelta(days=200)],
        dtick="M12",
        tickformat="%Y",
    )
    top = plotted["share_pct"].max()
    fig.update_yaxes(
        title_text=t("home_working.trend.y_axis", lang),
        range=[0, math.ceil(top * 1.2 / 10) * 10],
        ticksuffix="%",
    )

    definitions = [
        definition_label(d, lang, "definition_text") for d in plotted["definition"].unique()
    ]
    undated_note = ""
    if len(undated):
        undated_note = t(
            "home_working.trend.undated_note",
            lang,
            count=len(undated),
            advice="; ".join(
                _lower_first(t(f"home_working.advice.{a}", lang))
                for a in undated["homeworking_advice"]
            ),
        )
    notes = (
        t("home_working.trend.definitions", lang, texts="; ".join(definitions)),
        t("home_working.trend.lines_note", lang),
        undated_note,
    )
    sources = [("homeworking", plotted), ("covid_timeline", periods)]

    layout(fig, title, height=560)
    localise(fig, lang)
    out = plotted.rename(columns={"x": "plotted_at"})[
        [
            "definition",
            "series",
            "producer",
            "year",
            "plotted_at",
            "share_pct",
            "value_qualifier",
            "source_type",
            "figure_id",
            "source_url",
        ]
    ].reset_index(drop=True)
    return _finish("home_working_trend", fig, out, title, finding, sentence, notes, sources, lang)


# -- GP prevalence and care changes on one time axis -----------------------------------------

MEASURE_STYLE = {  # colour, marker and label position per change measure
    "practice_contacts_change_pct": (OKABE_ITO["blue"], "circle", "top center"),
    "diagnoses_recorded_change_pct": (OKABE_ITO["reddish_purple"], "diamond", "bottom center"),
    "patients_with_contact_change_pct": (OKABE_ITO["bluish_green"], "square", "bottom center"),
    "msk_consultations_change_pct": (OKABE_ITO["orange"], "triangle-down", "bottom center"),
    "consultations_change_pct": (OKABE_ITO["vermillion"], "triangle-right", "top center"),
    "low_back_neck_consultations_change_pct": (OKABE_ITO["sky_blue"], "star", "bottom center"),
}
CARE_ROWS = {"gp": 2, "physio": 3}
# Width in px for row labels and notes beside a plot, so a 390 px phone keeps room for the plot.
LABEL_WIDTH = 150


def _millions(value: float, lang: str) -> str:
    return t("home_working.care.million", lang, value=number(value / 1e6, lang, 1))


def care_panels(
    prevalence: pd.DataFrame,
    changes: pd.DataFrame,
    undated_changes: pd.DataFrame,
    periods: pd.DataFrame,
    dip: CovidDip,
    finding: str,
    lang: str,
) -> tuple[Chart, About]:
    """Three panels on one shared time axis, each with its own y axis (no second axis on a
    panel): people with GP-registered neck or back complaints per year; changes in GP-practice
    care; changes in physiotherapy. The covid advice periods are shaded on all three."""
    assert set(changes["care"]) <= set(CARE_ROWS), f"unknown kinds of care {set(changes['care'])}"
    fig = make_subplots(
        rows=3,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.09,
        row_heights=[0.4, 0.3, 0.3],
        subplot_titles=[
            t("home_working.care.panel_prevalence", lang),
            t("home_working.care.panel_gp", lang),
            t("home_working.care.panel_physio", lang),
        ],
    )
    fig.update_annotations(font_size=13)  # the panel titles, one line on a phone
    _shade_advice(fig, periods, rows=3)

    # Panel 1: persons per year, secondary sources hatched.
    prev = prevalence[prevalence["persons"].notna()].copy()
    prev["label"] = [
        _qualified(number(v, lang), q if q != "estimate" else None, lang)
        for v, q in zip(prev["persons"], prev["value_qualifier"], strict=True)
    ]
    prev["hover"] = [
        f"{y}: {_qualified(number(v, lang), q, lang)}"
        + (f" ({t('home_working.secondary', lang)})" if s == "secondary" else "")
        for y, v, q, s in zip(
            prev["year"], prev["persons"], prev["value_qualifier"], prev["source_type"], strict=True
        )
    ]
    for source_type, rows in prev.groupby("source_type", sort=False):
        secondary = source_type == "secondary"
        fig.add_trace(
            go.Bar(
                x=rows["x"],
                y=rows["persons"],
                width=0.7 * YEAR_MS,
                text=rows["label"],
                # Upright inside the bar: a year is narrower than a 7-digit number on a phone.
                textposition="inside",
                textangle=-90,
                insidetextanchor="end",
                textfont={"color": OKABE_ITO["blue"] if secondary else "white"},
                customdata=rows["hover"],
                hovertemplate="%{customdata}<extra></extra>",
                name=t(
                    "home_working.care.secondary_trace"
                    if secondary
                    else "home_working.care.primary_trace",
                    lang,
                ),
                marker={
                    "color": "white" if secondary else OKABE_ITO["blue"],
                    "line": {"color": OKABE_ITO["blue"], "width": 1.5},
                    "pattern": {
                        "shape": "/" if secondary else "",
                        "fgcolor": OKABE_ITO["blue"],
                        "fgopacity": 0.35,
                    },
                },
                meta={"kind": "prevalence", "source_type": source_type},
            ),
            row=1,
            col=1,
        )
    # A year between the first and the last without a published figure is labelled as such,
    # so an empty slot is not read as zero.
    for year in sorted(set(range(prev["year"].min(), prev["year"].max())) - set(prev["year"])):
        fig.add_annotation(
            x=pd.Timestamp(f"{year}-07-02"),
            xref="x",
            y=0,
            yref="y domain",
            yanchor="bottom",
            text=f"{year}:<br>" + t("home_working.care.no_figure", lang).replace(" ", "<br>"),
            showarrow=False,
            font={"size": 10, "color": "#555555"},
            name=f"missing:{year}",
        )
    top = prev["persons"].max() * 1.25
    ticks = [v * 500_000 for v in range(int(top // 500_000) + 1)]
    fig.update_yaxes(
        title_text=t("home_working.care.y_persons", lang),
        range=[0, top],
        tickvals=ticks,
        ticktext=[_millions(v, lang) if v else "0" for v in ticks],
        row=1,
        col=1,
    )

    # Panels 2 and 3: a labelled marker in the middle of each change's period (at its start
    # when no end was published) and, in a second legend-less trace, a line across the period.
    plotted = changes[changes["change_pct"].notna()].copy()
    plotted["measure_label"] = [
        t(f"home_working.care.measure.{m}", lang) for m in plotted["measure"]
    ]
    plotted["period_text"] = [
        _period(s, e, lang) for s, e in zip(plotted["start"], plotted["end"], strict=True)
    ]
    plotted["label"] = [
        _qualified(_pct(v, lang), q, lang)
        for v, q in zip(plotted["change_pct"], plotted["value_qualifier"], strict=True)
    ]
    plotted["hover"] = [
        f"{r.measure_label}<br>{r.period_text}: {r.label}"
        + (f"<br>{c}" if (c := _known("home_working.care.compared", r.compared_with, lang)) else "")
        for r in plotted.itertuples()
    ]
    for (care, measure), rows in plotted.groupby(["care", "measure"], sort=False):
        colour, symbol, text_position = MEASURE_STYLE[measure]
        spans = rows[rows["end"].notna()]
        span_x: list = []
        span_y: list = []
        for row in spans.itertuples():
            span_x += [row.start, row.end, None]
            span_y += [row.change_pct, row.change_pct, None]
        if span_x:
            fig.add_trace(
                go.Scatter(
                    x=span_x,
                    y=span_y,
                    mode="lines",
                    line={"color": colour, "width": 3},
                    showlegend=False,
                    legendgroup=measure,
                    hoverinfo="skip",
                    meta={"kind": "change_span", "care": care, "measure": measure},
                ),
                row=CARE_ROWS[care],
                col=1,
            )
        # a change with only a start says so on the chart: "-78% (from 9 March 2020)"
        marker_text = [
            f"{r.label} ({r.period_text})" if pd.isna(r.end) else r.label for r in rows.itertuples()
        ]
        fig.add_trace(
            go.Scatter(
                x=rows["x"],
                y=rows["change_pct"],
                text=marker_text,
                customdata=rows["hover"],
                mode="markers+text",
                textposition=text_position,
                textfont={"color": colour, "size": 12},
                marker={"symbol": symbol, "size": 11, "color": colour},
                name=rows["measure_label"].iloc[0],
                legendgroup=measure,
                hovertemplate="%{customdata}<extra></extra>",
                meta={"kind": "change", "care": care, "measure": measure},
            ),
            row=CARE_ROWS[care],
            col=1,
        )
    for care, row_number in CARE_ROWS.items():
        values = plotted.loc[plotted["care"] == care, "change_pct"]
        low = min(values.min(), 0) if len(values) else -10
        fig.update_yaxes(
            title_text=t("home_working.care.y_change", lang),
            range=[low * 1.35 - 1, max(values.max(), 0) + min(abs(low) * 0.3, 5) + 1]
            if len(values)
            else [-10, 1],
            ticksuffix="%",
            zeroline=True,
            zerolinecolor=OKABE_ITO["black"],
            zerolinewidth=1,
            row=row_number,
            col=1,
        )
    _advice_legend(fig, periods, lang, row=1, col=1)

    starts = pd.concat([prev["period_start"], plotted["start"]])
    ends = pd.concat([prev["period_end"], plotted["end"].fillna(plotted["start"])])
    advised = periods[periods["advice"] != "none"]
    fig.update_xaxes(
        range=[
            starts.min() - pd.Timedelta(days=60),
            max(ends.max(), advised["end"].max()) + pd.Timedelta(days=90),
        ],
        dtick="M12",
        tickformat="%Y",
    )
    fig.update_xaxes(title_text=t("home_working.care.x_axis", lang), row=3, col=1)

    # Words: the title and the persons are the 2018-2020 change (the covid dip fact); the
    # sentence lists every plotted change.
    change = dip.change
    fell = dip.full_year_contacts.value < 0 and dip.first_wave_contacts.value < 0
    title = t(
        "home_working.care.title_fell" if fell else "home_working.care.title_plain",
        lang,
        verb=t(f"home_working.verb.{change.direction}", lang),
        before=words.say(change.start, lang),
        year_before=change.start_year,
        after=words.say(change.end, lang),
        year_after=change.end_year,
    )
    change_parts = []
    for _, rows in plotted.groupby("measure", sort=False):
        values = [
            t("home_working.care.value_period", lang, value=r.label, period=r.period_text)
            for r in rows.itertuples()
        ]
        change_parts.append(
            t(
                "home_working.care.change_part",
                lang,
                measure=_lower_first(rows["measure_label"].iloc[0]),
                values=_join(values, lang),
            )
        )
    undated_primary = undated_changes[
        (undated_changes["source_type"] == "primary") & undated_changes["change_pct"].notna()
    ]
    undated_parts = []
    for row in undated_primary.itertuples():
        period = _known("home_working.care.period", row.period, lang) or f"“{row.period}”"
        value = t(
            "home_working.care.value_period",
            lang,
            value=_qualified(_pct(row.change_pct, lang), row.value_qualifier, lang),
            period=period,
        )
        measure = _lower_first(t(f"home_working.care.measure.{row.measure}", lang))
        undated_parts.append(f"{measure} {value}")
    sentence = t(
        "home_working.care.sentence",
        lang,
        after=words.say(change.end, lang),
        year_after=change.end_year,
        before=words.say(change.start, lang),
        year_before=change.start_year,
        changes="; ".join(change_parts),
        undated=t("home_working.care.undated", lang, parts="; ".join(undated_parts))
        if undated_parts
        else "",
    )
    notes = (t("home_working.care.definition", lang),)
    sources = [
        ("gp_prevalence_totals", prev),
        ("gp_contacts_covid", _care_rows(plotted, undated_primary, "gp")),
        ("physio_use", _care_rows(plotted, undated_primary, "physio")),
        ("covid_timeline", periods),
    ]
    layout(fig, title, height=880)
    # room for the panel titles between the title and the plot
    room_above_plot(fig, 18)

    out = pd.concat(
        [
            pd.DataFrame(
                {
                    "panel": "gp_prevalence",
                    "series": [
                        t(
                            "home_working.care.secondary_trace"
                            if s == "secondary"
                            else "home_working.care.primary_trace",
                            lang,
                        )
                        for s in prev["source_type"]
                    ],
                    "measure": "persons",
                    "period": prev["year"].astype(str),
                    "start": prev["period_start"],
                    "end": prev["period_end"],
                    "plotted_at": prev["x"],
                    "value": prev["persons"],
                    "unit": "persons",
                    "value_qualifier": prev["value_qualifier"],
                    "compared_with": pd.NA,
                    "source_type": prev["source_type"],
                    "figure_id": prev["figure_id"],
                    "source_url": prev["source_url"],
                }
            ),
            pd.DataFrame(
                {
                    "panel": plotted["care"].map(
                        {"gp": "gp_care_change", "physio": "physio_change"}
                    ),
                    "series": plotted["measure_label"],
                    "measure": plotted["measure"],
                    "period": plotted["period"],
                    "start": plotted["start"],
                    "end": plotted["end"],
                    "plotted_at": plotted["x"],
                    "value": plotted["change_pct"],
                    "unit": "change_pct",
                    "value_qualifier": plotted["value_qualifier"],
                    "compared_with": plotted["compared_with"],
                    "source_type": plotted["source_type"],
                    "figure_id": plotted["figure_id"],
                    "source_url": plotted["source_url"],
                }
            ),
        ],
        ignore_index=True,
    )
    localise(fig, lang)
    return _finish("care_during_covid", fig, out, title, finding, sentence, notes, sources, lang)


# -- workers' complaints -----------------------------------------------------------------------

EDITION_COLOURS = [OKABE_ITO["sky_blue"], OKABE_ITO["blue"], OKABE_ITO["orange"]]


def workers_msk_chart(complaints: pd.DataFrame, finding: str, lang: str) -> tuple[Chart, About]:
    """Shares of employees with musculoskeletal complaints by body region, one bar colour per
    NEA edition side by side (the NEA changed its method in 2022, so no trend line)."""
    plotted = complaints[complaints["share_pct"].notna()].copy()
    plotted["edition_label"] = [edition_label(e, lang) for e in plotted["edition"]]
    plotted["region"] = [t(f"home_working.workers.measure.{m}", lang) for m in plotted["measure"]]
    plotted["label"] = [
        _qualified(_pct(v, lang), q, lang)
        for v, q in zip(plotted["share_pct"], plotted["value_qualifier"], strict=True)
    ]
    regions = [t(f"home_working.workers.measure.{m}", lang) for m in COMPLAINT_MEASURES]
    fig = go.Figure()
    # Horizontal grouped bars stack the first trace at the bottom: add the editions newest
    # first so the oldest sits on top, and reverse the legend to read oldest first too.
    editions = list(plotted.groupby("edition", sort=False))
    for i, (_, rows) in reversed(list(enumerate(editions))):
        fig.add_trace(
            go.Bar(
                y=[wrap_title(r, LABEL_WIDTH, 12) for r in rows["region"]],
                x=rows["share_pct"],
                orientation="h",
                name=rows["edition_label"].iloc[0],
                text=rows["label"],
                textposition="outside",
                marker={"color": EDITION_COLOURS[i % len(EDITION_COLOURS)]},
                customdata=[
                    f"{e}<br>{r}: {lab}"
                    for e, r, lab in zip(
                        rows["edition_label"], rows["region"], rows["label"], strict=True
                    )
                ],
                hovertemplate="%{customdata}<extra></extra>",
                cliponaxis=False,
                meta={"kind": "edition", "edition": rows["edition"].iloc[0]},
            )
        )
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=[wrap_title(r, LABEL_WIDTH, 12) for r in regions[::-1]],
        title_text="",
        tickfont={"size": 12},
    )
    fig.update_xaxes(
        title_text=t("home_working.workers.x_axis", lang),  # wrapped by layout()
        range=[0, min(100, math.ceil(plotted["share_pct"].max() * 1.25 / 10) * 10)],
        ticksuffix="%",
    )
    fig.update_layout(barmode="group", bargap=0.25)

    msk = plotted[plotted["measure"] == "msk_complaints_share_pct"]
    back = plotted[plotted["measure"] == "back_complaints_share_pct"]
    assert len(msk) and len(back), "workers_msk_chart: needs any-MSK and back complaint shares"
    latest, latest_back = msk.iloc[-1], back.iloc[-1]
    title = t(
        "home_working.workers.title",
        lang,
        msk=latest["label"],
        edition=latest["edition_label"],
        back=latest_back["label"],
        back_edition=latest_back["edition_label"],
    )
    parts = []
    for _, rows in plotted.groupby("edition", sort=False):
        items = [f"{_lower_first(r.region)} {r.label}" for r in rows.itertuples()]
        missing = [
            _lower_first(t(f"home_working.workers.measure.{m}", lang))
            for m in COMPLAINT_MEASURES
            if m not in set(rows["measure"])
        ]
        if missing:
            items.append(t("home_working.workers.missing", lang, measures=_join(missing, lang)))
        parts.append(
            t(
                "home_working.workers.edition_part",
                lang,
                edition=rows["edition_label"].iloc[0],
                items=", ".join(items),
            )
        )
    sentence = t("home_working.workers.sentence", lang, parts="; ".join(parts))
    notes = (t("home_working.workers.definition", lang),)
    sources = [("msk_workers", plotted)]
    layout(fig, title, height=460)
    fig.update_layout(legend_traceorder="reversed")
    localise(fig, lang)
    out = plotted[
        [
            "edition",
            "edition_label",
            "measure",
            "region",
            "share_pct",
            "value_qualifier",
            "source_type",
            "figure_id",
            "source_url",
        ]
    ].reset_index(drop=True)
    return _finish(
        "workers_msk_complaints", fig, out, title, finding, sentence, notes, sources, lang
    )


# -- odds ratios -----------------------------------------------------------------------------

EXPOSURE_STYLE = {
    "working_from_home": (OKABE_ITO["vermillion"], "circle"),
    "hybrid_working": (OKABE_ITO["blue"], "diamond"),
}


def odds_ratio_forest(
    ors: pd.DataFrame, title: str, finding: str, lang: str
) -> tuple[Chart, About]:
    """A forest plot of the odds ratios with their 95% confidence intervals on a log axis, with
    a reference line at 1 (the same odds as location workers). The title comes from the facts
    (`analysis.homeworking.odds_findings`)."""
    plotted = ors.copy()
    plotted["exposure_key"] = [_slug(e) for e in plotted["exposure"]]
    plotted["outcome_label"] = [
        t(f"home_working.odds.outcome.{_slug(o)}", lang) for o in plotted["outcome"]
    ]
    plotted["exposure_label"] = [
        t(f"home_working.odds.exposure.{e}", lang) for e in plotted["exposure_key"]
    ]
    plotted["label"] = [
        f"{o[:1].upper() + o[1:]} · {e}"
        for o, e in zip(plotted["outcome_label"], plotted["exposure_label"], strict=True)
    ]
    fmt = {c: [number(v, lang, 2) for v in plotted[c]] for c in ("odds_ratio", "ci_low", "ci_high")}
    plotted["hover"] = [
        t("home_working.odds.hover", lang, label=label, value=v, low=lo, high=hi)
        for label, v, lo, hi in zip(
            plotted["label"], fmt["odds_ratio"], fmt["ci_low"], fmt["ci_high"], strict=True
        )
    ]
    plotted["outcome_order"] = plotted["outcome"].map(
        {o: i for i, o in enumerate(dict.fromkeys(plotted["outcome"]))}
    )
    plotted = plotted.sort_values(["outcome_order", "exposure_key"], ascending=[True, False])
    # Row labels wrapped to a phone's share of the width; the data keeps them whole.
    plotted["axis_label"] = [wrap_title(label, LABEL_WIDTH, 12) for label in plotted["label"]]

    fig = go.Figure()
    for exposure, rows in plotted.groupby("exposure_key", sort=False):
        colour, symbol = EXPOSURE_STYLE.get(exposure, (OKABE_ITO["black"], "circle"))
        fig.add_trace(
            go.Scatter(
                x=rows["odds_ratio"],
                y=rows["axis_label"],
                mode="markers+text",
                text=[number(v, lang, 2) for v in rows["odds_ratio"]],
                textposition="top center",
                textfont={"color": colour},
                marker={"symbol": symbol, "size": 11, "color": colour},
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": (rows["ci_high"] - rows["odds_ratio"]).tolist(),
                    "arrayminus": (rows["odds_ratio"] - rows["ci_low"]).tolist(),
                    "color": colour,
                    "thickness": 2,
                    "width": 6,
                },
                name=rows["exposure_label"].iloc[0],
                customdata=rows["hover"],
                hovertemplate="%{customdata}<extra></extra>",
                meta={"kind": "odds_ratio", "exposure": exposure},
            )
        )
    low = min(plotted["ci_low"].min(), 1) * 0.95
    high = max(plotted["ci_high"].max(), 1) * 1.05
    fig.add_shape(
        type="line",
        xref="x",
        yref="paper",
        x0=1,
        x1=1,
        y0=0,
        y1=1,
        line={"color": OKABE_ITO["black"], "width": 1.5, "dash": "dash"},
        opacity=1,
        name="reference:1",
    )
    fig.add_annotation(
        x=0,  # log10(1): annotations on a log axis take the logarithm, shapes do not
        xref="x",
        yref="paper",
        y=1,
        yanchor="bottom",
        xanchor="center",
        yshift=2,
        text=wrap_title(t("home_working.odds.reference", lang), LABEL_WIDTH, 12),
        showarrow=False,
        font={"size": 12},
        name="reference:1",
    )
    fig.update_xaxes(
        type="log",
        range=[math.log10(low), math.log10(high)],
        title_text=t("home_working.odds.x_axis", lang),  # wrapped by layout()
        tickvals=[0.9, 1, 1.1, 1.2, 1.3, 1.4],
        tickangle=0,
    )
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=plotted["axis_label"].tolist()[::-1],
        title_text="",
        tickfont={"size": 12},
    )

    parts = [
        t(
            "home_working.odds.part",
            lang,
            value=number(r.odds_ratio, lang, 2),
            outcome=r.outcome_label,
            exposure=t(f"home_working.odds.exposure_phrase.{r.exposure_key}", lang),
            low=number(r.ci_low, lang, 2),
            high=number(r.ci_high, lang, 2),
        )
        for r in plotted.itertuples()
    ]
    sentence = t(
        "home_working.odds.sentence",
        lang,
        parts="; ".join(parts),
        study=", ".join(plotted["study"].unique()),
    )
    notes = (t("home_working.odds.definition", lang),)
    sources = [("msk_homeworking_studies", plotted)]
    layout(fig, title, height=480)
    # room for the "1 = same odds" note between the title and the plot
    room_above_plot(fig, 20)
    localise(fig, lang)
    out = plotted[
        [
            "study",
            "exposure",
            "reference",
            "outcome",
            "label",
            "odds_ratio",
            "ci_low",
            "ci_high",
            "adjustment",
            "figure_id",
            "source_url",
        ]
    ].reset_index(drop=True)
    return _finish(
        "home_working_odds_ratios", fig, out, title, finding, sentence, notes, sources, lang
    )
