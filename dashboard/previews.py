"""Link previews: what WhatsApp, e-mail and social media show for a shared Rugzicht link.

Their robots fetch the link without running JavaScript, so the first HTML answer has to carry
the preview: Open Graph tags (title, one-sentence summary, image, URL) and a PNG card of the
view's main chart. `dashboard/asgi.py` puts these into the HTML Streamlit serves and answers the
image URL; this module decides what they say, without a server:

- `read_link` reads a page path and query with the page's own declarations
  (`dashboard.params.PAGE_PARAMS`, `Param.read`), so an invalid value falls back to the default
  exactly as the page does. Only declared parameters and the language are read: the sender's
  ``note`` (and anything else) never reaches a tag or an image.
- `preview` makes the title, the summary and the main chart from the same pure view functions
  the pages render (`dashboard.views`). The clinic pages use only the protected aggregates
  (`analysis.clinic_view.public_outcomes`); a hidden selection (too few patients), a page
  without charts and the owner's page get a generic card.
- `png` renders the card, 1200x630 with the title and the source line on it: Plotly's static
  export (kaleido) in the Chromium that the browser tests use, one render at a time, with a
  timeout; a generic card (Pillow) when that fails. Both are cached per view and data version
  in bounded LRU caches.
- `meta_tags` writes the tags, every value escaped.
"""

from __future__ import annotations

import atexit
import html
import io
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

from analysis.metadata import DATA_VERSION
from dashboard.i18n import DEFAULT_LANG, LANGS, t
from dashboard.params import PAGE_PARAMS
from dashboard.site import PAGES
from dashboard.url_state import LANG

WIDTH, HEIGHT = 1200, 630
# The image route, under the server's base path: /_preview/<page>.png?<settings>&lang=..&v=..
IMAGE_PREFIX = "_preview"
SITE_NAME = "Rugzicht"
DEFAULT_PAGE = PAGES[0][1]
# Page url_path -> message key of its title (the same key its view's `title` comes from).
TITLE_KEYS = {
    "overview": "overview.title",
    "prevalence": "prevalence.title",
    "home-working": "nav.home_working",
    "outcomes": "outcomes.title",
    "patients": "patients.title",
    "sources": "sources.title",
    "clinic-data": "nav.clinic_data",
}
# Pages whose view shows the clinic's protected aggregates (their cache key holds the store's
# version, so an import or an undo shows in the next preview).
CLINIC_PAGES = frozenset({"outcomes", "patients"})
PRIVATE_PAGES = frozenset(path for _, path, _, section in PAGES if section != "public")

# Seconds one chart render may take before the generic card is served instead.
RENDER_TIMEOUT = float(os.environ.get("RUGZICHT_PREVIEW_TIMEOUT", "30"))
# The kept Chromium is closed after this many seconds without a render (memory for the app).
RENDERER_IDLE = float(os.environ.get("RUGZICHT_PREVIEW_IDLE", "300"))
CHROMIUM = os.environ.get("RUGZICHT_CHROMIUM", "/usr/bin/chromium")


@dataclass(frozen=True)
class Link:
    """What a link asks for, after the page's own checks: the page, its settings that differ
    from the defaults (typed values, in declaration order) and the language."""

    path: str
    settings: tuple[tuple[str, Any], ...] = ()
    lang: str = DEFAULT_LANG

    def query(self, *, version: bool = False) -> str:
        """The link's query string (settings, then the language), canonical: no note, nothing
        undeclared, values as the page writes them; with the data version when `version`."""
        params = PAGE_PARAMS.get(self.path, {})
        pairs = [(key, params[key].to_url(value)) for key, value in self.settings]
        pairs.append(("lang", self.lang))
        if version:
            pairs.append(("v", DATA_VERSION))
        return urlencode(pairs)

    def page_path(self) -> str:
        """The page's path under the base path ('' for the default page)."""
        return "" if self.path == DEFAULT_PAGE else self.path

    def image_path(self) -> str:
        """The image's path and query under the base path (absolute-path form, no host)."""
        return f"/{IMAGE_PREFIX}/{self.path}.png?{self.query(version=True)}"


def page_of(path: str) -> str | None:
    """The page url_path a request path (without the base path) names, or None."""
    name = path.strip("/")
    if not name:
        return DEFAULT_PAGE
    return name if name in TITLE_KEYS else None


def read_link(page: str, query: Mapping[str, list[str]]) -> Link:
    """The view a link to `page` with `query` (key -> every value) shows: each declared
    parameter read as the page reads it (the last value; invalid or missing -> the default,
    which is left out), the language from ``lang`` (invalid -> the default language)."""
    settings = []
    for key, param in PAGE_PARAMS.get(page, {}).items():
        values = query.get(key) or [None]
        value = param.read(values[-1])
        if value is not None and value != param.default:
            settings.append((key, value))
    lang = LANG.read((query.get("lang") or [None])[-1]) or DEFAULT_LANG
    return Link(page, tuple(settings), lang if lang in LANGS else DEFAULT_LANG)


