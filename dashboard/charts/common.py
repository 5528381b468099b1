"""What every chart shares: the `Chart` bundle, a colour-blind-safe palette and the layout.

A chart is more than a figure: it carries the exact data it plots (for the CSV download), a title
that states the finding, one plain sentence describing the current view (also the text
alternative and the CSV header) and a caption with source, definition and caveats.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

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


def layout(fig: go.Figure, title: str, *, height: int = 460) -> go.Figure:
    """The house style: white background (so PNG exports are not transparent), a title that
    states the finding, a horizontal legend above the plot, readable on a 390 px phone."""
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}},
        template="simple_white",
        paper_bgcolor="white",
        plot_bgcolor="white",
        height=height,
        margin={"l": 10, "r": 10, "t": 70, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "title": None},
        font={"family": "Source Sans Pro, Arial, sans-serif", "size": 13},
        hoverlabel={"font_size": 13},
        separators=".,",
    )
    return fig


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
