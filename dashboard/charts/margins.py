"""The room around a chart's plot, worked out on the server from what its axes and legend print.

Plotly's automargin measures the tick labels and axis titles after drawing; when they need more
room than the margins give (and, with a legend under the plot, they always do: Plotly sets the
legend's room against the margin alone), it draws the whole chart a second time. That is about
half of a chart's drawing time, paid again on every filter change (a changed chart is drawn
anew). `fit` sets margins that already hold the axes' labels and the legend as they are drawn on
a desktop screen, so there the chart is laid out once. Automargin stays on: where the estimate
falls short (a phone, where labels turn and the legend takes more rows, or a narrow window) the
browser draws twice, as before, and nothing is clipped.

The estimate reads the tick labels (the ticktext, the categories, or the widest number the axis
range can print in its format) and the legend's entries, and measures them with the Arial
widths of `common.text_width` (the font the charts are drawn in when Source Sans is not there).
tests/test_chart_margins.py draws every chart of every view in Chromium at the desktop width
and checks that Plotly keeps the margins as set.
"""

from __future__ import annotations

import base64
import datetime
import math
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.common import text_width

FONT = 13  # the charts' font size (common.layout), also of tick labels and axis titles
LINE = 1.3  # Plotly sets lines of text 1.3 font sizes apart
# Room beside the tick labels, measured in Chromium: tick length (5), gaps, and with a title its
# standoff (15, simple_white) plus the title's lines.
Y_BARE, Y_TITLED = 16, 28
X_BARE, X_TITLED = 18, 29
UPRIGHT_PAD = 7  # turned labels sit a little further from the axis
SAFETY = 4  # px on each side for what the estimate leaves out (rounding, descenders)
# A chart's width on a desktop screen: the main column of the wide layout on a 1280 px screen
# with the sidebar open (the benchmarks' screen). Wider screens keep these margins too; on a
# narrower window the legend may take more rows and the chart is drawn twice, as before.
DESKTOP_WIDTH = 820
LABEL_GAP = 8  # px Plotly wants between neighbouring tick labels before it turns them
FLOOR = 10  # the house style's smallest margin


def fit(fig: go.Figure) -> go.Figure:
    """Set the left, right and bottom margins to what the axes and the legend of `fig` need
    (never less than the house style's 10 px), so the browser lays the chart out once."""
    plain = _Plain(fig)
    left, right, bottom = FLOOR, FLOOR, FLOOR
    for name, axis in _axes(plain):
        if axis.visible is False:
            continue
        category = axis.type == "category" or _is_category(plain, name)
        labels = _labels(plain, name, axis, category) if axis.showticklabels is not False else []
        size = (axis.tickfont.size if axis.tickfont and axis.tickfont.size else None) or FONT
        widths = [_width(label, size) for label in labels] or [0.0]
        lines = max((label.count("<br>") + 1 for label in labels), default=0)
        # A title set to "" still takes its room (Plotly reserves it).
        title = axis.title.text if axis.title else None
        title_lines = 0 if title is None else title.count("<br>") + 1
        if name.startswith("yaxis"):
            title_room = Y_TITLED + title_lines * FONT * LINE if title_lines else Y_BARE
            room = max(widths) + title_room
            if axis.side == "right":
                right = max(right, room)
            else:
                left = max(left, room)
        elif _at_bottom(plain, axis):
            upright = _crowded(widths, left) and axis.tickangle is None
            tall = max(widths) + UPRIGHT_PAD if upright else lines * size * LINE
            title_room = X_TITLED + title_lines * FONT * LINE if title_lines else X_BARE
            bottom = max(bottom, tall + title_room)
            if upright:  # the last label, turned, reaches past the plot's right edge
                right = max(right, size * LINE / 2 + 6)
            if not category:
                # The last label is centred on the plot's right edge (dates, numbers).
                right = max(right, widths[-1] / 2 + 8)
    margin = {
        side: FLOOR if value <= FLOOR else math.ceil(value + SAFETY)
        for side, value in (("l", left), ("r", right), ("b", bottom))
    }
    # The legend sits at the bottom of the chart, under the axes' labels.
    legend = math.ceil(_legend_height(plain, DESKTOP_WIDTH - margin["l"] - margin["r"]))
    if legend:
        margin["b"] = margin["b"] + legend if bottom > FLOOR else max(FLOOR, legend)
    fig.update_layout(margin=margin)
    return fig


class _Props:
    """Attribute access to part of a figure's plain dict (`go.Figure.to_dict()`), a missing
    property being None: reading Plotly's own objects property by property costs milliseconds
    a chart."""

    __slots__ = ("props",)

    def __init__(self, values: dict):
        self.props = values

    def __getattr__(self, key: str):
        value = self.props.get(key)
        return _Props(value) if isinstance(value, dict) and "bdata" not in value else value

    __getitem__ = __getattr__

    def __bool__(self) -> bool:
        return bool(self.props)


