"""Server-side script timing for the benchmarks: when RUGZICHT_TIMING_LOG names a file, every
script run appends one JSON line (page, seconds, and whether it was a page's fragment rerun rather
than a full run of the app). Off (and free) otherwise."""

from __future__ import annotations

import json
import os
import threading
import time
from contextlib import contextmanager

_LOCK = threading.Lock()


@contextmanager
def script_run(page: dict):
    """Time the body; `page["path"]` may be filled in while it runs (the page is known late)."""
    target = os.environ.get("RUGZICHT_TIMING_LOG")
    start = time.perf_counter()
    try:
        yield
    finally:
        if target:
            seconds = time.perf_counter() - start
            entry = {"page": page.get("path", ""), "seconds": seconds}
            if page.get("fragment"):
                entry["fragment"] = True
            line = json.dumps(entry)
            with _LOCK, open(target, "a", encoding="utf-8") as out:
                out.write(line + "\n")
