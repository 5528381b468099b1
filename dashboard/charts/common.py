"""What every chart shares: the `Chart` bundle, a colour-blind-safe palette and the layout.

A chart is more than a figure: it carries the exact data it plots (for the CSV download), a title
that states the finding, one plain sentence describing the current view (also the text
alternative and the CSV header) and a caption with source, definition and caveats.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

# Okabe & Ito (2008), the palette most often recommended for colour-vision deficiencies.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
SEX_COLOURS = {
    "women": OKABE_ITO["vermillion"],
    "men": OKABE_ITO["blue"],
    "total": OKABE_ITO["black"],
}
SERIES_COLOURS = [
    OKABE_ITO[name]
    for name in ("blue", "vermillion", "bluish_green", "orange", "reddish_purple", "sky_blue")
]
SHADE = "rgba(86, 180, 233, 0.18)"  # sky blue, light: periods such as lockdowns


@dataclass(frozen=True)
class Chart:
    """A figure with the data it plots and the words that go with it."""

    name: str
    figure: go.Figure
    data: pd.DataFrame
    title: str
    sentence: str
    caption: str
    # The titles of the chart's further parts, drawn in it as headings (one chart that shows
    # several answers): part of what the page says, as the title is.
    headings: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The chart's name for a screen reader: its title, then its headings, as sentences."""
        return ". ".join((self.title, *self.headings))


# Advance widths of Arial (Liberation Sans on Linux) in 1/1000 em, for wrapping titles on the
# server: Plotly never wraps text, and the figure font falls back to Arial (Source Sans is
# narrower, so a line measured with these still fits).
_ARIAL_WIDTHS = {
    **dict.fromkeys("ijl'|", 222),
    **dict.fromkeys(" ftI!,.:;/[]\\", 278),
    **dict.fromkeys("r()-", 333),
    **dict.fromkeys("ckszvxyJ", 500),
    **dict.fromkeys("abdeghnopqu0123456789$?", 556),
    **dict.fromkeys("FTZ", 611),
    **dict.fromkeys("ABEKPSVXY&", 667),
    **dict.fromkeys("CDHNRUw", 722),
    **dict.fromkeys("GOQ", 778),
    **dict.fromkeys("mM", 833),
    **dict.fromkeys("%", 889),
    "W": 944,
}
TITLE_SIZE = 16
# A 390 px phone leaves Streamlit's main column 358 px wide, and a chart in a folded section
# (an expander) 324 px: titles and x-axis titles are wrapped to fit the narrower.
PHONE_CHART_WIDTH = 324
TITLE_WIDTH = 310
AXIS_TITLE_SIZE = 16  # Plotly draws axis titles at 1.2 times the 13 px font
AXIS_TITLE_SLACK = 8  # px kept free at each end of an x-axis title (the estimate runs short)
# Pixels between the title and the plot; a chart with annotations above its plot adds to it.
TITLE_GAP = 14
# Pixels kept free above the title for Plotly's mode bar and Streamlit's chart toolbar, which
# appear over the top right corner (on a phone the title reaches that corner).
TOOLBAR_ROOM = 28


def text_width(text: str, size: float) -> float:
    """Approximate width in pixels of plain text in Arial at `size` px (unknown characters
    count as the widest ordinary letter, so the estimate errs on the wide side)."""
    return sum(_ARIAL_WIDTHS.get(char, 778) for char in text) * size / 1000


def wrap_title(text: str, width: float = TITLE_WIDTH, size: float = TITLE_SIZE) -> str:
    """The text broken into lines (`<br>`) that each fit `width` px, so it can be read whole
    on a 390 px phone (titles, and with a smaller width and size, axis labels). Existing line
    breaks are replaced; a single word longer than a line stays whole."""
    lines: list[str] = []
    line = ""
    for word in re.sub(r"<br\s*/?>", " ", text).split():
        candidate = f"{line} {word}" if line else word
        if line and text_width(candidate, size) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    return "<br>".join(lines)


def title_margin(lines: int) -> int:
    """Pixels above the plot for a title of `lines` lines: the toolbar's corner, the lines
    (Plotly sets a line 1.3 font sizes apart) and the gap down to the plot."""
    return TOOLBAR_ROOM + math.ceil(lines * TITLE_SIZE * 1.3) + TITLE_GAP


def room_above_plot(fig: go.Figure, pixels: int) -> go.Figure:
    """Make `pixels` more room between the title and the plot (for notes drawn above it)."""
    return fig.update_layout(margin_t=fig.layout.margin.t + pixels)


