"""A shared link reproduces the view exactly, in a real browser (issue 6).

Round trip: open a page, change two widgets, read the link from "share this view", open it in a
fresh browser context, and find the same widget values and the same chart data; in English and
in Dutch. The address bar is a valid link too, and the back and forward buttons restore the
earlier views.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from dashboard.i18n import t
from tests.browser import skip_reason, wait_for_charts

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or ""),
]

# What each chart on the page draws: trace names and their x and y values.
CHART_DATA = """() => [...document.querySelectorAll(
    '[data-testid="stPlotlyChart"] .js-plotly-plot')].map(g => JSON.stringify(
        g.data.map(d => [d.name ?? null, d.x ?? null, d.y ?? null])))"""


def radio(page, label: str, option: str):
    """The option of a segmented control, found by the control's label and the option's text."""
    return page.get_by_role("radiogroup", name=label).get_by_role("radio", name=option, exact=True)


def choose(page, label: str, option: str, expect_in_url: str) -> None:
    """Pick an option (segmented control or select box) and wait for the rerun to finish."""
    if page.get_by_role("radiogroup", name=label).count():
        radio(page, label, option).click()
    else:
        page.get_by_role("combobox", name=label, exact=True).click()
        page.get_by_role("option", name=option, exact=True).click()
    page.wait_for_function("s => location.search.includes(s)", arg=expect_in_url)
    wait_for_charts(page)


def settings(page) -> dict[str, str]:
    """Every visible setting: segmented controls' checked option, select boxes' shown value."""
    out = {}
    groups = page.get_by_role("radiogroup")
    for i in range(groups.count()):
        group = groups.nth(i)
        out[group.get_attribute("aria-label")] = group.locator("[aria-checked=true]").inner_text()
    boxes = page.get_by_role("combobox")
    for i in range(boxes.count()):
        box = boxes.nth(i)
        out[box.get_attribute("aria-label")] = box.input_value()
    return out


def view(page) -> dict:
    """What a reader sees: heading, settings and the data of every chart."""
    return {
        "heading": page.locator("h1").first.inner_text().strip(),
        "settings": settings(page),
        "charts": page.evaluate(CHART_DATA),
    }


def share_link(page, lang: str) -> str:
    """The link shown in the sidebar's "share this view" panel."""
    page.get_by_role("button", name=t("share.button", lang)).click()
    code = page.get_by_test_id("stCode").last
    code.wait_for()
    link = code.inner_text().strip()
    page.keyboard.press("Escape")
    return link


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


CHANGES = {
    # page: (two changes as (label key, option text key or text, what the URL then holds))
    "prevalence": [
        ("prevalence.sex_label", "sex.men", "sex=men"),
        ("prevalence.measure_label", "prevalence.measure_persons", "measure=persons"),
    ],
    "outcomes": [
        ("outcomes.group_label", "outcomes.group_option.chronic", "group=chronic"),
        ("outcomes.sex_label", "sex.women", "sex=women"),
    ],
}
# The sections a page's link opens so that its charts are on show (the outcomes page opens on
# its answers in words, its charts on demand).
OPENED = {"outcomes": "&open=curve"}


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("path", sorted(CHANGES))
def test_a_copied_link_reproduces_the_view_in_a_fresh_browser(app_url, browser, page, path, lang):
    page.goto(f"{app_url}/{path}?lang={lang}{OPENED.get(path, '')}")
    wait_for_charts(page)
    before = view(page)
    for label, option, in_url in CHANGES[path]:
        choose(page, t(label, lang), t(option, lang), in_url)
    shared = view(page)
    assert shared["settings"] != before["settings"]
    assert shared["charts"] != before["charts"], "the change did not reach the charts"

    link = share_link(page, lang)
    assert link.startswith(f"{app_url}/{path}?")
    for _, _, in_url in CHANGES[path]:
        assert in_url in link
    # The address bar is a valid link to the same view (same parameters, any order).
    assert query(page.url) == query(link)

    fresh = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        other = fresh.new_page()
        other.goto(link)
        wait_for_charts(other)
        assert view(other) == shared
        assert other.locator("[data-testid='stException']").count() == 0
        # Opening the link changes nothing: its address is still the same link.
        assert query(other.url) == query(link)
    finally:
        fresh.close()


def wait_for_view(page, expected: dict) -> None:
    """Wait until the charts hold `expected`'s data (the rerun after back/forward is async)."""
    wait_for_charts(page)
    page.wait_for_function(
        f"expected => JSON.stringify(({CHART_DATA})()) === JSON.stringify(expected)",
        arg=expected["charts"],
    )


def test_back_and_forward_restore_the_earlier_views(app_url, page):
    page.goto(f"{app_url}/prevalence")
    wait_for_charts(page)
    first = view(page)
    choose(page, t("prevalence.sex_label", "en"), t("sex.men", "en"), "sex=men")
    second = view(page)
    measure = t("prevalence.measure_label", "en")
    choose(page, measure, t("prevalence.measure_persons", "en"), "measure=persons")
    third = view(page)
    assert len({json.dumps(v, sort_keys=True) for v in (first, second, third)}) == 3

    page.go_back()
    wait_for_view(page, second)
    assert view(page) == second
    assert "measure" not in query(page.url)

    page.go_back()
    wait_for_view(page, first)
    assert view(page) == first
    assert "sex" not in query(page.url)

    page.go_forward()
    wait_for_view(page, second)
    assert view(page) == second
    assert query(page.url)["sex"] == ["men"]

    page.go_forward()
    wait_for_view(page, third)
    assert view(page) == third


def wait_for_heading(page, title: str) -> None:
    """Wait until the page's heading reads `title`, then until that run has finished: the
    heading is written early in a run, so after it the app is mid-run or done, never stale."""
    page.wait_for_function(
        "title => document.querySelector('h1')?.innerText.trim() === title", arg=title
    )
    wait_for_charts(page)


def test_switching_the_language_keeps_the_view_and_back_returns_to_it(app_url, page):
    page.goto(f"{app_url}/prevalence?sex=men")
    wait_for_charts(page)
    english = view(page)
    radio(page, t("app.language", "en"), "nl").click()
    wait_for_heading(page, t("prevalence.title", "nl"))
    dutch = view(page)
    assert dutch["settings"][t("prevalence.sex_label", "nl")] == t("sex.men", "nl")
    assert query(page.url)["lang"] == ["nl"]
    assert query(page.url)["sex"] == ["men"]
    # The same numbers, only the words differ.
    assert [json.loads(c) for c in dutch["charts"]] != [] and len(dutch["charts"]) == len(
        english["charts"]
    )

    page.go_back()
    wait_for_heading(page, t("prevalence.title", "en"))
    wait_for_view(page, english)
    assert view(page) == english
    assert "lang" not in query(page.url)
