"""Cold open (issue 14): how long the first open of each dashboard page takes as a person sees
it, against a blank app with one segmented control and one small Plotly chart measured the same
way in the same run: from navigation start to the moment the page has not changed for 600 ms
(DOM mutations), with the script run finished and every expected chart drawn.

Every load is in a fresh browser context (empty cache, new Streamlit session), so it is cold
for the browser; the servers are warm, because each page (and the blank app) is loaded once
and discarded first. The very first load of each fresh server is reported on its own.

    python -m bench.cold_open [--reps 7] [--pages prevalence,outcomes] [--quick]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from bench import browser_common as bc
from bench.results_io import Figure, record
from dashboard.serve import running_app

TARGET_RATIO = 1.2
BLANK = "blank"


def load_once(browser, url: str, charts: int, timing: bc.TimingLog | None) -> tuple[dict, list]:
    """One cold load in a fresh context: (bc.load's result, the server's script-run entries)."""
    page = bc.new_page(browser)
    mark = timing.mark() if timing else 0
    try:
        measured = bc.load_settled(page, url, charts)
        found = bc.problems(page)
        if found:
            raise RuntimeError(f"{url}: {', '.join(found)}")
    finally:
        page.context.close()
    return measured, timing.since(mark) if timing else []


def measure(reps: int, pages: list[str]) -> tuple[list[Figure], dict]:
    """Run the loads; return the figures and the settings they were measured with."""
    from playwright.sync_api import sync_playwright

    expected = bc.expected_charts()
    unknown = [p for p in pages if p not in expected]
    if unknown:
        raise SystemExit(f"unknown page(s) {unknown}; choose from {sorted(expected)}")
    # A yardstick, not the target's baseline: the blank app with as many charts as the page
    # that draws the most.
    many = max(expected[name] for name in pages)
    blank_many = f"blank, {many} charts"
    targets = [BLANK, *([blank_many] if many > 1 else []), *pages]
    loads: dict[str, list[dict]] = {name: [] for name in targets}
    script: dict[str, list[float]] = {name: [] for name in pages}
    first: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        timing = bc.TimingLog(Path(tmp))
        with (
            running_app(extra_env=timing.env) as app,
            bc.blank_app() as (blank, _),
            sync_playwright() as pw,
        ):
            browser = bc.launch(pw)

            def url(name: str) -> str:
                if name == BLANK:
                    return blank
                if name == blank_many:
                    return f"{blank}/?charts={many}"
                return bc.page_url(app, "" if name == "overview" else name)

            def charts(name: str) -> int:
                return {BLANK: 1, blank_many: many}.get(name) or expected[name]

            # The first load of each fresh server, then one discarded warm-up load per page.
            first[BLANK] = load_once(browser, url(BLANK), 1, None)[0]
            first[pages[0]], entries = load_once(browser, url(pages[0]), charts(pages[0]), timing)
            first_script = sum(e["seconds"] for e in entries)
            for name in [t for t in targets if t not in (BLANK, pages[0])]:
                load_once(browser, url(name), charts(name), timing)
            for rep in range(reps):
                # Rotate the order so slow drift on a shared machine does not favour one page.
                shift = rep % len(targets)
                for name in targets[shift:] + targets[:shift]:
                    measured, entries = load_once(browser, url(name), charts(name), timing)
                    loads[name].append(measured)
                    if name in script:
                        script[name].extend(e["seconds"] for e in entries)
            browser.close()

    def seconds(name: str) -> list[float]:
        return [m["seconds"] for m in loads[name]]

    blank_median = statistics.median(seconds(BLANK))
    figures = [
        Figure(f"first load, fresh server: {pages[0]}", first[pages[0]]["seconds"], "s",
               detail={"server_script_s": round(first_script, 4), "charts": charts(pages[0]),
                       "phases_ms": first[pages[0]]["phases"]}),
        Figure("first load, fresh server: blank app", first[BLANK]["seconds"], "s",
               detail={"phases_ms": first[BLANK]["phases"]}),
        Figure("blank app: median load", blank_median, "s",
               detail={**bc.summary(seconds(BLANK)), "phases_ms": bc.phase_medians(loads[BLANK])}),
    ]  # fmt: skip
    if many > 1:
        figures.append(
            Figure(f"blank app, {many} charts: median load", statistics.median(seconds(blank_many)),
                   "s", detail={**bc.summary(seconds(blank_many)),
                                "phases_ms": bc.phase_medians(loads[blank_many])})
        )  # fmt: skip
    for name in pages:
        median = statistics.median(seconds(name))
        ratio = median / blank_median
        detail = {
            **bc.summary(seconds(name)),
            "charts": expected[name],
            **(
                {
                    f"ratio_to_blank_{many}_charts": round(
                        median / statistics.median(seconds(blank_many)), 3
                    )
                }
                if many > 1
                else {}
            ),
            "phases_ms": bc.phase_medians(loads[name]),
            "server_script_s": bc.summary(script[name]),
        }
        figures.append(Figure(f"{name}: median load", median, "s", detail=detail))
        figures.append(
            Figure(
                f"{name}: ratio to blank",
                ratio,
                "x",
                target=f"<= {TARGET_RATIO} x blank median",
                met=ratio <= TARGET_RATIO,
            )
        )
    settings = {
        "reps": reps,
        "pages": pages,
        "browser": "one headless Chromium; a fresh context (cold cache, new session) per load",
        "server": (
            "warm: after the first load of a fresh server (reported on its own), one discarded "
            "load of every page before the measured ones"
        ),
        "timed": (
            f"navigation start to the page's last DOM change (nodes, attributes, text) once it "
            f"has not changed for {bc.QUIET_MS} ms, with the script run finished, no skeleton "
            f"and every expected chart drawn"
        ),
        "baseline": "bench/blank_app.py: one segmented control and one small Plotly chart",
        "phases_ms": (
            "medians on the page's clock from navigation start: dom_ready (HTML and Streamlit's "
            "scripts), running (first script state 'running' seen), not_running (run finished), "
            "settled (the last change)"
        ),
        "expected_charts": {name: expected[name] for name in pages},
    }
    return figures, settings


def main(argv: list[str] | None = None) -> Path:
    """Command line: measure, print the table, write bench/results/cold_open.json."""
    from dashboard.site import PAGES

    all_pages = [url_path for _, url_path, _, _ in PAGES]
    parser = argparse.ArgumentParser(prog="python -m bench.cold_open", description=__doc__)
    parser.add_argument("--reps", type=int, default=7, help="measured loads per page (7)")
    parser.add_argument("--pages", default=",".join(all_pages), help="url paths, comma-separated")
    parser.add_argument("--quick", action="store_true", help="2 reps: a smoke run of ~1 min")
    args = parser.parse_args(argv)
    reps = 2 if args.quick else args.reps
    pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    print(
        "cold open: fresh browser context per load; servers warmed by one discarded load per "
        f"page ({reps} reps x {len(pages)} pages + blank app)",
        flush=True,
    )
    figures, settings = measure(reps, pages)
    return record("cold_open", figures, settings)


if __name__ == "__main__":
    main()
