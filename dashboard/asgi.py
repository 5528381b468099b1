"""The web server around the Streamlit app: link previews on Streamlit's own ASGI server.

`dashboard/app.py` ends in ``app = st.App(__file__, routes=routes(), middleware=middleware(),
lifespan=lifespan)``; ``streamlit run dashboard/app.py`` finds that `st.App` (Streamlit 1.57+)
and serves it with uvicorn, with the same config, flags and routes as before, plus:

- `PreviewTags`, a middleware that puts the Open Graph and Twitter tags of the view a link asks
  for (`dashboard.previews`) into the HTML Streamlit serves for a page path (``/``,
  ``/prevalence`` ...), so robots that do not run JavaScript get a real preview;
- ``/_preview/<page>.png``, the image those tags point to (under the base path);
- `ViewerMessages`, a middleware on the app's websocket that drops the messages no viewer may
  send (`BLOCKED_MESSAGES`: "clear cache", which would empty every viewer's caches at once;
  hiding the menu item does not stop a client from sending it).

Absolute URLs (og:url, og:image) start from `origin`: ``RUGZICHT_PUBLIC_URL`` when set, else the
request's scheme (uvicorn takes ``X-Forwarded-Proto`` from the addresses in
``FORWARDED_ALLOW_IPS``, by default 127.0.0.1) and ``Host`` header; ``X-Forwarded-Host`` and
``X-Forwarded-Proto`` are honoured only with ``RUGZICHT_TRUST_PROXY=1``, for a server that only
its proxy can reach.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
from contextlib import asynccontextmanager
from urllib.parse import parse_qs

from dashboard import previews

LOG = logging.getLogger(__name__)
# Seconds the first HTML may wait for a preview's words (a clinic page's first view builds the
# protected aggregates, which takes seconds): after that, the page's title and a generic summary.
TAGS_TIMEOUT = float(os.environ.get("RUGZICHT_PREVIEW_TAGS_TIMEOUT", "5"))
_HOST = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?)+(?::[0-9]{1,5})?$"
                   r"|^\[[0-9A-Fa-f:.]+\](?::[0-9]{1,5})?$")  # fmt: skip
_PUBLIC_URL = re.compile(r"^https?://[^/?#\s\"'<>]+$")


def base_path() -> str:
    """The server's base path as a prefix: '' or '/rugzicht'."""
    from streamlit import config

    base = (config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def _first(value: str | None) -> str:
    return (value or "").split(",")[0].strip()


def origin(scope) -> str:
    """``scheme://host[:port]`` that readers reach this server at (see the module's doc)."""
    public = os.environ.get("RUGZICHT_PUBLIC_URL", "").strip().rstrip("/")
    if public and _PUBLIC_URL.match(public):
        return public
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
    scheme = scope.get("scheme", "http")
    host = headers.get("host", "")
    if os.environ.get("RUGZICHT_TRUST_PROXY", "") in {"1", "true", "yes"}:
        scheme = _first(headers.get("x-forwarded-proto")) or scheme
        host = _first(headers.get("x-forwarded-host")) or host
    if scheme not in {"http", "https"}:
        scheme = "http"
    if not _HOST.match(host):
        server = scope.get("server") or ("localhost", None)
        host = f"{server[0]}:{server[1]}" if server[1] else str(server[0])
        host = host if _HOST.match(host) else "localhost"
    return f"{scheme}://{host}"


def _query(scope) -> dict[str, list[str]]:
    raw = scope.get("query_string", b"").decode("latin-1")
    try:
        return parse_qs(raw, keep_blank_values=True, max_num_fields=100)
    except ValueError:  # too many fields: read none of them
        return {}


def _page(scope) -> str | None:
    """The page a GET for Streamlit's HTML asks for, or None for every other request."""
    if scope["type"] != "http" or scope["method"] != "GET":
        return None
    base, path = base_path(), scope["path"]
    if base:
        if path != base and not path.startswith(f"{base}/"):
            return None
        path = path[len(base) :]
    if path not in {"", "/"} and path.endswith("/"):
        return None  # Streamlit redirects it to the path without the slash
    return previews.page_of(path)


async def _tags(link: previews.Link, scope) -> tuple[str, str]:
    """(the page title, the tags) of `link`; the generic ones when the preview is not ready
    within TAGS_TIMEOUT (it is still made, for the next request)."""
    from starlette.concurrency import run_in_threadpool

    where, base = origin(scope), base_path()
    work = asyncio.ensure_future(run_in_threadpool(previews.preview, link))
    try:
        shown = await asyncio.wait_for(asyncio.shield(work), TAGS_TIMEOUT)
    except Exception:  # noqa: BLE001 (slow or failed: the generic tags; logged below)
        if work.done() and work.exception() is not None:
            LOG.warning("preview failed", exc_info=work.exception())
        shown = previews.generic_preview(link)
    return shown.title, previews.meta_tags(link, where, base, shown)


class PreviewTags:
    """ASGI middleware: the preview's tags in the <head> of the HTML of every page path."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        page = _page(scope)
        if page is None:
            await self.app(scope, receive, send)
            return
        link = previews.read_link(page, _query(scope))
        title, tags = await _tags(link, scope)
        # Ask Streamlit for the whole, uncompressed file (no 304, no gzip) to write into.
        dropped = {b"accept-encoding", b"if-none-match", b"if-modified-since", b"range"}
        headers = [(k, v) for k, v in scope["headers"] if k.lower() not in dropped]
        start: dict = {}
        body: list[bytes] = []

        async def capture(message):
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                body.append(message.get("body", b""))

        await self.app({**scope, "headers": headers}, receive, capture)
        content = b"".join(body)
        response_headers = list(start.get("headers", []))
        kind = next((v for k, v in response_headers if k.lower() == b"content-type"), b"")
        if start.get("status") == 200 and kind.startswith(b"text/html"):
            content = inject(content.decode("utf-8"), title, tags, link.lang).encode("utf-8")
            stale = {b"content-length", b"etag", b"last-modified", b"content-encoding"}
            response_headers = [(k, v) for k, v in response_headers if k.lower() not in stale]
            response_headers.append((b"content-length", str(len(content)).encode()))
        await send({**start, "headers": response_headers})
        await send({"type": "http.response.body", "body": content})


def inject(page: str, title: str, tags: str, lang: str) -> str:
    """Streamlit's index.html with the view's title, language and preview tags (all escaped by
    their makers; `title` is escaped here)."""
    import html

    page = page.replace('<html lang="en">', f'<html lang="{html.escape(lang)}">', 1)
    found = re.search(r"<title>[^<]*</title>", page)
    block = f"<title>{html.escape(title)}</title>\n{tags}\n"
    if found:
        return page[: found.start()] + block + page[found.end() :]
    return page.replace("</head>", f"{block}</head>", 1)


async def preview_image(request):
    """``/_preview/<page>.png?<settings>&lang=..``: the view's PNG card (the generic card when
    the render does not finish in time)."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import Response

    page = request.path_params["page"]
    if page not in previews.TITLE_KEYS:
        return Response("not found", status_code=404, media_type="text/plain")
    query = {k: request.query_params.getlist(k) for k in request.query_params}
    link = previews.read_link(page, query)
    cache = "public, max-age=86400"
    work = asyncio.ensure_future(run_in_threadpool(previews.png, link))
    try:
        data = await asyncio.wait_for(asyncio.shield(work), previews.RENDER_TIMEOUT + 15)
    except Exception:  # noqa: BLE001 (slow or failed: the generic card, not cached long)
        LOG.warning("preview image for %s not ready", page, exc_info=True)
        shown = previews.generic_preview(link)
        data = await run_in_threadpool(previews.generic_card, shown, link.lang)
        cache = "no-cache"
    return Response(data, media_type="image/png", headers={"Cache-Control": cache})


