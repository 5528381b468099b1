"""Share links, the sender's note, and the one-file HTML export (opened offline in Chromium)."""

import re
from html import escape
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


@pytest.fixture
def deferred():
    """The deferred downloads (``data=callable``) the app registers while AppTest runs it, by
    file name: the last registration of each."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    registered: dict[str, tuple] = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        file_id = original(self, data_callable, mimetype, coordinates, file_name, **kwargs)
        registered[file_name] = (self, file_id)
        return file_id

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(MediaFileManager, "add_deferred", add_deferred)
        yield registered


def click_download(registered: dict, file_name: str) -> bytes:
    """The file a click on a deferred download gets, made the way Streamlit's server makes it:
    its backend handler runs the callable in a worker thread, without the session's script
    context (st.session_state there is not the reader's)."""
    import asyncio

    from streamlit.proto.BackMsg_pb2 import BackendOperationRequest
    from streamlit.runtime.backend_operation_handler import DeferredFileHandler

    manager, file_id = registered[file_name]
    request = BackendOperationRequest(request_id="click")
    request.deferred_file.file_id = file_id
    response = asyncio.run(DeferredFileHandler(lambda: manager).handle(request, "session"))
    assert not response.error_msg, response.error_msg
    return manager._storage.get_file(response.deferred_file.url.rsplit("/", 1)[-1]).content


def test_the_export_made_on_click_has_the_note_as_text(deferred):
    """The HTML export is made when clicked, outside the reader's session: the note (and
    everything else) is taken while the page renders, so the file has it, escaped."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("streamlit_pages/prevalence.py")
    at.query_params["note"] = "<script>alert(1)</script> kijk naar mannen"
    at.run()
    assert not at.exception
    html = click_download(deferred, "rugzicht-prevalence.html").decode("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; kijk naar mannen" in html
    assert "<script>alert(1)" not in html
    assert html.count("<section") >= 1
    # A note typed in the share panel is the one exported.
    at.text_input(key="note").input("typed & sent").run()
    html = click_download(deferred, "rugzicht-prevalence.html").decode("utf-8")
    assert "typed &amp; sent" in html and "kijk naar mannen" not in html
    # Without a note, none.
    at.text_input(key="note").input("").run()
    html = click_download(deferred, "rugzicht-prevalence.html").decode("utf-8")
    assert "<blockquote>" not in html
    # A chart's CSV, also made on click, has its data.
    csv_name = next(name for name in deferred if name.endswith(".csv"))
    assert click_download(deferred, csv_name).decode("utf-8-sig").startswith("# ")


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


def test_export_and_csv_keep_each_charts_about_this_data_texts():
    """The long definitions and caveats moved from the captions into "About this data"
    expanders travel with their chart into the one-file export (folded, escaped)."""
    from dashboard.views import home_working

    view = home_working.view(home_working.Settings(), "en")
    notes = view.chart_notes
    assert set(notes) == {chart.name for chart in view.charts}
    assert all(notes[name] for name in notes)
    html = view_html(
        title="t",
        charts=list(view.charts),
        link="https://example.org/home-working",
        data_version="v",
        lang="en",
        labels={**LABELS, "about": "About this data"},
        about=notes,
    )
    assert html.count("<details><summary>About this data</summary>") == len(view.charts)
    first = next(iter(notes.values()))[0]
    assert escape(first) in html
