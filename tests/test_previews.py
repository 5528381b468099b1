"""Link previews (issue 14): what a robot that does not run JavaScript gets for a shared link.

A real server (`dashboard.serve`, the same ``streamlit run dashboard/app.py`` as `make dashboard`)
and a plain HTTP client: the first HTML carries the Open Graph tags of the view the link asks
for, in the link's language; every og:image answers with a 1200x630 PNG; hostile parameters and
the sender's note never reach the tags.
"""

from __future__ import annotations

import io
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from PIL import Image

from dashboard import previews
from dashboard.i18n import t
from dashboard.serve import running_app
from dashboard.views import prevalence

pytestmark = pytest.mark.timeout(300)


class Head(HTMLParser):
    """The <meta> tags (property or name -> content), <title> and canonical link of a page."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.title = ""
        self.canonical = ""
        self._in_title = False
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        found = dict(attrs)
        if tag == "meta" and ("property" in found or "name" in found):
            self.meta[found.get("property") or found["name"]] = found.get("content", "")
        elif tag == "link" and found.get("rel") == "canonical":
            self.canonical = found.get("href", "")
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def get(url: str, headers: dict | None = None) -> tuple[int, Any, bytes]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (local server)
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
        return response.status, response.headers, response.read()


def head_of(url: str, headers: dict | None = None) -> tuple[Head, str]:
    status, _, body = get(url, headers)
    assert status == 200
    text = body.decode("utf-8")
    parser = Head()
    parser.feed(text)
    return parser, text


def png_size(url: str) -> tuple[int, int]:
    status, headers, body = get(url)
    assert status == 200
    assert headers["Content-Type"] == "image/png"
    assert body.startswith(b"\x89PNG\r\n\x1a\n")
    return Image.open(io.BytesIO(body)).size


@pytest.fixture(scope="module")
def server():
    with running_app() as url:
        yield url


OG = ("og:title", "og:description", "og:image", "og:url", "twitter:card")


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize(
    ("path", "page"),
    [
        ("/", "overview"),
        ("/prevalence?sex=men", "prevalence"),
        ("/home-working?series=cbs", "home-working"),
        ("/outcomes?group=chronic", "outcomes"),
        ("/patients?group=acute&sex=women", "patients"),
        ("/sources", "sources"),
        ("/clinic-data", "clinic-data"),
    ],
)
def test_every_page_has_its_preview_tags_in_the_first_html(server, path, page, lang):
    url = f"{server}{path}{'&' if '?' in path else '?'}lang={lang}"
    head, _ = head_of(url)
    for key in OG:
        assert head.meta.get(key), f"{key} missing for {path}"
    assert head.meta["og:title"] == t(previews.TITLE_KEYS[page], lang)
    assert head.title == head.meta["og:title"]
    assert head.meta["twitter:card"] == "summary_large_image"
    origin = urlsplit(server)
    for key in ("og:url", "og:image"):
        parts = urlsplit(head.meta[key])
        assert (parts.scheme, parts.netloc) == (origin.scheme, origin.netloc), key
    assert f"lang={lang}" in head.meta["og:url"] and f"lang={lang}" in head.meta["og:image"]
    assert png_size(head.meta["og:image"]) == (previews.WIDTH, previews.HEIGHT)


def test_the_tags_describe_the_view_the_link_asks_for(server):
    for lang in ("en", "nl"):
        head, _ = head_of(f"{server}/prevalence?sex=men&lang={lang}")
        view = prevalence.view(prevalence.Settings(sex="men"), lang)
        assert head.meta["og:title"] == view.title
        assert head.meta["og:description"] == view.charts[0].sentence
        assert "sex=men" in head.meta["og:url"] and "sex=men" in head.meta["og:image"]
    women, _ = head_of(f"{server}/prevalence?sex=women&lang=en")
    assert (
        women.meta["og:description"]
        != head_of(f"{server}/prevalence?sex=men")[0].meta["og:description"]
    )


def test_an_outcomes_preview_carries_the_verdicts_and_their_conservative_figures():
    """The description leads with what the page leads with: each claim's verdict and the share
    of all episodes that started (those who stopped count as not responded), with its interval;
    not the higher Kaplan-Meier estimate of the chart's sentence. Demo data says so."""
    from dashboard.views import outcomes as page

    for lang in ("en", "nl"):
        link = previews.read_link("outcomes", {"lang": [lang]})
        shown = previews.make_preview(link)
        result = page.public(page.Settings())
        assert result.is_demo and shown.description.startswith(t("outcomes.demo_prefix", lang))
        assert len(result.verdicts) == 2
        for found in result.verdicts:
            share = found.all_started
            for value in (share.pct, share.low, share.high):
                assert f"{value:.0f}%" in shown.description
            assert f"{found.kaplan_meier.pct:.0f}%" not in shown.description
            assert t(f"outcomes.verdict.{found.verdict}", lang) in shown.description
        assert "**" not in shown.description
        assert shown.chart is not None and shown.chart.name == "outcomes_response_by_session"


