"""The icon arrays of the page for patients: for each shown answer (by the 5th, by the 10th
treatment) 10 people in two rows of five, the first N filled, stacked in one chart.

Drawn with layout shapes (a head and shoulders per person) on hidden axes with a fixed aspect
ratio, so the people keep their shape at any width; two rows of five stay readable on a 390 px
phone. The first answer's title is the chart's title, each next one's a heading above its
people; two legend entries under them name the filled and the outlined people. One chart, not
one per answer: a filter change that changes the answers then redraws one chart, and each chart
the browser draws anew costs about as much as the rest of the page's update. The chart's data
frame is the shown aggregates (`OutOfTen`), one row per answer, for the CSV.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from analysis.outcomes_for_patients import OUT_OF, OutOfTen
from dashboard.charts.common import (
    OKABE_ITO,
    TITLE_SIZE,
    Chart,
    layout,
    localise,
    title_margin,
    wrap_title,
)
from dashboard.i18n import t

BETTER = OKABE_ITO["blue"]  # 5:1 against white: the filled people stand out for everyone
OUTLINE = "rgba(0, 0, 0, 0.6)"  # black, lighter: the people who were not clearly better
PER_ROW = 5
ROW_HEIGHT = 1.7  # axis units per row of people (a person is 1 unit wide)
# Pixels for the people: on a 390 px phone the plot is about 338 px wide, 5 units, so two rows
# of 1.7 units take about 230 px; on a wider screen the people keep this height (and shape).
PEOPLE_PX = 235
LEGEND_PX = 45
LINE_PX = TITLE_SIZE * 1.3  # a heading's line, as Plotly sets a title's
# A heading stands close over the people it is about, further from the ones above it.
HEADING_BELOW_PX = 8
HEADING_ABOVE_PX = 24
OUTLINE_ROOM_PX = 3  # above the top row's heads: a 2 px outline is drawn half outside
FOOT = 0.1  # where a person stands above the bottom of their row (axis units)
BODY, NECK, HEAD = 0.85, 0.27, 0.19  # a person's body height, to the head's centre, its radius
PERSON_HEIGHT = BODY + NECK + HEAD
NAME = "patients_out_of_10"

DATA_COLUMNS = [
    "complaint_duration",
    "sex",
    "age_band",
    "session",
    "n_of_10",
    "low_of_10",
    "high_of_10",
]


def _person(x: float, y: float, filled: bool) -> list[dict]:
    """The shapes of one person standing on (x, y): rounded shoulders and body, then a head."""
    colour = BETTER if filled else OUTLINE
    style = {
        "line": {"color": colour, "width": 2},
        "fillcolor": BETTER if filled else "white",
        "layer": "above",
        "opacity": 1,  # the template's shapes are translucent
        "xref": "x",
        "yref": "y",
    }
    w, top = 0.3, y + BODY
    body = (
        f"M {x - w},{y} L {x - w},{top - 0.25} Q {x - w},{top} {x - 0.05},{top} "
        f"L {x + 0.05},{top} Q {x + w},{top} {x + w},{top - 0.25} L {x + w},{y} Z"
    )
    r, head_y = HEAD, top + NECK
    return [
        {"type": "path", "path": body, **style},
        {"type": "circle", "x0": x - r, "x1": x + r, "y0": head_y - r, "y1": head_y + r, **style},
    ]


def icon_arrays(
    panels: Sequence[tuple[OutOfTen, str]], sentence: str, caption: str, lang: str
) -> Chart:
    """For each (figure, title) of `panels`, top to bottom, 10 people with `figure.n_of_10`
    of them filled: 'of 10 patients like you, about N felt clearly better'. The titles,
    `sentence` (said before the chart) and `caption` come from `dashboard.words.patients`."""
    if not panels:
        raise ValueError("an icon array needs at least one shown figure")
    rows = -(-OUT_OF // PER_ROW)
    people_units = rows * ROW_HEIGHT
    unit_px = PEOPLE_PX / people_units  # the y axis keeps this scale (fixed aspect ratio)
    wrapped = [wrap_title(title) for _, title in panels[1:]]
    head_room = ROW_HEIGHT - FOOT - PERSON_HEIGHT  # free above the top row's heads
    people: list[list[dict]] = []  # the shapes of each answer's people
    annotations, top = [], 0.0
    # Built from the bottom up: the last answer's people first, its heading above them.
    for index in range(len(panels) - 1, -1, -1):
        figure, _ = panels[index]
        shapes = []
        for i in range(OUT_OF):
            row, col = divmod(i, PER_ROW)
            y = top + (rows - 1 - row) * ROW_HEIGHT + FOOT
            shapes += _person(col + 0.5, y, i < figure.n_of_10)
        people.append(shapes)
        top += people_units
        if index:
            heading = wrapped[index - 1]
            bottom = top - head_room + HEADING_BELOW_PX / unit_px
            annotations.append(_heading(heading, bottom))
            top = bottom + (_lines(heading) * LINE_PX + HEADING_ABOVE_PX) / unit_px - FOOT
    # The first people right under the title, as the others under a heading (their outline
    # kept inside the plot, which clips it).
    top -= head_room - OUTLINE_ROOM_PX / unit_px
    # Top to bottom in the figure's JSON and the page's drawing, as they are read.
    shapes = [shape for answer in reversed(people) for shape in answer]
    fig = go.Figure()
    # Legend entries only (no points): what a filled and an outlined person mean.
    for name, colour, fill in (
        (t("patients.legend_better", lang), BETTER, BETTER),
        (t("patients.legend_not", lang), OUTLINE, "white"),
    ):
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=name,
                marker={"symbol": "circle", "size": 14, "color": fill,
                        "line": {"color": colour, "width": 2}},
                hoverinfo="skip",
            )
        )  # fmt: skip
    fig.update_layout(shapes=shapes, annotations=annotations, hovermode=False, dragmode=False)
    fig.update_xaxes(
        range=[0, PER_ROW],
        visible=False,
        fixedrange=True,
        constrain="domain",
        constraintoward="left",  # under the title, which starts at the left
    )
    fig.update_yaxes(
        range=[0, top],
        visible=False,
        fixedrange=True,
        scaleanchor="x",
        scaleratio=1,
        constrain="domain",
        constraintoward="top",
    )
    title = panels[0][1]
    height = title_margin(_lines(wrap_title(title))) + round(top * unit_px) + LEGEND_PX
    layout(fig, title, height=height)
    fig.update_layout(showlegend=True)
    data = pd.DataFrame(
        [
            {
                "complaint_duration": figure.complaint_duration,
                "sex": figure.sex,
                "age_band": figure.age_band,
                "session": figure.session,
                "n_of_10": figure.n_of_10,
                "low_of_10": figure.low_of_10,
                "high_of_10": figure.high_of_10,
            }
            for figure, _ in panels
        ],
        columns=DATA_COLUMNS,
    )
    headings = tuple(title for _, title in panels[1:])
    return Chart(NAME, localise(fig, lang), data, title, sentence, caption, headings)


def _lines(wrapped: str) -> int:
    return wrapped.count("<br>") + 1


def _heading(text: str, y: float) -> dict:
    """A next answer's title above its people, set like the chart's title."""
    return {
        "text": text,
        "x": 0,
        "xref": "paper",
        "xanchor": "left",
        "y": y,
        "yref": "y",
        "yanchor": "bottom",
        "align": "left",
        "showarrow": False,
        "font": {"size": TITLE_SIZE},
    }
