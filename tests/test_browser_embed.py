"""Embedding (README "Embedding"): the README's iframe snippet, put in a page on another origin,
shows the live view with its charts drawn and without the sidebar."""

from __future__ import annotations

import functools
import http.server
import re
import threading

import pytest

from dashboard.i18n import t
from tests.browser import (
    ROOT,
    free_port,
    running_app,
    skip_reason,
    wait_for_charts,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or ""),
]

README_ORIGIN = "https://stats.example.nl/rugzicht"


def readme_snippet() -> str:
    """The ```html block that follows the "embed example" marker in the README."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    marker = readme.index("<!-- embed example:")
    match = re.compile(r"```html\n(.*?)```", re.DOTALL).search(readme, marker)
    assert match, "no ```html block after the README's embed example marker"
    return match.group(1)


@pytest.fixture(scope="module")
def app_url():
    with running_app(extra_args=["--server.baseUrlPath", "rugzicht"]) as url:
        yield url


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


@pytest.fixture(scope="module")
def other_site(tmp_path_factory):
    """A static web server on another origin (another port), standing in for the clinic's
    website; yields (its folder, its base URL)."""
    folder = tmp_path_factory.mktemp("other_site")
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def host_page(folder, name: str, iframe: str, column_px: int) -> str:
    (folder / name).write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>Clinic</title></head>"
        f"<body><main style='width: {column_px}px'><h1>Our clinic</h1>"
        f"<p>How common back pain is:</p>{iframe}</main></body></html>",
        encoding="utf-8",
    )
    return name


def open_embedded(browser, site_url: str, page_name: str):
    """Open the host page; return (page, the iframe's frame) once the app in it has drawn."""
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(f"{site_url}/{page_name}")
    frame = page.locator("iframe").first.element_handle().content_frame()
    assert frame is not None
    wait_for_charts(frame)
    return page, frame


def test_the_readme_iframe_shows_the_view_with_charts_and_no_sidebar(app_url, browser, other_site):
    folder, site_url = other_site
    snippet = readme_snippet()
    assert f"{README_ORIGIN}/prevalence?embed=true" in snippet
    name = host_page(folder, "article.html", snippet.replace(README_ORIGIN, app_url), 760)
    page, frame = open_embedded(browser, site_url, name)
    try:
        assert page.get_by_role("heading", name="Our clinic").is_visible()
        # The frame really is the app, embedded, on another origin than the page around it.
        assert frame.url.startswith(f"{app_url}/prevalence?embed=true")
        assert not site_url.startswith(app_url.rsplit("/", 1)[0])
        app = frame.locator("[data-testid='stApp']")
        assert "streamlit-embedded" in (app.get_attribute("class") or "")
        assert frame.locator("[data-testid='stException']").count() == 0
        # Charts drawn, the view the link asks for (men, Dutch), no sidebar.
        charts = page.frame_locator("iframe").locator("[data-testid='stPlotlyChart']")
        assert charts.count() == 2  # drawn when the page opens; the others are folded
        assert all(charts.nth(i).locator(".main-svg").count() for i in range(2))
        assert charts.first.is_visible()
        main = frame.get_by_test_id("stMain").inner_text()
        assert frame.locator("h1").first.inner_text().strip() == t("prevalence.title", "nl")
        assert "871.200 mannen" in main  # 2018, men, with Dutch number formatting
        sidebar = frame.get_by_test_id("stSidebar")
        assert sidebar.count() == 0 or not sidebar.is_visible()
        # Streamlit's menu is left out when embedded.
        assert frame.get_by_test_id("stMainMenu").count() == 0
    finally:
        page.close()


def test_a_wide_iframe_shows_no_sidebar_and_a_way_out(app_url, browser, other_site):
    """Streamlit opens its sidebar in frames wider than 768 px; embedded, the app puts nothing in
    it (no language switch, navigation or share panel), so none is drawn at any width."""
    folder, site_url = other_site
    iframe = (
        f'<iframe title="Rugzicht" src="{app_url}/prevalence?embed=true&sex=men&lang=nl" '
        'width="1100" height="900" style="border: 0"></iframe>'
    )
    page, frame = open_embedded(browser, site_url, host_page(folder, "wide.html", iframe, 1120))
    try:
        assert frame.evaluate("window.innerWidth") > 768
        sidebar = frame.get_by_test_id("stSidebar")
        assert sidebar.count() == 0 or not sidebar.is_visible()
        assert frame.get_by_test_id("stSidebarNav").count() == 0
        # The view the link asks for, in its language; the share panel is not in the frame.
        assert frame.locator("h1").first.inner_text().strip() == t("prevalence.title", "nl")
        assert "871.200 mannen" in frame.get_by_test_id("stMain").inner_text()
        assert frame.get_by_text(t("share.button", "nl")).count() == 0
        # One way out: the same view full size, without the embed switch.
        out = frame.get_by_role("link", name=t("app.open_full_view", "nl"))
        href = out.get_attribute("href") or ""
        assert href.startswith(f"{app_url}/prevalence?lang=nl")
        assert "sex=men" in href
        assert "embed" not in href
        assert out.get_attribute("target") == "_blank"
    finally:
        page.close()
