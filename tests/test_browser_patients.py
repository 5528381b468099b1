"""The page for patients in Chromium on a 390 px phone: the icon arrays (both answers in one
chart) are drawn and fit, the sentence "of 10 patients like you, about N ..." is there (also as
the chart's text alternative), nothing scrolls sideways, and the embedded view (?embed=true)
works the same."""

from __future__ import annotations

import pytest

from dashboard.i18n import t
from tests.browser import ARTIFACTS, save_screenshot, skip_reason, wait_for_charts

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or ""),
]

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
SHOTS = ARTIFACTS / "screenshots"

# Per drawn chart: its box, its accessible name, the boxes of the people (Plotly draws layout
# shapes as paths in the .shapelayer groups) and of the heading over the second answer.
ICONS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].map(c => {
    const box = c.getBoundingClientRect();
    const people = [...c.querySelectorAll('.shapelayer path')].map(p => {
        const b = p.getBoundingClientRect();
        return {left: b.left, right: b.right, top: b.top, bottom: b.bottom, width: b.width,
                fill: getComputedStyle(p).fill};
    });
    const note = c.querySelector('.annotation-text');
    const h = note ? note.getBoundingClientRect() : null;
    return {left: box.left, right: box.right, label: c.getAttribute('aria-label') || '', people,
            heading: h && {left: h.left, right: h.right, top: h.top, bottom: h.bottom}};
})"""
OVERFLOW = """() => [document.documentElement.scrollWidth,
    ...[...document.querySelectorAll('[data-testid="stMain"]')]
        .map(e => e.scrollWidth - e.clientWidth)]"""


def open_on_phone(browser, url: str):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(url)
    wait_for_charts(page)
    return context, page


def check_phone_view(page, lang: str, n: tuple[int, int]) -> None:
    assert page.locator("[data-testid='stException']").count() == 0
    width = PHONE["viewport"]["width"]
    overflow = page.evaluate(OVERFLOW)
    assert overflow[0] <= width + 2, f"the page is {overflow[0]} px wide on a {width} px phone"
    assert all(extra <= 2 for extra in overflow[1:]), "the main column scrolls sideways"

    charts = page.evaluate(ICONS)
    assert len(charts) == 1, "both answers in one chart"
    (chart,) = charts
    assert chart["left"] >= 0 and chart["right"] <= width + 1, chart
    # Plotly draws the shapes in their order: each answer's 10 people, top to bottom.
    answers = [chart["people"][start : start + 20] for start in range(0, len(chart["people"]), 20)]
    assert len(answers) == len(n), "a body and a head for each of 10 people, per answer"
    for people, filled in zip(answers, n, strict=True):
        for shape in people:
            assert shape["left"] >= chart["left"] - 1 and shape["right"] <= chart["right"] + 1
        bodies = sorted(people, key=lambda p: -p["width"])[:10]
        # Big enough to see on a phone: each person at least 30 px wide.
        assert min(p["width"] for p in bodies) >= 30, bodies
        coloured = [p for p in bodies if p["fill"] not in ("rgb(255, 255, 255)", "none")]
        assert len(coloured) == filled
    # The second answer's heading sits between the two arrays, clear of both.
    first, second = answers
    heading = chart["heading"]
    assert max(p["bottom"] for p in first) <= heading["top"] + 1
    assert heading["bottom"] <= min(p["top"] for p in second) + 1
    assert heading["left"] >= chart["left"] - 1 and heading["right"] <= chart["right"] + 1
    main = page.get_by_test_id("stMain").inner_text()
    sentence = t("patients.sentence", lang, n=n[0], share="", nth="", range="").split("(")[0]
    assert sentence.strip() in main
    # The text alternative is the title: "... of 10 patients like you, about 7 ...".
    like_you = "patients like you" if lang == "en" else "patiënten zoals u"
    assert like_you in charts[0]["label"]
    # ... then the second answer's heading, as drawn over its people.
    tenth = "by the 10th treatment" if lang == "en" else "bij de 10e behandeling"
    assert charts[0]["label"].endswith(tenth), charts[0]["label"]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_page_for_patients_on_a_phone(app_url, browser, lang):
    context, page = open_on_phone(browser, f"{app_url}/patients?lang={lang}")
    try:
        save_screenshot(page, SHOTS / f"patients_390_{lang}.png")
        check_phone_view(page, lang, (7, 8))  # demo clinic, acute: 7 and 8 of 10
        main = page.get_by_test_id("stMain").inner_text()
        assert t("patients.demo_banner", lang) in main
        assert t("patients.without_heading", lang) in main
        assert t("patients.limits_heading", lang) in main
    finally:
        context.close()


def test_the_embedded_page_for_patients_on_a_phone(app_url, browser):
    context, page = open_on_phone(browser, f"{app_url}/patients?embed=true&group=chronic")
    try:
        save_screenshot(page, SHOTS / "patients_390_embed.png")
        assert page.get_by_test_id("stSidebar").count() == 0
        check_phone_view(page, "en", (3, 6))  # demo clinic, chronic: 3 and 6 of 10
        # The way out of the frame keeps the view.
        link = page.get_by_role("link", name=t("app.open_full_view", "en"))
        assert "/patients?" in link.get_attribute("href")
        assert "group=chronic" in link.get_attribute("href")
    finally:
        context.close()
