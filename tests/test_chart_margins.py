"""Every chart's margins already hold its axes' labels and its legend on a desktop screen, so
the browser lays it out once (`dashboard.charts.margins`).

Every chart of every view, both languages, is drawn in Chromium as wide as on a 1280 px and a
1440 px screen, with Plotly's automargin on as in the dashboard: Plotly keeps the margins only
when nothing needs more room, and then draws the chart once; a changed margin means a second
layout pass.
"""

from __future__ import annotations

import json
from pathlib import Path

import plotly
import plotly.io as pio
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dashboard.charts import margins
from dashboard.charts.common import layout
from tests.browser import chromium, skip_reason

# The chart's width on a 1280 px screen (what the margins are set for) and on a 1440 px one.
WIDTHS = (margins.DESKTOP_WIDTH, 980)

# Draws each figure `width` px wide and returns the margins Plotly ended up with.
MEASURE = """async ([figures, width]) => {
  const g = document.getElementById('g');
  g.style.width = width + 'px';
  const out = [];
  for (const fig of figures) {
    Plotly.purge(g);
    await Plotly.newPlot(g, fig.data, Object.assign({}, fig.layout, {width}));
    const size = g._fullLayout._size;
    out.push({l: size.l, r: size.r, b: size.b});
  }
  return out;
}"""


def _distinct_figures():
    """(name, figure JSON) for each distinct drawing among every view's charts."""
    from dashboard.views import every_chart

    seen: dict[str, str] = {}
    for name, chart in every_chart():
        text = pio.to_json(chart.figure)
        seen.setdefault(text, name)
    return [(name, json.loads(text)) for text, name in seen.items()]


@pytest.mark.browser
@pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")
def test_every_chart_is_laid_out_once_on_a_desktop_screen(tmp_path: Path):
    figures = _distinct_figures()
    assert len(figures) > 50  # every page's charts, both languages
    script = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text()
    page_file = tmp_path / "charts.html"
    page_file.write_text(f"<html><body><div id=g></div><script>{script}</script></body></html>")
    short = []
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(page_file.as_uri())
        for width in WIDTHS:
            drawn = page.evaluate(MEASURE, [[fig for _, fig in figures], width])
            for (name, fig), final in zip(figures, drawn, strict=True):
                given_ = fig["layout"]["margin"]
                # Plotly redraws when a margin moves by more than 1 px.
                moved = {
                    side: (given_[side], final[side])
                    for side in "lrb"
                    if abs(final[side] - given_[side]) > 1
                }
                if moved:
                    short.append(f"{name} at {width} px: {moved}")
    assert not short, "charts laid out twice (margin set, margin drawn):\n" + "\n".join(short[:20])


# ---------------------------------------------------------------- the estimate, without a browser


def _bars(top: float, tickformat: str = ",d", title: str = "Persons"):
    import plotly.graph_objects as go

    fig = go.Figure(go.Bar(x=["a", "b"], y=[top / 2, top]))
    fig.update_yaxes(title=title, tickformat=tickformat)
    return layout(fig, "A title")


@settings(max_examples=60, deadline=None)
@given(st.floats(min_value=1, max_value=1e8), st.floats(min_value=1, max_value=1e8))
@example(1.0, 5.0)  # found by Hypothesis: ",d" prints "1", not "1.10", on a short axis
def test_a_wider_number_never_gets_less_room(low: float, high: float):
    low, high = sorted((low, high))
    assert _bars(low).layout.margin.l <= _bars(high).layout.margin.l


def test_room_follows_the_labels_and_titles():
    # "2,000,000" in 13 px Arial is 57.8 px; with the axis title, Chromium asks for 102.6 px.
    fitted = _bars(2_000_000).layout.margin
    assert 102.6 <= fitted.l <= 102.6 + 12
    assert _bars(2_000_000, title="").layout.margin.l == fitted.l  # "" keeps the title's room
    untitled = _bars(2_000_000, title=None).layout.margin.l
    assert untitled < fitted.l - 20
    assert (
        margins.fit(_bars(2_000_000)).layout.margin.l == fitted.l
    )  # fitting twice changes nothing