@dataclass(frozen=True)
class Preview:
    """What a preview shows: the title, one sentence, the main chart (None: a generic card) and
    the source line printed under it."""

    title: str
    description: str
    chart: Any = None
    source: str = ""


# -- caches -------------------------------------------------------------------------------------

V = TypeVar("V")


class LRU:
    """A small thread-safe least-recently-used cache of at most `size` entries."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        # One lock per entry being made, so two requests for a new view make it once while
        # other views are made beside it.
        self._making: dict = {}

    def making(self, key: Hashable) -> threading.Lock:
        with self._lock:
            return self._making.setdefault(key, threading.Lock())

    def made(self, key: Hashable) -> None:
        with self._lock:
            self._making.pop(key, None)

    def get(self, key: Hashable) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            return None

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


PREVIEWS = LRU(256)  # small: words and a shared Chart
IMAGES = LRU(int(os.environ.get("RUGZICHT_PREVIEW_CACHE", "64")))  # PNGs of ~50-150 kB


def clinic_version() -> tuple:
    """Changes when the clinic's store changes (an import or an undo): the database file's
    size and modification time, or () while there is none (the demo)."""
    from analysis.clinic.store import default_db_path

    stamp: list = []
    for path in (default_db_path(), Path(f"{default_db_path()}.wal")):
        try:
            info = path.stat()
        except OSError:
            continue
        stamp += [info.st_size, info.st_mtime_ns]
    return tuple(stamp)


def version_of(link: Link) -> tuple:
    """The data a link's preview depends on: the package's version, and the clinic store's
    version for the clinic pages."""
    return (DATA_VERSION, clinic_version() if link.path in CLINIC_PAGES else ())


def _cached(cache: LRU, link: Link, make: Callable[[Link], V]) -> V:
    key = (link, version_of(link))
    found = cache.get(key)
    if found is None:
        with cache.making(key):
            found = cache.get(key)
            if found is None:
                try:
                    found = make(link)
                    cache.put(key, found)
                finally:
                    cache.made(key)
    return found


# -- what a preview says ------------------------------------------------------------------------


def preview(link: Link) -> Preview:
    """The preview of `link` (cached per view and data version)."""
    return _cached(PREVIEWS, link, make_preview)


def first_sentence(text: str) -> str:
    """The first sentence of `text` (up to the first '. ' that is not inside a number)."""
    match = re.search(r"^(.+?[.!?])(?:\s+[A-Z0-9‘“(]|$)", text.strip(), flags=re.S)
    return (match.group(1) if match else text).strip()


def source_line(caption: str, limit: int = 170) -> str:
    """The source part of a chart caption ('Source: ...' / 'Bronnen: ...', without the terms of
    reuse in brackets and without the caveats that follow), shortened to `limit` characters."""
    match = re.search(r"\b(Sources?|Bron(?:nen)?): (.*?)(?:\. (?:Caveats|Kanttekeningen):|$)",
                      caption, flags=re.S)  # fmt: skip
    if not match:
        return ""
    text = match.group(2)
    while re.search(r"\([^()]*\)", text):
        text = re.sub(r"\s*\([^()]*\)", "", text)
    text = re.sub(r"\s+", " ", text).strip().rstrip(".")
    line = f"{match.group(1)}: {text}"
    return line if len(line) <= limit else line[: limit - 1].rsplit(" ", 1)[0] + "…"


def _settings(link: Link):
    import importlib

    module = importlib.import_module(f"dashboard.views.{link.path.replace('-', '_')}")
    if link.path not in PAGE_PARAMS:
        return module, None
    return module, module.Settings(**dict(link.settings))


def generic_preview(link: Link, key: str = "previews.generic") -> Preview:
    """The page's title and a generic sentence (no chart)."""
    return Preview(t(TITLE_KEYS[link.path], link.lang), t(key, link.lang))


