"""Run Streamlit's CLI in this process with every script run profiled (cProfile), per page.

    python -m bench.serve_profiled <dir> run dashboard/app.py [streamlit options]

cProfile only sees the thread it is enabled in, and each script run has its own thread, so
the profiler is switched on around the run by replacing ``dashboard.timing.script_run`` (which
app.py wraps every run in) before the app first imports it; the files are not changed. On
SIGUSR1 the accumulated statistics are written to <dir>/<page>.pstats (one file per page).
Profiling slows the scripts down: use it to see where the time goes, not how much there is.
"""

from __future__ import annotations

import cProfile
import pstats
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

_LOCK = threading.Lock()
_STATS: dict[str, pstats.Stats] = {}


def _install(directory: Path) -> None:
    """Profile every script run from now on; dump the statistics to `directory` on SIGUSR1."""
    from dashboard import timing

    original = timing.script_run

    @contextmanager
    def profiled(page: dict):
        profile = cProfile.Profile()
        with original(page):
            profile.enable()
            try:
                yield
            finally:
                profile.disable()
        name = page.get("path") or "overview"
        with _LOCK:
            if name in _STATS:
                _STATS[name].add(profile)
            else:
                _STATS[name] = pstats.Stats(profile)

    def dump(*_) -> None:
        with _LOCK:
            for name, stats in _STATS.items():
                stats.dump_stats(directory / f"{name}.pstats")
            (directory / "dumped").write_text(",".join(sorted(_STATS)))

    timing.script_run = profiled
    signal.signal(signal.SIGUSR1, dump)


def main() -> None:
    """Install the profiler, then run Streamlit's CLI with the remaining arguments."""
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    directory = Path(sys.argv[1])
    directory.mkdir(parents=True, exist_ok=True)
    _install(directory)

    from streamlit.web import cli

    sys.argv = ["streamlit", *sys.argv[2:]]
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main()
