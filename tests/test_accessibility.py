"""Accessibility of every chart the pages build, checked on the figure specs (no browser):
colour-blind-safe colours only, a text alternative for each (its title names it; its one
sentence is drawn right before it), and the layout that keeps titles and legends readable on a
390 px phone.

The browser side (the text alternative reaches the DOM; nothing overlaps or runs off a 390 px
screen) is in tests/test_browser_layout.py.
"""

from __future__ import annotations

import re

import pytest

from dashboard.charts.common import (
    OKABE_ITO,
    TITLE_SIZE,
    TITLE_WIDTH,
    text_width,
    title_margin,
    wrap_title,
)
from dashboard.views import every_chart

CHARTS = list(every_chart())


def _rgb(colour: str) -> tuple[int, int, int] | None:
    """(r, g, b) of '#RRGGBB', 'rgb(r, g, b)' or 'rgba(r, g, b, a)'; None for anything else."""
    colour = colour.strip().lower()
    if re.fullmatch(r"#[0-9a-f]{6}", colour):
        return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    match = re.fullmatch(r"rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*(?:,\s*[\d.]+\s*)?\)", colour)
    return tuple(int(part) for part in match.groups()) if match else None


PALETTE = {_rgb(hex_colour) for hex_colour in OKABE_ITO.values()}
# White is no hue: the background, and the fill behind a hatched bar or a hollow marker.
NEUTRAL = {(255, 255, 255)}
NAMED = {"white": (255, 255, 255), "black": (0, 0, 0)}


def allowed(colour: str) -> bool:
    """An Okabe-Ito colour, as hex or as an rgb/rgba tint of it (any opacity), or white."""
    rgb = NAMED.get(colour.strip().lower()) or _rgb(colour)
    return rgb is not None and (rgb in PALETTE or rgb in NEUTRAL)


