"""Links nobody should have sent, in a real browser: garbage and script in the URL, and a viewer
guessing at the owner's pages.

The app runs as the owner would run it: the clinic's records imported into its own database and
an owner password configured, so the owner area exists and only the sign-in stands before it.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from urllib.parse import unquote, urlencode

import pytest

from dashboard import url_state
from dashboard.auth import hash_password
from dashboard.i18n import t
from dashboard.params import PAGE_PARAMS
from dashboard.site import PAGES
from tests.browser import (
    ROOT,
    next_frame,
    running_app,
    skip_reason,
    wait_for_app,
    wait_for_charts,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or ""),
]

DEMO_EXPORT = ROOT / "data" / "demo" / "clinic_visits_demo.csv"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
LONG = "x" * 5000
PATHS = {url_path: ("" if index == 0 else url_path) for index, (_, url_path, _, _) in
         enumerate(PAGES)}  # fmt: skip

# Anything the page's DOM holds that a URL could have injected.
INJECTED = """() => {
    const found = [];
    for (const s of document.querySelectorAll('script'))
        if (s.textContent.includes('alert(')) found.push('a <script> with alert(');
    for (const e of document.querySelectorAll('*'))
        for (const a of e.attributes)
            if (a.name.startsWith('on') && a.value.includes('alert('))
                found.push(`<${e.tagName.toLowerCase()} ${a.name}>`);
    if (document.querySelector('img[src="x"]')) found.push('<img src=x>');
    return found;
}"""


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    """The app with the demo export imported as if it were the clinic's own records, and an
    owner password (that no test knows) configured."""
    var = tmp_path_factory.mktemp("var")
    env = {
        "RUGZICHT_DB": str(var / "clinic.duckdb"),
        "RUGZICHT_SECRET_FILE": str(var / "clinic_secret"),
        "RUGZICHT_OWNER_PASSWORD_HASH": hash_password(secrets.token_urlsafe(16)),
    }
    subprocess.run(
        [sys.executable, "-m", "analysis.clinic", "import", str(DEMO_EXPORT)],
        cwd=ROOT, env={**os.environ, **env}, check=True, capture_output=True,
        timeout=120,
    )  # fmt: skip
    with running_app(extra_env=env) as url:
        yield url


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies, no session) whose JS dialogs are recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.dialogs = []

    def record(dialog):
        page.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", record)
    yield page
    context.close()


def view(page) -> dict:
    """What defines the view a page shows: its heading, metrics and charts' text alternatives
    (these name the selected sex, year, measure ... in their sentences)."""
    return {
        "heading": page.locator("h1").first.inner_text().strip(),
        "metrics": page.get_by_test_id("stMetricValue").all_inner_texts(),
        "charts": [
            chart.get_attribute("aria-label")
            for chart in page.get_by_test_id("stPlotlyChart").all()
        ],
    }


def assert_no_error_and_nothing_injected(page) -> None:
    next_frame(page)  # let any injected onerror handler run before looking
    assert page.locator("[data-testid='stException']").count() == 0
    assert "encountered an error" not in page.inner_text("body")
    assert page.evaluate(INJECTED) == []
    assert page.dialogs == []


_clean_views: dict[str, dict] = {}


def clean_view(browser, app_url: str, url_path: str) -> dict:
    """The page's default view (its link without parameters), opened once per page."""
    if url_path not in _clean_views:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        clean = context.new_page()
        clean.goto(f"{app_url}/{PATHS[url_path]}")
        wait_for_charts(clean)
        _clean_views[url_path] = view(clean)
        context.close()
    return _clean_views[url_path]


def garbage(url_path: str) -> dict[str, list[tuple[str, str]]]:
    """Bad links for a page; on pages without settings, year and sex are unknown keys there."""
    keys = list(PAGE_PARAMS.get(url_path, {})) or ["year", "sex"]
    return {
        "unknown keys and wrong types": [(key, "12abc") for key in keys]
        + [("lang", "xx"), ("v", "yesterday"), ("utm_source", "newsletter"), ("owner", "1")],
        "5000 characters": [(key, LONG) for key in keys] + [("q", LONG)],
        "script and img onerror": [(key, SCRIPT if i % 2 else IMG) for i, key in enumerate(keys)]
        + [("x", IMG), ("y", SCRIPT), (SCRIPT, "1"), (IMG, "1")],
    }


CASES = [(url_path, case) for url_path in PATHS for case in garbage(url_path)]


@pytest.mark.parametrize(("url_path", "case"), CASES, ids=[f"{p}-{c}" for p, c in CASES])
def test_a_garbage_link_shows_the_default_view_with_a_notice(
    app_url, browser, page, url_path, case
):
    pairs = garbage(url_path)[case]
    page.goto(f"{app_url}/{PATHS[url_path]}?{urlencode(pairs)}")
    wait_for_charts(page)
    assert_no_error_and_nothing_injected(page)
    assert view(page) == clean_view(browser, app_url, url_path)
    # The notices the app promises for exactly these keys, in plain text.
    raw: dict[str, list[str]] = {}
    for key, value in pairs:
        raw.setdefault(key, []).append(value)
    allowed = url_state.GLOBAL_PARAMS | PAGE_PARAMS.get(url_path, {})
    expected = url_state.notices(url_state.review(raw, allowed), "en")
    assert expected, "every case should give a notice"
    main = page.get_by_test_id("stMain").inner_text()
    for notice in expected:
        assert notice in main, notice
    # What was dropped is gone from the address bar, so a re-shared link is clean.
    address = unquote(page.url)
    assert "alert(" not in address and LONG not in address and "12abc" not in address


@pytest.mark.parametrize("note", [SCRIPT, IMG])
def test_a_note_with_markup_is_shown_as_plain_text(app_url, page, note):
    page.goto(f"{app_url}/prevalence?{urlencode({'note': note, 'sex': 'men'})}")
    wait_for_charts(page)
    assert_no_error_and_nothing_injected(page)
    assert note in page.get_by_test_id("stMain").inner_text()


GUESSES = [
    *[f"/{path}" for path in PATHS.values()],
    "/clinic-data?owner=1",
    "/clinic-data?admin=true&signed_in=1&_owner_signed_in=true",
    "/outcomes?admin=true",
    "/outcomes?patient=DEMO-0001",
    "/clinic_data",
    "/admin",
    "/upload",
]
UNDO = re.compile(
    "|".join(re.escape(t("owner.undo", lang, import_id="")).strip() for lang in ("en", "nl"))
)
PSEUDONYM = re.compile(r"DEMO-\d{4}|\b[0-9a-f]{16,}\b")


@pytest.mark.parametrize("path", GUESSES)
def test_a_viewer_never_gets_an_upload_an_undo_or_a_pseudonym(app_url, page, path):
    page.goto(app_url + path)
    wait_for_app(page)
    assert_no_error_and_nothing_injected(page)
    assert page.locator("input[type=file]").count() == 0
    assert page.get_by_test_id("stFileUploader").count() == 0
    assert page.get_by_role("button", name=UNDO).count() == 0
    text = page.inner_text("body")
    assert not PSEUDONYM.search(text), PSEUDONYM.search(text)
    # Not in the markup either (hex is left out here: download links carry content hashes).
    assert not re.search(r"DEMO-\d{4}", page.content())
    if path.startswith("/clinic-data"):
        # The owner area exists here, behind its sign-in; nothing of it shows before that.
        assert page.get_by_label(t("owner.password", "en")).count() == 1
        assert t("owner.history", "en") not in text
        assert page.get_by_test_id("stDataFrame").count() == 0
