"""Helpers for tests in a real browser: start the app, open Chromium, wait until it is idle.

Uses Debian's /usr/bin/chromium through Playwright (a Playwright browser download does not work
on these machines). Every wait goes through `wait_for_app`, never a fixed sleep.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Screenshots and other by-products of the browser tests (git-ignored).
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = os.environ.get("RUGZICHT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def skip_reason() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        return f"no Chromium at {CHROMIUM}: install Debian's chromium (.ci/run does) to run these"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (it is in requirements-dev.txt)"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(
    command: Sequence[str],
    extra_env: dict[str, str] | None = None,
    extra_args: Sequence[str] = (),
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Start ``python <command> --server.port P ...`` from the project root (a Streamlit server)
    on a free port; yield (base URL, process) once its health check says ok.

    `extra_args` are added to the command line (they win over the defaults here); with
    ``--server.baseUrlPath P`` the base URL ends in ``/P``, so callers keep writing
    ``f"{url}/prevalence"``.
    """
    port = free_port()
    args = list(extra_args)
    base_path = ""
    if "--server.baseUrlPath" in args:
        base_path = args[args.index("--server.baseUrlPath") + 1].strip("/")
    # The server's output goes to a file, not a pipe: a pipe nobody reads fills up and stalls
    # the server during a long test module.
    log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (closed in finally)
    proc = subprocess.Popen(  # noqa: S603 (our own command line)
        [
            sys.executable, *command,
            "--server.port", str(port), "--server.headless", "true",
            "--browser.gatherUsageStats", "false", *args,
        ],
        cwd=ROOT, env={**os.environ, **(extra_env or {})},
        stdout=log, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    base = f"http://localhost:{port}" + (f"/{base_path}" if base_path else "")
    try:
        deadline = time.monotonic() + 60
        while not healthy(base):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                proc.wait()
                log.seek(0)
                raise RuntimeError(f"{' '.join(command)} did not start on {base}:\n{log.read()}")
            time.sleep(0.2)
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def healthy(base: str) -> bool:
    """Whether the server at `base` answers Streamlit's health check."""
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:  # noqa: S310
            return response.read() == b"ok"
    except OSError:
        return False


@contextmanager
def running_app(
    extra_env: dict[str, str] | None = None, extra_args: Sequence[str] = ()
) -> Iterator[str]:
    """Serve dashboard/app.py with the project's config on a free port; yield its base URL."""
    command = ["-m", "streamlit", "run", "dashboard/app.py"]
    with serve(command, extra_env, extra_args) as (base, _):
        yield base


@contextmanager
def chromium() -> Iterator:
    """A headless Debian Chromium driven by Playwright (call only when skip_reason() is None)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
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