def _colours(node, path: str):
    """Every (path, colour string) under a trace or shape spec (lists = one colour per point)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _colours(value, f"{path}.{key}")
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _colours(value, path)
    elif isinstance(node, str) and re.search(r"(color|fgcolor|bgcolor)$", path):
        yield path, node


def drawn_colours(figure):
    """The colours of what a figure draws: trace markers, lines, fills, error bars and data
    labels, and the lines and bands of layout shapes (not axis, grid or annotation text)."""
    spec = figure.to_plotly_json()
    for index, trace in enumerate(spec["data"]):
        name = trace.get("name") or index
        for key in ("marker", "line", "fillcolor", "error_x", "error_y", "textfont"):
            if key in trace:
                yield from _colours(trace[key], f"trace {name!r}.{key}")
    for index, shape in enumerate(spec["layout"].get("shapes", [])):
        for key in ("line", "fillcolor"):
            if key in shape:
                yield from _colours(shape[key], f"shape {index}.{key}")


def undefined_colours(figure):
    """Traces that would get a colour from Plotly's default colorway (not Okabe-Ito) because
    they set none for something they draw."""
    for trace in figure.data:
        spec = trace.to_plotly_json()
        kind = spec.get("type", "scatter")
        marker, line = spec.get("marker", {}), spec.get("line", {})
        if kind == "bar":
            if marker.get("color") is None:
                yield f"{trace.name!r}: bar without marker.color"
        elif kind == "scatter":
            mode = spec.get("mode", "lines+markers")
            line_drawn = "lines" in mode and line.get("width", 2) != 0
            if line_drawn and line.get("color") is None:
                yield f"{trace.name!r}: line without line.color"
            # Markers take the line's colour when they have none of their own.
            if "markers" in mode and marker.get("color") is None and line.get("color") is None:
                yield f"{trace.name!r}: markers without a colour"
            if spec.get("fill") not in (None, "none") and spec.get("fillcolor") is None:
                yield f"{trace.name!r}: fill without fillcolor"
        else:
            yield f"{trace.name!r}: a {kind} trace; teach this test its colour attributes"


def test_the_catalogue_covers_every_public_chart_builder():
    pages = {name.split("/")[1] for name, _ in CHARTS}
    assert pages == {"prevalence", "home-working", "outcomes", "patients"}
    assert {chart.name for _, chart in CHARTS} == {
        "prevalence_by_year",
        "prevalence_by_age_2018_rate",
        "prevalence_by_age_2018_persons",
        "prevalence_pyramid_2018_rate",
        "prevalence_pyramid_2018_persons",
        "prevalence_ratio_2018",
        "prevalence_standardised_2018",
        "home_working_trend",
        "care_during_covid",
        "workers_msk_complaints",
        "home_working_odds_ratios",
        "outcomes_response_by_session",
        "outcomes_pain_by_session",
        "outcomes_vs_trials",
        "outcomes_natural_course",
        "outcomes_intake",
        "outcomes_quarters",
        "patients_out_of_10",
    }


def test_the_colour_check_accepts_tints_and_refuses_other_colours():
    assert allowed("#0072B2") and allowed("rgba(0, 114, 178, 0.15)") and allowed("rgb(0,0,0)")
    assert allowed("white") and allowed("rgba(0, 0, 0, 0.07)")
    assert not allowed("#1F77B4")  # Plotly's default blue
    assert not allowed("red") and not allowed("rgba(0, 114, 179, 0.15)")


@pytest.mark.parametrize(("name", "chart"), CHARTS, ids=[name for name, _ in CHARTS])
def test_every_chart_draws_in_okabe_ito_colours_only(name, chart):
    wrong = [f"{path} = {colour}" for path, colour in drawn_colours(chart.figure)]
    wrong = [entry for entry in wrong if not allowed(entry.rsplit(" = ", 1)[1])]
    assert not wrong, f"{name} uses colours outside the Okabe-Ito palette: {wrong}"
    missing = list(undefined_colours(chart.figure))
    assert not missing, f"{name} leaves colours to Plotly's default palette: {missing}"


@pytest.mark.parametrize(("name", "chart"), CHARTS, ids=[name for name, _ in CHARTS])
def test_every_chart_has_a_text_alternative(name, chart):
    # components.show_chart draws the sentence, then the chart with alt=title.
    assert chart.title.strip(), name
    assert len(chart.sentence.split()) >= 5, f"{name}: {chart.sentence!r}"
    assert chart.sentence.strip()[-1] in ".!?", f"{name}: {chart.sentence!r}"
    # The figure shows the same title (possibly wrapped over lines).
    shown = re.sub(r"<br\s*/?>", " ", chart.figure.layout.title.text or "")
    assert " ".join(shown.split()) == " ".join(chart.title.split()), name


def test_titles_are_wrapped_to_fit_a_phone_without_losing_words():
    title = (
        "Home working rose from 39% (2019) to 54% (2021), partly because CBS changed its question"
    )
    wrapped = wrap_title(title)
    lines = wrapped.split("<br>")
    assert len(lines) > 1 and " ".join(lines) == title
    assert all(text_width(line, TITLE_SIZE) <= TITLE_WIDTH for line in lines)
    assert wrap_title("Short title") == "Short title"
    assert wrap_title("already<br>broken") == "already broken"  # re-wrapped from scratch
    long_word = "Arbeidsongeschiktheidsverzekeringsmaatschappijen" * 2
    assert wrap_title(f"a {long_word} b") == f"a<br>{long_word}<br>b"  # never cut a word


@pytest.mark.parametrize(("name", "chart"), CHARTS, ids=[name for name, _ in CHARTS])
def test_every_chart_keeps_the_phone_layout(name, chart):
    """Title lines fit a 390 px phone and sit above the plot; the legend sits under it."""
    layout = chart.figure.layout
    for line in (layout.title.text or "").split("<br>"):
        assert text_width(line, TITLE_SIZE) <= TITLE_WIDTH or " " not in line, (name, line)
    # The title hangs from the top of the chart, and the top margin holds all of its lines (a
    # fixed margin: Plotly's title automargin costs a second layout pass in the browser).
    lines = (layout.title.text or "").count("<br>") + 1
    assert (layout.title.yref, layout.title.yanchor, layout.title.automargin) == (
        "container",
        "top",
        False,
    ), name
    assert layout.margin.t >= title_margin(lines), name
    assert (layout.legend.yref, layout.legend.y, layout.legend.yanchor) == (
        "container",
        0,
        "bottom",
    ), name


# Row labels beside a plot may take at most this much of a 358 px phone column (the rest is plot).
ROW_LABEL_WIDTH = 160


@pytest.mark.parametrize(("name", "chart"), CHARTS, ids=[name for name, _ in CHARTS])
def test_row_labels_leave_room_for_the_plot_on_a_phone(name, chart):
    """Category labels on a y axis (forest plots) are wrapped into lines a phone can show beside
    the plot; the words are all there in the chart's data."""
    for trace in chart.figure.data:
        values = list(trace.y) if getattr(trace, "y", None) is not None else []
        for label in (v for v in values if isinstance(v, str)):
            lines = re.split(r"<br\s*/?>", label)
            assert len(lines) <= 3, (name, label)
            for line in lines:
                assert text_width(line, 12) <= ROW_LABEL_WIDTH or " " not in line, (name, line)
