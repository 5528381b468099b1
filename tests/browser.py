"""Helpers for tests in a real browser: start the app, open Chromium, wait until it is idle.

The app is started by `dashboard.serve` (shared with the benchmarks), in Debian's
/usr/bin/chromium through Playwright. Every wait goes through `wait_for_app`, never a fixed sleep.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# The server starter and the Chromium settings live in dashboard/serve.py, shared with bench/;
# they are re-exported here for the tests.
from dashboard.serve import CHROMIUM, CHROMIUM_ARGS, free_port, launch_chromium, running_app

__all__ = [
    "ARTIFACTS", "CHROMIUM", "CHROMIUM_ARGS", "ROOT", "chromium", "free_port", "next_frame",
    "running_app", "save_screenshot", "skip_reason", "wait_for_app", "wait_for_charts",
]  # fmt: skip

ROOT = Path(__file__).resolve().parents[1]
# Screenshots and other by-products of the browser tests (git-ignored).
ARTIFACTS = ROOT / "tests" / "artifacts"


def skip_reason() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        return f"no Chromium at {CHROMIUM}: install Debian's chromium (.ci/run does) to run these"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (it is in requirements-dev.txt)"
    return None


@contextmanager
def chromium() -> Iterator:
    """A headless Debian Chromium driven by Playwright (call only when skip_reason() is None)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            yield browser
        finally:
            browser.close()


def wait_for_app(page, timeout_ms: int = 30_000) -> None:
    """Wait until the app is connected, its script has finished and nothing is a placeholder."""
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=timeout_ms
    )
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout_ms
    )
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0",
        timeout=timeout_ms,
    )


def wait_for_charts(page, timeout_ms: int = 30_000) -> None:
    """Wait until every Plotly chart on the page has drawn its SVG (charts draw after the run)."""
    wait_for_app(page, timeout_ms)
    page.wait_for_function(
        """() => {
            const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
            return [...charts].every(c => c.querySelector('.main-svg'));
        }""",
        timeout=timeout_ms,
    )


def next_frame(page) -> None:
    """Wait until the browser has laid out and painted twice (after a resize, for instance)."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def save_screenshot(page, path: Path, *, full_page: bool = True) -> Path:
    """A PNG of the page. Streamlit scrolls inside its main element, not the document, so for a
    full-length picture the viewport is made as tall as the content for the shot (at most
    16,000 px) and then put back."""
    path.parent.mkdir(parents=True, exist_ok=True)
    viewport = page.viewport_size
    if full_page and viewport:
        height = page.evaluate(
            """() => Math.max(document.documentElement.scrollHeight,
                ...[...document.querySelectorAll('[data-testid="stMain"]')]
                    .map(e => e.scrollHeight))"""
        )
        page.set_viewport_size({"width": viewport["width"], "height": min(height, 16_000)})
        next_frame(page)
    try:
        page.screenshot(path=str(path))
    finally:
        if full_page and viewport:
            page.set_viewport_size(viewport)
    return path


if __name__ == "__main__":
    # `make test` prints this before running pytest, so a skipped browser suite is never silent.
    reason = skip_reason()
    if reason:
        print(f"browser tests: SKIPPED, {reason}")
    else:
        print(f"browser tests: run in {CHROMIUM} (screenshots go to {ARTIFACTS.relative_to(ROOT)})")
