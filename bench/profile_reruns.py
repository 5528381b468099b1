"""Where a rerun's server time goes: drive every filter in a browser against a server whose
script runs are profiled (bench/serve_profiled.py), then print each page's hot spots.

    python -m bench.profile_reruns [--reps 6] [--top 25] [--pages prevalence,outcomes]

Keeps <page>.pstats under bench/results/profile/ for ``python -m pstats`` or snakeviz. The
profiler slows the scripts down; read the shares, not the absolute seconds.
"""

from __future__ import annotations

import argparse
import io
import os
import pstats
import signal
import time
from pathlib import Path

from bench import browser_common as bc
from bench.results_io import RESULTS


def profile(reps: int, pages: list[str] | None, out: Path) -> list[str]:
    """Load each page, alternate each of its filters `reps` times; return the pages profiled."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.pstats"):
        old.unlink()
    (out / "dumped").unlink(missing_ok=True)
    widgets = [w for w in bc.dashboard_widgets() if not pages or w.page in pages]
    command = ["-m", "bench.serve_profiled", str(out), "run", "dashboard/app.py"]
    with bc.serve(command) as (base, proc), sync_playwright() as pw:
        browser = bc.launch(pw)
        for url_path, opens in dict.fromkeys((w.page, w.opens) for w in widgets):
            page = bc.new_page(browser)
            link = bc.page_url(base, url_path, {"open": opens} if opens else None)
            bc.timed_load(page, link, bc.expected_charts()[url_path])
            for widget in (w for w in widgets if (w.page, w.opens) == (url_path, opens)):
                for i in range(reps):
                    bc.timed_change(page, widget, widget.values[(i + 1) % 2])
            page.context.close()
        browser.close()
        os.kill(proc.pid, signal.SIGUSR1)
        deadline = time.monotonic() + 60
        while not (out / "dumped").exists():
            if time.monotonic() > deadline:
                raise TimeoutError("the profiled server wrote no statistics")
            time.sleep(0.2)
    return (out / "dumped").read_text().split(",")


def report(path: Path, top: int) -> str:
    """The `top` functions by cumulative time, then by own time, for one page's statistics."""
    text = io.StringIO()
    stats = pstats.Stats(str(path), stream=text).strip_dirs()
    print(f"===== {path.stem}: by cumulative time =====", file=text)
    stats.sort_stats("cumulative").print_stats(top)
    print(f"===== {path.stem}: by own time =====", file=text)
    stats.sort_stats("tottime").print_stats(top)
    return text.getvalue()


def main(argv: list[str] | None = None) -> None:
    """Command line: profile the reruns and print every page's hot spots."""
    parser = argparse.ArgumentParser(prog="python -m bench.profile_reruns", description=__doc__)
    parser.add_argument("--reps", type=int, default=6, help="changes per filter (6)")
    parser.add_argument("--top", type=int, default=25, help="functions listed per page (25)")
    parser.add_argument("--pages", default="", help="url paths, comma-separated (all)")
    args = parser.parse_args(argv)
    pages = [p.strip() for p in args.pages.split(",") if p.strip()] or None
    out = RESULTS / "profile"
    for name in profile(args.reps, pages, out):
        if (out / f"{name}.pstats").exists():
            print(report(out / f"{name}.pstats", args.top))


if __name__ == "__main__":
    main()
