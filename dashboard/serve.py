"""Start the dashboard (or another Streamlit script) on a free port and wait until it is healthy;
stop it afterwards. With the headless Chromium settings that the browser tests and the
benchmarks open it in (one place for both; neither imports the other).
"""

from __future__ import annotations

import os
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
APP = "dashboard/app.py"

# Debian's Chromium, driven by Playwright (a Playwright browser download does not work on these
# machines), and the flags it needs to run headless in a container.
CHROMIUM = os.environ.get("RUGZICHT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def launch_chromium(playwright):
    """Debian's Chromium, headless, with the flags above (`playwright`: a sync_playwright())."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


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
    command = ["-m", "streamlit", "run", APP]
    with serve(command, extra_env, extra_args) as (base, _):
        yield base