def test_a_patients_preview_states_both_answers_as_the_chart_does_with_the_demo_label():
    """The description is the chart's title and heading, one answer each (the chart's sentence
    adds both ranges: too long for a preview), led by "Demo data:" on the demo."""
    from dashboard.views import patients as page

    for lang in ("en", "nl"):
        shown = previews.make_preview(previews.read_link("patients", {"lang": [lang]}))
        chart = page.view(page.Settings(), lang).charts[0]
        assert shown.chart is not None and shown.chart.name == chart.name
        assert shown.description == f"{chart.title}. {chart.headings[0]}."
        assert shown.description.startswith(t("patients.demo_prefix", lang))
        assert ("10th treatment" if lang == "en" else "10e behandeling") in shown.description


HOSTILE = [
    ("sex", "<script>alert(1)</script>"),
    ("lang", '"><img src=x onerror=alert(1)>'),
    ("measure", "'\"><svg/onload=alert(1)>"),
    ("catchment", '1"><meta http-equiv="refresh" content="0;url=//evil.example">'),
    ("note", 'SECRETNOTE <b>bold</b> "quoted"'),
    ("<script>", "x"),
]


def test_hostile_parameters_cannot_inject_markup_and_the_note_never_shows(server):
    query = urllib.parse.urlencode(HOSTILE)
    head, text = head_of(f"{server}/prevalence?{query}")
    assert "SECRETNOTE" not in text
    for needle in ("<script>alert", "<img src=x", "<svg", "evil.example", "onerror"):
        assert needle not in text
    # Nothing invalid was taken: the defaults, in English.
    assert head.meta["og:title"] == t("prevalence.title", "en")
    assert head.meta["og:url"].endswith("/prevalence?lang=en")
    assert head.tags.count("title") == 1
    assert png_size(head.meta["og:image"]) == (previews.WIDTH, previews.HEIGHT)
    # Straight at the image route too.
    assert png_size(f"{server}/_preview/prevalence.png?{query}") == (1200, 630)


def test_a_note_reaches_neither_the_tags_nor_the_image():
    plain = previews.read_link("patients", {"group": ["chronic"]})
    noted = previews.read_link("patients", {"group": ["chronic"], "note": ["voor Jan: kijk hier"]})
    assert plain == noted
    assert "Jan" not in previews.meta_tags(noted, "http://localhost:8501")


def test_the_image_route_refuses_other_paths(server):
    with pytest.raises(urllib.error.HTTPError) as error:
        get(f"{server}/_preview/..%2F..%2Fetc%2Fpasswd.png")
    assert error.value.code in {400, 404}
    with pytest.raises(urllib.error.HTTPError) as error:
        get(f"{server}/_preview/nosuchpage.png")
    assert error.value.code == 404


def test_a_forwarded_host_is_ignored_unless_trusted(server):
    forged = {"X-Forwarded-Host": "evil.example", "Host": "localhost"}
    head, _ = head_of(f"{server}/prevalence", forged)
    assert "evil.example" not in head.meta["og:url"] + head.meta["og:image"]
    hostile = {"Host": 'bad"host><script>'}
    head, text = head_of(f"{server}/prevalence", hostile)
    assert "host><script>" not in text and "bad" not in head.meta["og:url"]


def test_behind_a_trusted_proxy_the_urls_use_the_forwarded_host_and_the_base_path():
    env = {"RUGZICHT_TRUST_PROXY": "1"}
    with running_app(env, ["--server.baseUrlPath", "rugzicht"]) as url:
        proxied = {"X-Forwarded-Host": "stats.example.nl", "X-Forwarded-Proto": "https"}
        head, _ = head_of(f"{url}/outcomes?lang=nl", proxied)
        assert head.meta["og:url"] == "https://stats.example.nl/rugzicht/outcomes?lang=nl"
        image = head.meta["og:image"]
        assert image.startswith("https://stats.example.nl/rugzicht/_preview/outcomes.png?")
        # The same path answers on the server itself (the proxy only changes the host).
        local = url + image.removeprefix("https://stats.example.nl/rugzicht")
        assert png_size(local) == (1200, 630)
        root, _ = head_of(f"{url}/")
        assert root.meta["og:url"].startswith(f"{url}/?")


def test_hidden_clinic_views_and_pages_without_charts_get_a_generic_card():
    # A start year with no records: the selection is hidden, so nothing of it is shown.
    hidden = previews.preview(previews.read_link("outcomes", {"period": ["2001"]}))
    assert hidden.chart is None and hidden.description == t("previews.hidden", "en")
    owner = previews.preview(previews.read_link("clinic-data", {"lang": ["nl"]}))
    assert owner.chart is None and owner.description == t("previews.owner_only", "nl")
    card = previews.generic_card(owner, "nl")
    assert Image.open(io.BytesIO(card)).size == (1200, 630)


def test_links_are_read_as_the_pages_read_them():
    link = previews.read_link(
        "prevalence", {"sex": ["women", "men"], "year": ["2099"], "lang": ["nl"]}
    )
    assert link == previews.Link("prevalence", (("sex", "men"),), "nl")
    assert previews.page_of("/") == previews.DEFAULT_PAGE
    assert previews.page_of("/_stcore/health") is None
    assert previews.source_line("Counted. Source: RIVM, ‘Table’ (terms). Caveats: x.") == (
        "Source: RIVM, ‘Table’"
    )