def routes() -> list:
    """The image route, under the server's base path."""
    from starlette.routing import Route

    path = f"{base_path()}/{previews.IMAGE_PREFIX}/{{page}}.png"
    return [Route(path, preview_image, methods=["GET", "HEAD"], name="preview-image")]


# Messages from a browser that Streamlit would act on for the whole server, not one session:
# `clear_cache` empties every st.cache_data/st.cache_resource (every viewer's charts and the
# outcome aggregates), so anyone could make the server recompute everything at will.
BLOCKED_MESSAGES = frozenset({"clear_cache"})
# Set to 1 for a server whose caches a tool may clear (the load benchmark's heap figures).
ALLOW_CLEAR_CACHE = "RUGZICHT_ALLOW_CLEAR_CACHE"


def blocked(data: bytes | None) -> str | None:
    """The type of the BackMsg in a websocket frame when no viewer may send it, else None."""
    if not data or os.environ.get(ALLOW_CLEAR_CACHE) == "1":
        return None
    from streamlit.proto.BackMsg_pb2 import BackMsg

    message = BackMsg()
    try:
        message.ParseFromString(data)
    except Exception:  # noqa: BLE001 (not a BackMsg: Streamlit itself rejects it)
        return None
    kind = message.WhichOneof("type")
    return kind if kind in BLOCKED_MESSAGES else None


class ViewerMessages:
    """ASGI middleware: the app's websocket without the messages in BLOCKED_MESSAGES."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket":
            await self.app(scope, receive, send)
            return

        async def filtered():
            while True:
                message = await receive()
                kind = message["type"] == "websocket.receive" and blocked(message.get("bytes"))
                if not kind:
                    return message
                LOG.warning("dropped a %s message from a viewer's websocket", kind)

        await self.app(scope, filtered, send)


def middleware() -> list:
    from starlette.middleware import Middleware

    return [Middleware(PreviewTags), Middleware(ViewerMessages)]


@asynccontextmanager
async def lifespan(_app):
    """Close the preview renderer's browser when the server stops."""
    try:
        yield None
    finally:
        previews.RENDERER.close()