# What of Plotly's "simple_white" template the charts use: its layout without the settings of
# subplots they never draw (3-D scenes, polar, ternary, maps) and its defaults of the two trace
# types they draw. They look the same; each figure's JSON is about 8 kB lighter (the whole
# template is two thirds of a chart's JSON), which the browser parses and merges on every draw.
_TRACE_TYPES = ("bar", "scatter")
_UNUSED_SUBPLOTS = ("scene", "polar", "ternary", "geo", "mapbox", "map", "smith")


@cache
def house_template() -> go.layout.Template:
    """The "simple_white" template cut to what bar and scatter charts use (see above)."""
    full = pio.templates["simple_white"]
    kept = {k: v for k, v in full.layout.to_plotly_json().items() if k not in _UNUSED_SUBPLOTS}
    return go.layout.Template(layout=kept, data={name: full.data[name] for name in _TRACE_TYPES})


def layout(fig: go.Figure, title: str, *, height: int = 460) -> go.Figure:
    """The house style: white background (so PNG exports are not transparent), a title that
    states the finding, wrapped to fit a 390 px phone, and a horizontal legend under the plot,
    where a legend that needs several rows on a phone pushes the plot up instead of running into
    the title or the axis title."""
    wrapped = wrap_title(title)
    lines = wrapped.count("<br>") + 1
    fig.update_layout(
        title={
            "text": wrapped,
            "x": 0,
            "xanchor": "left",
            # From the top of the chart down, below the corner where the chart's toolbar
            # appears. The top margin is set from the number of lines rather than by Plotly's
            # title automargin, which costs a second layout pass in the browser (about 100 ms
            # per chart, most of a page's drawing time).
            "yref": "container",
            "y": 1 - TOOLBAR_ROOM / height,
            "yanchor": "top",
            "automargin": False,
            "font": {"size": TITLE_SIZE},
        },
        template=house_template(),
        paper_bgcolor="white",
        plot_bgcolor="white",
        height=height,
        margin={"l": 10, "r": 10, "t": title_margin(lines), "b": 10},
        legend={
            "orientation": "h",
            "yref": "container",
            "yanchor": "bottom",
            "y": 0,
            "x": 0,
            "xanchor": "left",
            "title": None,
        },
        font={"family": "Source Sans Pro, Arial, sans-serif", "size": 13},
        hoverlabel={"font_size": 13},
        separators=".,",
    )
    # Margins that already hold the axes' labels and the legend: the browser then lays the
    # chart out once (see dashboard.charts.margins). An axis title wrapped anew needs them
    # worked out again (its lines take room beside or under the plot).
    from dashboard.charts import margins

    fig = margins.fit(fig)
    return margins.fit(fig) if _wrap_axis_titles(fig) else fig


def _wrap_axis_titles(fig: go.Figure) -> bool:
    """Wrap the axis titles to the room they have on a phone (whether any changed). An x-axis
    title is centred under its plot and may reach as far to either side as the nearer edge of
    the chart; a y-axis title is turned along its plot and kept below the top of the plots
    (above them is the chart's title)."""
    margin = fig.layout.margin
    left, right = margin.l or 0, margin.r or 0
    width = PHONE_CHART_WIDTH - left - right
    height = (fig.layout.height or 460) - (margin.t or 0) - (margin.b or 0)
    changed = False
    for axis in (*fig.select_xaxes(), *fig.select_yaxes()):
        text = axis.title.text if axis.title else None
        if not text:
            continue
        start, end = axis.domain or (0, 1)
        if axis.plotly_name.startswith("xaxis"):
            centre = left + width * (start + end) / 2
            room = 2 * min(centre, PHONE_CHART_WIDTH - centre)
        else:  # from its centre up to the top of the plots (the chart's title is above)
            room = height * (2 - start - end)
        wrapped = wrap_title(text, max(room - 2 * AXIS_TITLE_SLACK, 1), AXIS_TITLE_SIZE)
        if wrapped != text:
            axis.title.text = wrapped
            changed = True
    return changed


def localise(fig: go.Figure, lang: str) -> go.Figure:
    """Decimal comma and thousands dot in axis ticks and hover labels for Dutch readers."""
    fig.update_layout(separators=",." if lang == "nl" else ".,")
    return fig


def plotly_config(name: str) -> dict:
    """Mode-bar settings: PNG download named after the chart, no Plotly logo."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": name, "scale": 2},
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
    }
