"""Run Streamlit's CLI in this process with its heap measured, for the memory benchmark.

    python -m bench.serve_traced <heap.jsonl> run dashboard/app.py [streamlit options]

A thread appends one JSON line to <heap.jsonl> every BENCH_HEAP_INTERVAL seconds (default 1)
and, on SIGUSR1, one after a full ``gc.collect()`` (kind "collected"), so a benchmark can ask
for a settled figure without touching the app. The app itself is not changed.

The "collected" lines hold the heap in use without tracing overhead: bytes in Python's
small-object blocks plus bytes glibc's malloc has handed out (numpy and pandas buffers, large
objects), i.e. what RSS would be without the free memory the allocators keep. With
BENCH_TRACEMALLOC=1, tracemalloc also runs from start-up (exact Python heap, but the server
then runs its scripts about 4 times slower, which spoils any timing measured alongside).
BENCH_SERVER_CPUS=0,1 pins the server to those CPUs.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import signal
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path
from xml.etree import ElementTree


def _rss_bytes() -> int:
    """This process's resident set size (VmRSS), in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def malloc_in_use() -> int | None:
    """Bytes glibc's malloc has handed out and not got back, over every arena and the large
    mmap'd chunks (malloc_info; mallinfo2 would see only the main thread's arena)."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.fopen.restype = ctypes.c_void_p
        libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
        libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
        libc.fclose.argtypes = [ctypes.c_void_p]
    except (OSError, AttributeError):
        return None
    with tempfile.NamedTemporaryFile(suffix=".xml") as report:
        handle = libc.fopen(report.name.encode(), b"w")
        if not handle:
            return None
        libc.malloc_info(0, handle)
        libc.fclose(handle)
        root = ElementTree.parse(report.name).getroot()  # noqa: S314 (glibc's own output)
    totals = {e.get("type"): int(e.get("size")) for e in root.findall("total")}
    system = {e.get("type"): int(e.get("size")) for e in root.findall("system")}
    return system["current"] - totals["fast"] - totals["rest"] + totals["mmap"]


def pymalloc_in_use() -> int | None:
    """Bytes in blocks Python's small-object allocator has handed out (its arenas are mmap'd
    directly, so malloc_info does not see them), read from ``sys._debugmallocstats()``."""
    with tempfile.TemporaryFile() as captured:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(captured.fileno(), 2)  # the C function writes to fd 2 only
        try:
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        captured.seek(0)
        text = captured.read().decode(errors="replace")
    for line in text.splitlines():
        if line.startswith("# bytes in allocated blocks"):
            return int(line.rpartition("=")[2].strip().replace(",", ""))
    return None


def sample(kind: str, seq: int) -> dict:
    """One line of heap figures (bytes) for the output file; the allocator figures only for
    "collected" lines (they take a few milliseconds)."""
    traced, peak = tracemalloc.get_traced_memory() if tracemalloc.is_tracing() else (None, None)
    line = {
        "t": time.time(),
        "kind": kind,
        "seq": seq,
        "traced_bytes": traced,
        "traced_peak_bytes": peak,
        "allocated_blocks": sys.getallocatedblocks(),
        "rss_bytes": _rss_bytes(),
        "threads": threading.active_count(),
    }
    if kind == "collected":
        small, large = pymalloc_in_use(), malloc_in_use()
        line.update(pymalloc_bytes=small, malloc_bytes=large)
        line["heap_bytes"] = small + large if small is not None and large is not None else None
    return line


def _writer(path: Path, requested: threading.Event, interval: float) -> None:
    """Append a line every `interval` seconds, and a collected one whenever one is requested."""
    seq = 0
    while True:
        asked = requested.wait(interval)
        if asked:
            requested.clear()
            gc.collect()
        seq += 1
        line = json.dumps(sample("collected" if asked else "periodic", seq))
        with path.open("a", encoding="utf-8") as out:
            out.write(line + "\n")


def main() -> None:
    """Start the heap writer (and tracemalloc if asked), then Streamlit's CLI in-process."""
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    path = Path(sys.argv[1])
    if os.environ.get("BENCH_SERVER_CPUS"):
        # Before any thread starts, so every thread of the server inherits it.
        os.sched_setaffinity(0, {int(cpu) for cpu in os.environ["BENCH_SERVER_CPUS"].split(",")})
    if os.environ.get("BENCH_TRACEMALLOC", "0") == "1":
        tracemalloc.start(1)
    requested = threading.Event()
    signal.signal(signal.SIGUSR1, lambda *_: requested.set())
    interval = float(os.environ.get("BENCH_HEAP_INTERVAL", "1"))
    threading.Thread(target=_writer, args=(path, requested, interval), daemon=True).start()

    from streamlit.web import cli

    sys.argv = ["streamlit", *sys.argv[2:]]
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main()
