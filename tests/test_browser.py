"""The dashboard in a real browser (Chromium via Playwright): routing, language, no errors."""

import pytest

from analysis import data
from analysis.catalogue import resource_title
from dashboard.i18n import t
from dashboard.site import PAGES
from tests.browser import (
    skip_reason,
    wait_for_app,
    wait_for_charts,
)

# Pages whose heading is not simply their name in the navigation.
HEADINGS = {
    "overview.py": "overview.title",
    "prevalence.py": "prevalence.title",
    "outcomes.py": "outcomes.title",
    "patients.py": "patients.title",
    "clinic_data.py": "owner.title",
}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or ""),
]


def assert_no_error(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0
    assert "encountered an error" not in page.inner_text("body")


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize(("file", "url_path", "key"), [p[:3] for p in PAGES])
def test_opening_a_page_link_runs_the_app_navigation(app_url, page, file, url_path, key, lang):
    path = "" if file == PAGES[0][0] else url_path
    page.goto(f"{app_url}/{path}?lang={lang}")
    wait_for_app(page)
    assert_no_error(page)
    heading = t(HEADINGS.get(file.rsplit("/", 1)[-1], key), lang)
    assert page.locator("h1").first.inner_text().strip() == heading
    sidebar = page.get_by_test_id("stSidebar").inner_text()
    # The sections come from st.navigation in app.py, so app.py ran for this link.
    assert t("nav.public_section", lang) in sidebar
    assert "placeholder" not in sidebar.lower()


def test_sources_page_lists_every_table_in_dutch(app_url, page):
    page.goto(f"{app_url}/sources?lang=nl")
    wait_for_app(page)
    assert_no_error(page)
    text = page.get_by_test_id("stMain").inner_text()
    for resource in data.descriptor()["resources"]:
        assert resource_title(resource, "nl") in text, resource["name"]
    # A table's fold is drawn when opened: its columns, sources and download appear.
    download = page.get_by_role("button", name=t("sources.download", "nl", name="population"))
    assert download.count() == 0
    population = next(r for r in data.descriptor()["resources"] if r["name"] == "population")
    fold = page.get_by_test_id("stExpander").filter(has_text=resource_title(population, "nl"))
    fold.first.locator("summary").click()
    download.wait_for(timeout=30_000)
    assert_no_error(page)


def test_prevalence_link_draws_every_chart_and_keeps_its_settings(app_url, page):
    page.goto(f"{app_url}/prevalence?lang=nl&sex=men&measure=persons&catchment=25000")
    wait_for_charts(page)
    assert_no_error(page)
    # The two charts drawn when the page opens (the others are folded), each drawn.
    charts = page.locator("[data-testid='stPlotlyChart']")
    assert charts.count() == 2
    assert all(charts.nth(i).locator(".main-svg").count() for i in range(2))
    for part in ("lang=nl", "sex=men", "measure=persons", "catchment=25000", "v="):
        assert part in page.url, page.url
    assert "871.200 mannen" in page.get_by_test_id("stMain").inner_text()  # 2018, men


def test_outcomes_link_draws_charts_with_the_demo_label(app_url, page):
    # The charts are on demand: the link opens the curve, the pain and the time sections.
    page.goto(f"{app_url}/outcomes?group=chronic&lang=nl&open=curve,pain,time")
    wait_for_charts(page)
    assert_no_error(page)
    charts = page.locator("[data-testid='stPlotlyChart']")
    assert charts.count() == 4
    assert all(charts.nth(i).locator(".main-svg").count() for i in range(4))
    text = page.get_by_test_id("stMain").inner_text()
    assert "Demogegevens" in text and "DEMO-" not in text
    assert "group=chronic" in page.url


def test_a_viewer_opening_the_clinic_data_link_gets_no_upload(app_url, page):
    page.goto(f"{app_url}/clinic-data")
    wait_for_app(page)
    assert_no_error(page)
    assert page.locator("input[type=file]").count() == 0
    assert page.locator("[data-testid='stFileUploader']").count() == 0
    assert "no owner password has been set up" in page.get_by_test_id("stMain").inner_text()


def test_a_chart_csv_downloads_from_the_browser_with_its_words_and_numbers(app_url, page):
    """The CSV is made when the reader clicks (not on every rerun): it must arrive byte for byte
    as the export function makes it for the chart on screen."""
    from dashboard.export import csv_bytes
    from dashboard.views import prevalence

    page.goto(f"{app_url}/prevalence?sex=men")
    wait_for_charts(page)
    with page.expect_download() as info:
        page.get_by_role("button", name=t("chart.download_csv", "en")).first.click()
    download = info.value
    chart = prevalence.view(prevalence.Settings(sex="men"), "en").charts[0]
    assert download.suggested_filename == f"{chart.name}.csv"
    with open(download.path(), "rb") as received:
        assert received.read() == csv_bytes(
            chart.data, [chart.title, chart.sentence, chart.caption]
        )
