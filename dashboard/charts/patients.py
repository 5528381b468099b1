"""The icon array of the page for patients: 10 people in two rows of five, the first N filled.

Drawn with layout shapes (a head and shoulders per person) on hidden axes with a fixed aspect
ratio, so the people keep their shape at any width; two rows of five stay readable on a 390 px
phone. Two legend entries name the filled and the outlined people. The chart plots one shown
aggregate (an `OutOfTen`); its data frame is that figure, for the CSV.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis.outcomes_for_patients import OUT_OF, OutOfTen
from dashboard.charts.common import OKABE_ITO, Chart, layout, localise, title_margin, wrap_title
from dashboard.i18n import t

BETTER = OKABE_ITO["blue"]  # 5:1 against white: the filled people stand out for everyone
OUTLINE = "rgba(0, 0, 0, 0.6)"  # black, lighter: the people who were not clearly better
PER_ROW = 5
ROW_HEIGHT = 1.7  # axis units per row of people (a person is 1 unit wide)
# Pixels for the people: on a 390 px phone the plot is about 338 px wide, 5 units, so two rows
# of 1.7 units take about 230 px; on a wider screen the people keep this height (and shape).
PEOPLE_PX = 235
LEGEND_PX = 45

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
    w, top = 0.3, y + 0.85
    body = (
        f"M {x - w},{y} L {x - w},{top - 0.25} Q {x - w},{top} {x - 0.05},{top} "
        f"L {x + 0.05},{top} Q {x + w},{top} {x + w},{top - 0.25} L {x + w},{y} Z"
    )
    r, head_y = 0.19, top + 0.27
    return [
        {"type": "path", "path": body, **style},
        {"type": "circle", "x0": x - r, "x1": x + r, "y0": head_y - r, "y1": head_y + r, **style},
    ]


def icon_array(figure: OutOfTen, title: str, sentence: str, caption: str, lang: str) -> Chart:
    """10 people, `figure.n_of_10` of them filled: 'of 10 patients like you, about N felt
    clearly better'. `title`, `sentence` (the text alternative) and `caption` come from
    `dashboard.words.patients`."""
    rows = -(-OUT_OF // PER_ROW)
    shapes = []
    for i in range(OUT_OF):
        row, col = divmod(i, PER_ROW)
        shapes += _person(col + 0.5, (rows - 1 - row) * ROW_HEIGHT + 0.1, i < figure.n_of_10)
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
    fig.update_layout(shapes=shapes, hovermode=False, dragmode=False)
    fig.update_xaxes(
        range=[0, PER_ROW],
        visible=False,
        fixedrange=True,
        constrain="domain",
        constraintoward="left",  # under the title, which starts at the left
    )
    fig.update_yaxes(
        range=[0, rows * ROW_HEIGHT],
        visible=False,
        fixedrange=True,
        scaleanchor="x",
        scaleratio=1,
        constrain="domain",
        constraintoward="top",
    )
    lines = wrap_title(title).count("<br>") + 1
    layout(fig, title, height=title_margin(lines) + PEOPLE_PX + LEGEND_PX)
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
        ],
        columns=DATA_COLUMNS,
    )
    return Chart(
        f"patients_out_of_10_session_{figure.session}",
        localise(fig, lang),
        data,
        title,
        sentence,
        caption,
    )
