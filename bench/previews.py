"""Link previews: how long a preview robot waits for the first HTML with the Open Graph tags,
against Streamlit's plain index in the same run, and how long the PNG card takes to render
(cold: the first render starts Chromium; a new view with the browser open; cached).

    python -m bench.previews [--reps 20] [--quick]

One server (`dashboard.serve.running_app`, the same ``streamlit run dashboard/app.py`` as
`make dashboard`), a plain HTTP client (urllib), no browser. The plain index is the HTML that
Streamlit serves for a path that is no page (the middleware leaves it alone).
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
import urllib.request

from bench.results_io import Figure, record
from dashboard.serve import running_app

# A view per kind of page: national figures, the clinic's protected aggregates, no chart.
HTML_VIEWS = ("/prevalence?sex=men&lang=nl", "/outcomes?group=chronic&lang=en", "/sources")
IMAGE_VIEWS = ("/prevalence?sex=men&lang=nl", "/home-working?series=cbs&lang=en")


def fetch(url: str) -> tuple[float, bytes]:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=180) as response:  # noqa: S310 (local server)
        body = response.read()
    return time.perf_counter() - start, body


def image_url(body: bytes) -> str:
    found = re.search(rb'<meta property="og:image" content="([^"]+)"', body)
    if not found:
        raise RuntimeError("no og:image in the HTML")
    return found.group(1).decode().replace("&amp;", "&")


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="5 repetitions")
    args = parser.parse_args(argv)
    reps = 5 if args.quick else args.reps
    figures: list[Figure] = []
    with running_app() as url:
        fetch(f"{url}/_bench_no_such_page")  # the static files' first read
        plain = [fetch(f"{url}/_bench_no_such_page")[0] for _ in range(reps)]
        cold = {}
        for view in HTML_VIEWS:
            cold[view], body = fetch(url + view)
            assert b'property="og:title"' in body, view
        warm = [fetch(url + view)[0] for _ in range(reps) for view in HTML_VIEWS]
        images = {}
        for view in IMAGE_VIEWS:
            _, body = fetch(url + view)
            images[view] = image_url(body)
        first, png = fetch(images[IMAGE_VIEWS[0]])  # starts the renderer's Chromium
        assert png.startswith(b"\x89PNG"), "no PNG"
        second, _ = fetch(images[IMAGE_VIEWS[1]])  # a new view, browser open
        cached = [fetch(images[IMAGE_VIEWS[0]])[0] for _ in range(reps)]

    plain_p50, warm_p50 = statistics.median(plain), statistics.median(warm)
    overhead = (warm_p50 - plain_p50) * 1000
    figures += [
        Figure("plain Streamlit index p50", plain_p50 * 1000, "ms"),
        Figure("HTML with tags p50 (view cached)", warm_p50 * 1000, "ms",
               detail={"p95_ms": p(warm, 0.95) * 1000, "views": list(HTML_VIEWS)}),
        Figure("tags overhead vs plain index", overhead, "ms", "<= 50 ms", overhead <= 50),
    ]  # fmt: skip
    for view, seconds in cold.items():
        page = view.split("?")[0].strip("/")
        figures.append(
            Figure(
                f"first HTML with tags, {page} (view built)", seconds, "s", "<= 5 s", seconds <= 5
            )  # fmt: skip
        )
    cached_p50 = statistics.median(cached) * 1000
    figures += [
        Figure("PNG cold (starts Chromium)", first, "s", "<= 15 s", first <= 15),
        Figure("PNG new view, renderer warm", second, "s", "<= 5 s", second <= 5),
        Figure("PNG cached p50", cached_p50, "ms", "<= 50 ms", cached_p50 <= 50),
        Figure("PNG size", len(png) / 1024, "kB"),
    ]
    record("previews", figures, {"reps": reps, "html_views": list(HTML_VIEWS)})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