def make_preview(link: Link) -> Preview:
    """The title, summary and main chart of the view `link` asks for (uncached)."""
    lang = link.lang
    if link.path in PRIVATE_PAGES:
        return generic_preview(link, "previews.owner_only")
    if link.path == "overview":
        # No chart; its title and introduction do not depend on the clinic's records.
        return Preview(t("overview.title", lang), first_sentence(t("overview.intro", lang)))
    module, settings = _settings(link)
    if link.path == "prevalence":
        view = module.view(settings, lang)
    elif link.path == "home-working":
        view = module.view(settings, lang)  # the trend chart; never the clinic's intake
    elif link.path == "outcomes":
        result = module.public(settings)
        if result.n_patients is None:
            return generic_preview(link, "previews.hidden")
        view = module.view(settings, lang, result)
    elif link.path == "patients":
        result, everyone = module.public(settings)
        if result.n_patients is None:
            return generic_preview(link, "previews.hidden")
        view = module.view(settings, lang, result, everyone)
    elif link.path == "sources":
        view = module.view(lang)
    else:  # a page added to site.PAGES without a preview yet
        return generic_preview(link)
    if not view.charts:
        return Preview(view.title, first_sentence(view.intro) or t("previews.generic", lang))
    chart = view.charts[0]
    description = chart.sentence
    if link.path == "patients":
        # The answers as the chart's title and headings state them ("Demo data: ..." on the
        # demo), short enough for a link preview; its sentence gives both ranges as well.
        description = f"{chart.label}."
    if link.path == "outcomes" and result.verdicts:
        # What the page leads with: the verdicts on the website's claims and the conservative
        # figures they rest on (the chart's sentence gives the Kaplan-Meier estimate).
        from dashboard.words.outcomes import page_summary

        description = page_summary(result.verdicts, result.threshold, result.is_demo, lang)
    return Preview(view.title, description, chart, source_line(chart.caption))


# -- the tags -----------------------------------------------------------------------------------


def meta_tags(link: Link, origin: str, base_path: str = "", shown: Preview | None = None) -> str:
    """The Open Graph and Twitter tags of `link`'s preview (`shown`, by default `preview(link)`)
    for the page's <head>. `origin` is ``scheme://host[:port]`` and `base_path` the server's
    base path ('' or '/rugzicht'); every value is HTML-escaped (attributes in double quotes)."""
    shown = preview(link) if shown is None else shown
    page = link.page_path()
    url = f"{origin}{base_path}/{page}?{link.query()}"
    tags = [
        ("property", "og:type", "website"),
        ("property", "og:site_name", SITE_NAME),
        ("property", "og:locale", "nl_NL" if link.lang == "nl" else "en_GB"),
        ("property", "og:title", shown.title),
        ("property", "og:description", shown.description),
        ("property", "og:url", url),
        ("property", "og:image", f"{origin}{base_path}{link.image_path()}"),
        ("property", "og:image:type", "image/png"),
        ("property", "og:image:width", str(WIDTH)),
        ("property", "og:image:height", str(HEIGHT)),
        ("property", "og:image:alt", shown.description),
        ("name", "twitter:card", "summary_large_image"),
        ("name", "twitter:title", shown.title),
        ("name", "twitter:description", shown.description),
        ("name", "description", shown.description),
    ]
    lines = [f'<meta {kind}="{name}" content="{html.escape(value, quote=True)}">'
             for kind, name, value in tags]  # fmt: skip
    lines.append(f'<link rel="canonical" href="{html.escape(url, quote=True)}">')
    return "\n".join(lines)


# -- the image ----------------------------------------------------------------------------------


def png(link: Link) -> bytes:
    """The PNG card of `link` (cached per view and data version; rendered on first request)."""
    return _cached(IMAGES, link, make_png)


def make_png(link: Link) -> bytes:
    """Render `link`'s card: the main chart at 1200x630 with the title and the source line, or
    the generic card for a view without one (or when the chart cannot be rendered)."""
    shown = preview(link)
    if shown.chart is not None:
        try:
            return chart_card(shown, link.lang)
        except Exception:  # noqa: BLE001 (no browser, a timeout, a crash: the generic card)
            import logging

            logging.getLogger(__name__).warning("preview render failed", exc_info=True)
    return generic_card(shown, link.lang)


def chart_figure(chart, width: int, height: int):
    """A copy of `chart`'s figure at `width` x `height` without its title (the card prints it),
    keeping the room its notes above the plot need."""
    import plotly.graph_objects as go

    from dashboard.charts.common import title_margin

    fig = go.Figure(chart.figure)
    layout = fig.layout
    old_lines = (layout.title.text or "").count("<br>") + 1
    above = max(0, (layout.margin.t or 0) - title_margin(old_lines))  # notes above the plot
    fig.update_layout(
        width=width,
        height=height,
        title={"text": ""},
        margin={"l": 40, "r": 40, "t": above + 12, "b": (layout.margin.b or 10)},
        font={"size": 15},
    )
    return fig


_FONT_DIRS = ("/usr/share/fonts/truetype/liberation", "/usr/share/fonts/truetype/dejavu")