class _Plain:
    """A figure as plain data, read like a figure: `.layout` and `.data` (its traces)."""

    def __init__(self, fig: go.Figure):
        spec = fig.to_dict()
        self.layout = _Props(spec["layout"])
        self.data = [_Props(trace) for trace in spec["data"]]


def _axes(fig: _Plain) -> Iterable[tuple[str, _Props]]:
    layout = fig.layout
    # y axes first: whether the x labels fit side by side depends on the room left of the plot.
    names = ["yaxis", "xaxis"] + sorted(
        (k for k in layout.props if re.fullmatch(r"[xy]axis\d+", k)), reverse=True
    )
    return [(name, layout[name] or _Props({})) for name in names]


def _at_bottom(fig: _Plain, axis) -> bool:
    """Whether an x axis sits at the bottom of the figure (its labels push the bottom margin)."""
    if axis.side == "top":
        return False
    anchor = axis.anchor or "y"
    if anchor == "free":
        return True
    y = fig.layout["yaxis" + anchor[1:]]
    domain = y.domain if y is not None and y.domain is not None else (0, 1)
    return domain[0] <= 0.01


def _traces_on(fig: _Plain, name: str) -> list:
    """The traces drawn against axis `name` ('xaxis2' -> traces whose xaxis is 'x2')."""
    ref = name[0] + name[5:]
    return [tr for tr in fig.data if (getattr(tr, name[0] + "axis", None) or name[0]) == ref]


def _values(fig: _Plain, name: str) -> list:
    out: list = []
    for trace in _traces_on(fig, name):
        out += [v for v in _array(getattr(trace, name[0], None)) if v is not None]
    return out


def _array(values) -> list:
    """A trace's coordinates as a list (Plotly keeps numeric arrays as typed-array dicts)."""
    if values is None:
        return []
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values)


def _is_category(fig: _Plain, name: str) -> bool:
    values = _values(fig, name)
    return bool(values) and all(isinstance(v, str) for v in values)


