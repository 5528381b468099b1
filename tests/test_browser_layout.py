"""Every public page on a desktop screen and on a 390 px phone: nothing runs off the side, every
chart is drawn with a readable title and legend and has a text alternative; a screenshot of each
is written to tests/artifacts/screenshots/ (git-ignored) to look at after a layout change."""

from __future__ import annotations

import re

import pytest

from dashboard.params import ON_DEMAND
from dashboard.site import PAGES
from tests.browser import (
    ARTIFACTS,
    save_screenshot,
    skip_reason,
    wait_for_charts,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or ""),
]

PUBLIC = [(url_path, "" if index == 0 else url_path) for index, (_, url_path, _, section)
          in enumerate(PAGES) if section == "public"]  # fmt: skip
# The same pages with every folded section open (a chart in an expander is narrower), in both
# languages (Dutch titles run longer).
PUBLIC += [
    (f"{url_path}_open_{lang}", f"{url_path}?lang={lang}&{param.key}={param.to_url(param.options)}")
    for url_path, param in ON_DEMAND.items()
    for lang in ("en", "nl")
]
SCREENS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "390": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
}
SHOTS = ARTIFACTS / "screenshots"

# For each drawn chart: its accessible name, the title Plotly drew, and every overlap or
# overflow of the title, the legend, the plot areas and the axis titles (CSS pixel boxes).
CHART_REPORT = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].map(c => {
    const box = e => e ? e.getBoundingClientRect() : null;
    const meets = (a, b) => a && b && a.width > 0 && b.width > 0 && a.left < b.right - 1 &&
        b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
    const chart = box(c), title = box(c.querySelector('.gtitle'));
    const legend = box(c.querySelector('g.legend'));
    const plots = [...c.querySelectorAll('.nsewdrag')].map(box);  // the plot areas
    const xtitles = [...c.querySelectorAll('text')].filter(t =>
        /^x\\d*title$/.test(t.getAttribute('class') || '')).map(box);
    const problems = [];
    if (!title) problems.push('no title drawn');
    else if (title.left < chart.left - 1 || title.right > chart.right + 1)
        problems.push(`title runs outside the chart (${title.left}-${title.right} of ` +
                      `${chart.left}-${chart.right})`);
    if (plots.some(p => meets(title, p))) problems.push('title overlaps the plot');
    if (meets(legend, title)) problems.push('legend overlaps the title');
    if (plots.some(p => meets(legend, p))) problems.push('legend overlaps the plot');
    if (xtitles.some(x => meets(legend, x))) problems.push('legend overlaps an x-axis title');
    if (xtitles.some(x => x.width > 0 && (x.left < chart.left - 1 || x.right > chart.right + 1)))
        problems.push('an x-axis title runs outside the chart');
    const ytitles = [...c.querySelectorAll('text')].filter(t =>
        /^y\\d*title$/.test(t.getAttribute('class') || '')).map(box);
    if (ytitles.some(y => meets(title, y))) problems.push('a y-axis title runs into the title');
    if (chart.right > window.innerWidth + 1) problems.push('chart wider than the screen');
    // The element drawn just before the chart: its one-sentence summary, in bold.
    const holder = c.closest('[data-testid="stElementContainer"]');
    const before = holder && holder.previousElementSibling;
    return {
        role: c.getAttribute('role'),
        label: c.getAttribute('aria-label') || '',
        before: before ? before.innerText : '',
        title: c.querySelector('.gtitle') ? c.querySelector('.gtitle').textContent : '',
        notes: [...c.querySelectorAll('.annotation-text')].map(t => t.textContent),
        problems,
    };
})"""


def squeeze(text: str) -> str:
    """Text without any whitespace: Plotly draws a wrapped title's lines with no space between."""
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize(("name", "path"), PUBLIC)
def test_page_fits_the_screen_and_every_chart_is_readable(app_url, browser, name, path, screen):
    context = browser.new_context(**SCREENS[screen])
    page = context.new_page()
    try:
        page.goto(f"{app_url}/{path}")
        wait_for_charts(page)
        assert page.locator("[data-testid='stException']").count() == 0
        save_screenshot(page, SHOTS / f"{name}_{screen}.png")

        width = SCREENS[screen]["viewport"]["width"]
        overflow = page.evaluate(
            """() => [document.documentElement.scrollWidth,
                ...[...document.querySelectorAll('[data-testid="stMain"]')]
                    .map(e => e.scrollWidth - e.clientWidth)]"""
        )
        assert overflow[0] <= width + 2, f"the page is {overflow[0]} px wide on a {width} px screen"
        assert all(extra <= 2 for extra in overflow[1:]), "the main column scrolls sideways"

        for chart in page.evaluate(CHART_REPORT):
            assert chart["role"] == "figure", chart
            # The chart is named by its title (then the headings drawn in it, when it shows
            # several answers), and its one-sentence summary is the text right before it (read
            # first by a screen reader; not repeated in the name, so that a new sentence does
            # not make the browser redraw an unchanged chart).
            assert chart["title"].strip(), chart
            label, title = squeeze(chart["label"]), squeeze(chart["title"])
            assert label.startswith(title), chart
            headings = [squeeze(note) for note in chart["notes"] if squeeze(note) in label]
            assert label == ".".join([title, *headings]), chart
            summary = chart["before"].strip()
            assert len(summary.split()) >= 5, f"no summary before {chart['title']!r}: {summary!r}"
            assert summary[-1] in ".!?", summary
            assert not chart["problems"], f"{chart['title']!r}: {chart['problems']}"
    finally:
        context.close()