def _font(size: int, bold: bool = False):
    from PIL import ImageFont

    names = (
        ("LiberationSans-Bold.ttf", "DejaVuSans-Bold.ttf")
        if bold
        else ("LiberationSans-Regular.ttf", "DejaVuSans.ttf")
    )
    for folder in _FONT_DIRS:
        for name in names:
            path = Path(folder) / name
            if path.exists():
                return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def _wrap(draw, text: str, font, width: int, most: int) -> list[str]:
    """`text` in lines of at most `width` px, at most `most` lines (the last one cut short)."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and draw.textlength(candidate, font=font) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines = [*lines, line] if line else lines
    if len(lines) > most:
        last = lines[most - 1]
        while last and draw.textlength(f"{last} …", font=font) > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        lines = [*lines[: most - 1], f"{last} …"]
    return lines


MARGIN = 48
BLUE = "#0072B2"  # Okabe-Ito blue, as the charts


class _Card:
    """A white 1200x630 canvas with Rugzicht's band at the top and the data version and the
    source line at the bottom."""

    def __init__(self, lang: str, source: str = ""):
        from PIL import Image, ImageDraw

        self.image = Image.new("RGB", (WIDTH, HEIGHT), "white")
        self.draw = ImageDraw.Draw(self.image)
        self.draw.rectangle((0, 0, WIDTH, 10), fill=BLUE)
        small = _font(18)
        note = f"{SITE_NAME} · {t('previews.data_version', lang, version=DATA_VERSION)}"
        note_width = self.draw.textlength(note, font=small)
        self.draw.text((WIDTH - MARGIN - note_width, HEIGHT - 36), note, font=small, fill="#777777")
        if source:
            room = int(WIDTH - 2 * MARGIN - note_width - 24)
            line = _wrap(self.draw, source, small, room, 1)[0]
            self.draw.text((MARGIN, HEIGHT - 36), line, font=small, fill="#444444")
        self.bottom = HEIGHT - 48  # where the footer starts

    def text(self, y: int, text: str, size: int, most: int, bold=False, fill="#111111") -> int:
        """Write `text` from `y` down; return the y below it."""
        font = _font(size, bold)
        for line in _wrap(self.draw, text, font, WIDTH - 2 * MARGIN, most):
            self.draw.text((MARGIN, y), line, font=font, fill=fill)
            y += round(size * 1.25)
        return y

    def png(self) -> bytes:
        out = io.BytesIO()
        self.image.save(out, format="PNG", optimize=True)
        return out.getvalue()


def chart_card(shown: Preview, lang: str) -> bytes:
    """The view's title and its main chart's finding at the top, the chart (Plotly's static
    export) below, the source line and the data version at the bottom."""
    from PIL import Image

    card = _Card(lang, shown.source)
    y = card.text(26, shown.title, 34, 2, bold=True)
    y = card.text(y + 4, shown.chart.title, 22, 2, fill="#444444") + 6
    height = card.bottom - y
    chart = RENDERER.render(chart_figure(shown.chart, WIDTH, height), WIDTH, height)
    card.image.paste(Image.open(io.BytesIO(chart)).convert("RGB"), (0, y))
    return card.png()


def generic_card(shown: Preview, lang: str) -> bytes:
    """A 1200x630 PNG with the site's name, the view's title and its one sentence (no chart):
    for pages without charts, hidden clinic views, the owner's page and failed renders."""
    card = _Card(lang)
    card.draw.text((MARGIN, 64), SITE_NAME, font=_font(34, bold=True), fill=BLUE)
    y = card.text(130, shown.title, 54, 3, bold=True)
    card.text(y + 28, shown.description, 30, 5, fill="#333333")
    return card.png()


class Renderer:
    """Plotly's static export (kaleido 1.x) in Debian's Chromium, one render at a time. The
    browser is started on the first render, kept for the next ones and closed after
    `RENDERER_IDLE` seconds without one (and when the process ends)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._running = False

    def render(self, fig, width: int, height: int) -> bytes:
        import kaleido

        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            if not self._running:
                if "BROWSER_PATH" not in os.environ and Path(CHROMIUM).exists():
                    os.environ["BROWSER_PATH"] = CHROMIUM  # choreographer's documented setting
                # mathjax=False: no formulas, and no fetch of MathJax from a CDN.
                kaleido.start_sync_server(n=1, timeout=RENDER_TIMEOUT, mathjax=False,
                                          silence_warnings=True)  # fmt: skip
                self._running = True
            try:
                data = kaleido.calc_fig_sync(
                    fig, opts={"format": "png", "width": width, "height": height, "scale": 1}
                )
            except Exception:
                self._stop()  # a fresh browser next time
                raise
            self._timer = threading.Timer(RENDERER_IDLE, self.close)
            self._timer.daemon = True
            self._timer.start()
        if not data.startswith(b"\x89PNG"):
            raise ValueError("the renderer did not return a PNG")
        return data

    def _stop(self) -> None:
        if self._running:
            import kaleido

            self._running = False
            kaleido.stop_sync_server(silence_warnings=True)

    def close(self) -> None:
        """Close the browser (if it is open)."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            self._stop()


RENDERER = Renderer()
atexit.register(RENDERER.close)