def _labels(fig: _Plain, name: str, axis, category: bool) -> list[str]:
    """The tick labels the axis can print, as wide as the widest it will print (`category`:
    whether the axis is categorical)."""
    if axis.ticktext:
        return [str(t) for t in axis.ticktext]
    if category:
        seen = dict.fromkeys(str(v) for v in _values(fig, name))
        return list(seen)
    values = _values(fig, name)
    dated = list(values) + _array(axis.range)
    if axis.type == "date" or any(
        isinstance(v, (datetime.date, np.datetime64, str)) for v in dated
    ):
        return _date_labels(axis)
    if axis.tickvals is not None:
        numbers = [float(v) for v in _array(axis.tickvals)]
        return [_number_label(v, axis, numbers) for v in numbers]
    numbers = _range(fig, name, axis, values)
    if not numbers:
        return ["-1.5"]  # nothing to plot: Plotly's default range, -1 to 4 or so
    low, high = min(numbers), max(numbers)
    if isinstance(axis.dtick, (int, float)) and axis.dtick > 0 and axis.type != "log":
        # One label per step: what decides whether they fit side by side.
        first = math.ceil(low / axis.dtick) * axis.dtick
        count = int((high - first) // axis.dtick) + 1
        return [_number_label(first + i * axis.dtick, axis, numbers) for i in range(count)]
    return [_number_label(v, axis, numbers) for v in (low, high)]


def _range(fig: _Plain, name: str, axis, values: list) -> list[float]:
    if axis.range is not None and axis.type != "log" and None not in axis.range:
        return [float(v) for v in _array(axis.range)]
    numbers = [float(v) for v in values if _is_number(v) and math.isfinite(v)]
    for trace in _traces_on(fig, name):
        error = getattr(trace, "error_" + name[0], None)
        if error is not None and error.array is not None:
            pairs = zip(_array(getattr(trace, name[0])), _array(error.array), strict=False)
            numbers += [float(v) + float(e) for v, e in pairs if v is not None and e is not None]
    if fig.layout.barmode in ("stack", "relative"):
        totals: dict = {}
        other = "y" if name[0] == "x" else "x"
        for trace in _traces_on(fig, name):
            if trace.type == "bar":
                pairs = zip(
                    _array(getattr(trace, other)), _array(getattr(trace, name[0])), strict=False
                )
                for key, v in pairs:
                    if _is_number(v):
                        totals[key] = totals.get(key, 0.0) + abs(float(v))
        numbers += list(totals.values())
    if not numbers:
        return []
    return [min(min(numbers), 0.0), max(numbers) * 1.1]


def _is_number(value) -> bool:
    return isinstance(value, (int, float, np.number)) and not isinstance(value, bool)


def _number_label(value: float, axis, numbers: list[float]) -> str:
    span = max(numbers) - min(numbers)
    decimals = 0 if span >= 5 else 1 if span >= 0.5 else 2
    fmt = axis.tickformat or ""
    if fmt.endswith("d"):  # whole numbers, whatever the span ("0", "1", not "0.5")
        decimals = 0
    elif precision := re.search(r"\.(\d+)f$", fmt):  # as many decimals as the format says
        decimals = int(precision.group(1))
    magnitude = abs(value)
    if fmt.endswith("%"):
        text = f"{magnitude * 100:.0f}%"
    elif "," in fmt:
        text = f"{magnitude:,.{decimals}f}"
    elif magnitude >= 10_000:  # Plotly's default exponent format: 20k, 1.5M
        text = f"{magnitude / 1000:.0f}k" if magnitude < 1e6 else f"{magnitude / 1e6:.1f}M"
    else:
        text = f"{magnitude:.{decimals}f}"
    sign = "-" if value < 0 else ""
    return f"{axis.tickprefix or ''}{sign}{text}{axis.ticksuffix or ''}"


def _date_labels(axis) -> list[str]:
    if axis.tickformat:
        label = pd.Timestamp("2028-12-28").strftime(axis.tickformat)
        if axis.dtick == "M12" and axis.range is not None:
            years = pd.Timestamp(axis.range[1]).year - pd.Timestamp(axis.range[0]).year + 1
            return [label] * years
        return [label]
    # Plotly's default date ticks print the month and, on a year's first tick, the year on a
    # second line.
    return ["Sep<br>2028"]


def _width(label: str, size: float) -> float:
    plain = re.sub(r"<[^>]+>", "\n", label.replace("<br>", "\n"))
    return max(text_width(line, size) for line in plain.split("\n"))


def _crowded(widths: list[float], left: float) -> bool:
    """Whether the labels cannot stand side by side on a desktop screen, so Plotly turns them."""
    return sum(w + LABEL_GAP for w in widths) > DESKTOP_WIDTH - left - 2 * FLOOR


# ---------------------------------------------------------------- the legend under the plot

LEGEND_FONT = 13
LEGEND_SYMBOL = 40  # px of an entry before its text: the symbol and the gap after it
LEGEND_GAP = 5  # px between entries
LEGEND_ROW = 20  # px of a row of one-line entries
LEGEND_LINE = 17  # px of each further line of an entry
LEGEND_GROUP_GAP = 10  # Plotly's tracegroupgap, between groups stacked on top of each other
LEGEND_PAD = 10  # px above and below the entries together


def _legend_height(fig: _Plain, room: float) -> float:
    """The height of the horizontal legend under a plot `room` px wide (0 without a legend).

    Plotly's horizontal legend spans the plot's width; entries that do not fit on one row go
    into equal columns as wide as the widest entry. Legend groups are columns of their own
    entries, side by side while they fit."""
    entries = _legend_entries(fig)
    if not entries:
        return 0.0
    sized = [
        (group, LEGEND_SYMBOL + _width(name, LEGEND_FONT), name.count("<br>") + 1)
        for group, name in entries
    ]
    if any(group for group, _, _ in sized):
        # Grouped: an entry without a group is a group of its own.
        groups: dict[object, list[tuple[float, int]]] = {}
        for index, (group, entry_width, lines) in enumerate(sized):
            groups.setdefault(group or index, []).append((entry_width, lines))
        blocks = [
            (max(w for w, _ in items), sum(_row(lines) for _, lines in items))
            for items in groups.values()
        ]
        return _rows(blocks, room, LEGEND_GROUP_GAP) + LEGEND_PAD
    items = [(entry_width, lines) for _, entry_width, lines in sized]
    if sum(w for w, _ in items) + LEGEND_GAP * (len(items) - 1) <= room:
        return max(_row(lines) for _, lines in items) + LEGEND_PAD
    column = max(w for w, _ in items) + LEGEND_GAP
    per_row = max(1, int((room + LEGEND_GAP) // column))
    heights = [
        max(_row(lines) for _, lines in items[start : start + per_row])
        for start in range(0, len(items), per_row)
    ]
    return sum(heights) + LEGEND_PAD


def _row(lines: int) -> float:
    return LEGEND_ROW + (lines - 1) * LEGEND_LINE


def _rows(blocks: list[tuple[float, float]], room: float, gap: float) -> float:
    """Height of `blocks` (width, height) side by side if they fit in `room` px, else one
    under the other (Plotly wraps groups less predictably than entries: this errs tall)."""
    if sum(w + LEGEND_GAP for w, _ in blocks) <= room:
        return max(h for _, h in blocks)
    return sum(h for _, h in blocks) + gap * (len(blocks) - 1)


def _legend_entries(fig: _Plain) -> list[tuple[str, str]]:
    """(legend group, name) of each entry the legend shows."""
    if fig.layout.showlegend is False:
        return []
    shown = [tr for tr in fig.data if tr.showlegend is not False and tr.name]
    if len(shown) < 2 and fig.layout.showlegend is not True:
        return []
    return [(tr.legendgroup or "", tr.name) for tr in shown]
