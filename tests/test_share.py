"""Share links, the sender's note, and the one-file HTML export (opened offline in Chromium)."""

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis import data
from dashboard import url_state
from dashboard.export import view_html
from dashboard.share import share_link
from dashboard.views import prevalence
from tests.browser import CHROMIUM, CHROMIUM_ARGS, skip_reason

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")
LABELS = {
    "note": "Note from the sender",
    "version": "Data version",
    "link": "Live view",
    "sources": "Sources.",
}


def test_share_link_is_stable_and_ends_with_the_version():
    params = {"v": ["2026.11.24"], "sex": ["men"], "lang": ["nl"], "note": ["kijk hier"]}
    link = share_link(
        "https://example.org/prevalence", "prevalence", params, order=("lang", "sex", "note")
    )
    assert link == "https://example.org/prevalence?lang=nl&sex=men&note=kijk+hier&v=2026.11.24"
    assert share_link(None, "outcomes", {}) == "/outcomes"


@pytest.mark.parametrize(
    ("raw", "ok"),
    [
        ("kijk naar vrouwen 45-54", True),
        ("x" * 200, True),
        ("x" * 201, False),
        ("a\nb", False),
        ("", False),
    ],
)
def test_note_is_short_plain_text(raw, ok):
    assert (url_state.NOTE.read(raw) is not None) is ok


def test_note_is_shown_as_text_and_kept_in_the_link():
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("streamlit_pages/prevalence.py")
    at.query_params["note"] = "<script>alert(1)</script> kijk naar mannen"
    at.query_params["sex"] = "men"
    at.run()
    assert not at.exception
    assert [t.value for t in at.text] == ["<script>alert(1)</script> kijk naar mannen"]
    link = at.code[0].value
    assert link.startswith("/prevalence?sex=men&note=%3Cscript%3E")
    assert link.endswith("&v=" + data.descriptor()["version"])


def test_an_overlong_note_is_dropped_with_a_notice():
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("streamlit_pages/prevalence.py")
    at.query_params["note"] = "x" * 500
    at.run()
    assert not at.text
    assert any("“note” was not valid" in i.value for i in at.info)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    built = list(prevalence.view(prevalence.Settings(sex="women"), "en").charts[:2])
    html = view_html(
        title="Prevalence <by> sex",
        charts=built,
        link="https://example.org/prevalence?sex=women&v=2026.11.24",
        data_version="2026.11.24",
        lang="en",
        note='<img src=x onerror="alert(1)"> look here',
        labels=LABELS,
    )
    path = tmp_path_factory.mktemp("export") / "view.html"
    path.write_text(html, encoding="utf-8")
    return built, html, path


def test_export_is_self_contained_and_escaped(exported):
    built, html, _ = exported
    assert html.count("<script") >= len(built)
    assert not re.search(r"<script[^>]+src=", html), "no external scripts: it must open offline"
    assert "&lt;img src=x onerror=" in html and "<img src=x" not in html
    assert "Prevalence &lt;by&gt; sex" in html
    for chart in built:
        assert chart.sentence.replace("'", "&#x27;") in html
    assert 'href="https://example.org/prevalence?sex=women&amp;v=2026.11.24"' in html


@pytest.mark.browser
@pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")
def test_export_opens_from_file_and_draws_charts_offline(exported):
    from playwright.sync_api import sync_playwright

    built, _, path = exported
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context()
        context.set_offline(True)
        page = context.new_page()
        dialogs = []
        page.on("dialog", lambda d: dialogs.append(d.message))
        page.goto(path.as_uri())
        page.wait_for_function(
            f"document.querySelectorAll('.main-svg').length >= {len(built)}", timeout=20_000
        )
        assert page.locator("img[src='x']").count() == 0
        assert not dialogs
        browser.close()
