"""Concurrency (issue 7, benchmark 4): N real browsers (separate Chromium processes, one per
worker process, as Streamlit's own load tests do) against one server for S seconds, each
opening shared links and changing filters in a loop; then the server's memory after cleanup.

Order: one discarded warm-up pass over the links; a single-user pass (the baseline for the
initial-load target); the heap's warm baseline; the concurrent sessions; the heap again once
Streamlit has dropped the disconnected sessions. The server runs through bench/serve_traced.py
(heap in use after gc.collect() on request; tracemalloc with --tracemalloc, which slows the
server about 4x) with ``--server.disconnectedSessionTTL`` lowered (default 5 s) so that
cleanup happens within the run.

Each simulated user is a whole Chromium, so on a small machine the browsers, not the server,
use most of the CPU, and the load and rerun times are what browsers sharing the server's
machine see. The "server CPU" and "machine CPU" figures say which side the timings measure.
--split-cpus pins the server to the first half of the CPUs and the browsers to the rest (as if
they ran on their users' machines): the server's own figures are then clean, but the browsers
get fewer CPUs. (Lowering the browsers' priority does not work: Chromium resets it.)

    python -m bench.concurrent [--sessions 10] [--seconds 60] [--ttl 5] [--split-cpus]
                               [--tracemalloc] [--quick]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import signal
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

from bench import browser_common as bc
from bench import code_scan
from bench.results_io import Figure, record

TARGET_LOAD_RATIO = 3.0
TARGET_RERUN_P95_S = 1.5  # research anchors, section 6.5
TARGET_HEAP_GROWTH_MB = 50.0
TARGET_CACHE_MB = 200.0  # research anchors, section 6.7
MB = 1024 * 1024

# Shared links, as a sender would make them: (url_path, parameters). Checked against
# dashboard/params.py before use.
LINKS: list[tuple[str, dict[str, str]]] = [
    ("prevalence", {"year": "2018", "sex": "women", "measure": "persons"}),
    ("outcomes", {"group": "chronic"}),
    ("home-working", {"series": "cbs"}),
    ("prevalence", {"year": "2020", "sex": "men"}),
    ("outcomes", {"group": "acute", "sex": "women"}),
    ("overview", {"lang": "nl"}),
    ("prevalence", {"sex": "total", "standard": "esp2013", "catchment": "25000"}),
    ("home-working", {"series": "eurostat", "lang": "nl"}),
    ("outcomes", {"age": "60+", "period": "2024"}),
    ("prevalence", {"lang": "nl", "measure": "persons", "standard": "nl2020"}),
]


def check_links() -> None:
    """Every link parameter must be one the page accepts (else the link tests nothing)."""
    from dashboard.params import PAGE_PARAMS
    from dashboard.url_state import GLOBAL_PARAMS

    for url_path, params in LINKS:
        allowed = GLOBAL_PARAMS | PAGE_PARAMS.get(url_path, {})
        for key, value in params.items():
            if key not in allowed or allowed[key].read(value) is None:
                raise ValueError(f"link {url_path}?{key}={value} is not valid")


def link_url(base: str, url_path: str, params: dict[str, str]) -> str:
    """The shared link's address (the first page is the app's root)."""
    return bc.page_url(base, "" if url_path == "overview" else url_path, params)


# ---------------------------------------------------------------- one simulated user


def session_worker(job: dict) -> dict:
    """One user in its own Chromium: open links in turn from `job["offset"]`, change up to
    `job["changes"]` filters on each, until `job["seconds"]` have passed or `job["max_links"]`
    links are done. Never raises: failures are returned as text."""
    from playwright.sync_api import sync_playwright

    if job.get("cpus"):
        os.sched_setaffinity(0, job["cpus"])  # inherited by this worker's Chromium processes
    widgets = bc.dashboard_widgets()
    rng = random.Random(job["offset"])  # noqa: S311 (which filters to change, not secrets)
    out = {"loads": [], "reruns": [], "errors": [], "links": 0, "started": time.time()}
    try:
        with sync_playwright() as pw:
            browser = bc.launch(pw)
            page = bc.new_page(browser)
            out["ready"] = time.time()
            deadline = time.monotonic() + job["seconds"]
            k = job["offset"]
            while time.monotonic() < deadline and out["links"] < job["max_links"]:
                url_path, params = LINKS[k % len(LINKS)]
                k += 1
                out["links"] += 1
                url = link_url(job["base"], url_path, params)
                try:
                    _visit(page, url, url_path, params, widgets, rng, job, deadline, out)
                except Exception as error:  # noqa: BLE001 (a failed session is a result)
                    out["errors"].append(f"{url}: {type(error).__name__}: {str(error)[:300]}")
                    page.context.close()
                    page = bc.new_page(browser)
            page.context.close()
            browser.close()
    except Exception:  # noqa: BLE001 (the browser itself failed)
        out["errors"].append(traceback.format_exc(limit=3))
    out["ended"] = time.time()
    return out


def _visit(page, url, url_path, params, widgets, rng, job, deadline, out) -> None:
    """Open one link, check it, then change some of its page's filters and check again."""
    timeout = job["timeout_ms"]
    out["loads"].append(bc.timed_load(page, url, job["charts"][url_path], timeout))
    found = bc.problems(page)
    if found:
        raise RuntimeError(", ".join(found))
    lang = params.get("lang", "en")
    mine = [w for w in widgets if w.page == url_path]
    for widget in rng.sample(mine, min(job["changes"], len(mine))):
        if time.monotonic() >= deadline:
            break
        current = params.get(widget.key, widget.values[0])
        target = widget.values[1] if current != widget.values[1] else widget.values[0]
        out["reruns"].append(bc.timed_change(page, widget, target, lang, timeout))
        found = bc.problems(page)
        if found:
            raise RuntimeError(f"after changing {widget.key}: {', '.join(found)}")


def cpu_split() -> tuple[list[int] | None, list[int] | None]:
    """CPUs for the server and for the browsers, so the browsers cannot starve the server (real
    users' browsers run on their own machines): the first half (at least one) for the server,
    the rest for the browsers; (None, None) on a single CPU."""
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return None, None
    half = max(1, len(cpus) // 2)
    return cpus[:half], cpus[half:]


def run_sessions(jobs: list[dict]) -> list[dict]:
    """Each job in its own process (spawned, so no Playwright state is inherited)."""
    context = multiprocessing.get_context("spawn")
    # A spawned worker first runs the parent's __main__. Streamlit's script runner (AppTest, in
    # the same pytest process) can leave an app script there, and workers that run it die and
    # are replaced for ever; start them from this module instead.
    main = sys.modules["__main__"]
    sys.modules["__main__"] = sys.modules[__name__]
    try:
        with context.Pool(len(jobs)) as pool:
            return pool.map(session_worker, jobs)
    finally:
        sys.modules["__main__"] = main


# ---------------------------------------------------------------- the server's memory


class Heap:
    """Reads bench/serve_traced.py's heap file; `collected()` asks for a figure after gc."""

    def __init__(self, path: Path, pid: int) -> None:
        self.path, self.pid = path, pid

    def lines(self) -> list[dict]:
        """Every heap line written so far."""
        if not self.path.exists():
            return []
        text = self.path.read_text(encoding="utf-8")
        return [json.loads(line) for line in text.splitlines() if line.strip()]

    def collected(self, timeout: float = 60) -> dict:
        seen = sum(1 for line in self.lines() if line["kind"] == "collected")
        os.kill(self.pid, signal.SIGUSR1)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [line for line in self.lines() if line["kind"] == "collected"]
            if len(found) > seen:
                return found[-1]
            time.sleep(0.1)
        raise TimeoutError("the server wrote no heap figure after SIGUSR1")


class Sampler(threading.Thread):
    """Every 0.5 s: the server process's RSS, CPU (% of one core) and threads, and the whole
    machine's CPU (% of all cores; the browsers run here too) and load (psutil, else /proc)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.samples, self.stop = pid, [], threading.Event()
        try:
            import psutil

            self.psutil, self.process = psutil, psutil.Process(pid)
            self.process.cpu_percent(None)
            psutil.cpu_percent(None)
            psutil.cpu_percent(None, percpu=True)
        except ImportError:
            self.psutil = self.process = None

    def run(self) -> None:
        while not self.stop.wait(0.5):
            sample = {"rss": proc_rss(self.pid), "cpu": None, "threads": None, "machine": None}
            if self.process is not None:
                with self.process.oneshot():
                    sample = {
                        "rss": self.process.memory_info().rss,
                        "cpu": self.process.cpu_percent(None),
                        "threads": self.process.num_threads(),
                        "machine": self.psutil.cpu_percent(None),
                        "percpu": self.psutil.cpu_percent(None, percpu=True),
                    }
            self.samples.append({"t": time.time(), "load1": os.getloadavg()[0], **sample})

    def between(self, start: float, end: float) -> list[dict]:
        """The samples taken between two time.time() moments."""
        return [s for s in self.samples if start <= s["t"] <= end]


def proc_rss(pid: int) -> int:
    """VmRSS of a process in bytes, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def settle(base: str, heap: Heap, browser, ttl: int) -> dict:
    """Wait out the disconnected sessions' TTL, then measure twice: as is, and after one
    short visit. Streamlit drops expired sessions only when its session store is next written
    (a session disconnecting), so without a next visitor they stay in memory."""
    time.sleep(ttl + 1)
    before_visit = heap.collected()
    page = bc.new_page(browser)
    bc.timed_load(page, link_url(base, "overview", {}), 0)
    page.context.close()
    time.sleep(0.5)  # the server handles the disconnect (and the reaping) asynchronously
    after_visit = heap.collected()
    return {"no_visitor": before_visit, "after_visit": after_visit}


# ---------------------------------------------------------------- the run


def measure(
    sessions: int,
    seconds: float,
    ttl: int,
    timeout_s: float,
    passes: int = len(LINKS),
    traced: bool = False,
    warm_up: bool = True,
    split: bool = False,
) -> tuple[list[Figure], dict]:
    """Run the phases; `passes` is how many links the warm-up and single-user passes open
    (`warm_up=False` skips the warm-up pass: only for smoke tests, the figures are then off)."""
    from playwright.sync_api import sync_playwright

    check_links()
    charts = bc.expected_charts()
    server_cpus, browser_cpus = cpu_split() if split else (None, None)
    job = {"charts": charts, "timeout_ms": int(timeout_s * 1000), "changes": 2}
    job["cpus"] = browser_cpus
    with tempfile.TemporaryDirectory() as tmp:
        heap_file = Path(tmp) / "heap.jsonl"
        timing = bc.TimingLog(Path(tmp))
        command = ["-m", "bench.serve_traced", str(heap_file), "run", "dashboard/app.py"]
        flags = ["--server.disconnectedSessionTTL", str(ttl)]
        env = {**timing.env, "BENCH_TRACEMALLOC": "1" if traced else "0"}
        if server_cpus:
            env["BENCH_SERVER_CPUS"] = ",".join(map(str, server_cpus))
        with (
            bc.serve(command, env, flags) as (base, proc),
            sync_playwright() as pw,
        ):
            heap = Heap(heap_file, proc.pid)
            sampler = Sampler(proc.pid)
            sampler.start()
            browser = bc.launch(pw)
            started = heap.collected()
            job.update(base=base, seconds=1e9, max_links=passes, offset=0)
            warm = run_sessions([{**job, "changes": 0}])[0] if warm_up else {"errors": []}
            mark, s0 = timing.mark(), time.time()
            single = run_sessions([job])[0]
            alone = sampler.between(s0, time.time())
            single_script = [e["seconds"] for e in timing.since(mark)]
            warm_state = settle(base, heap, browser, ttl)
            metrics_before = bc.cache_memory_bytes(base)
            jobs = [
                {**job, "seconds": seconds, "max_links": 10**9, "offset": i}
                for i in range(sessions)
            ]
            mark, t0 = timing.mark(), time.time()
            results = run_sessions(jobs)
            t1 = time.time()
            script = [e["seconds"] for e in timing.since(mark)]
            end_state = settle(base, heap, browser, ttl)
            metrics_after = bc.cache_memory_bytes(base)
            browser.close()
            sampler.stop.set()
            during = sampler.between(t0, t1)

    failed = [r for r in results if r["errors"]]
    loads = [s for r in results for s in r["loads"]]
    reruns = [s for r in results for s in r["reruns"]]
    single_p50 = bc.summary(single["loads"])["p50"]
    load_limit = TARGET_LOAD_RATIO * single_p50
    base_heap = warm_state["after_visit"]
    end_heap = end_state["after_visit"]
    key = "traced_bytes" if traced else "heap_bytes"
    heap = "python heap (tracemalloc)" if traced else "heap in use"
    growth = (end_heap[key] - base_heap[key]) / MB
    cache_mb = metrics_after["total"] / MB
    unbounded = code_scan.unbounded_caches_by_file()
    figures = [
        Figure("failed sessions", len(failed), "", target="0", met=not failed,
               detail={"errors": [e for r in results for e in r["errors"]][:20],
                       "sessions": sessions, "warm_up_errors": warm["errors"],
                       "single_user_errors": single["errors"]}),
        Figure("single-user initial load p50", single_p50, "s", detail=bc.summary(single["loads"])),
        Figure("single-user rerun p50", bc.summary(single["reruns"]).get("p50", 0), "s",
               detail=bc.summary(single["reruns"])),
        Figure(f"initial load p95, {sessions} sessions", bc.summary(loads).get("p95", 0), "s",
               target=f"<= {TARGET_LOAD_RATIO:g} x single-user p50 ({load_limit:.2f} s)",
               met=bool(loads) and bc.percentile(loads, 95) <= load_limit,
               detail=bc.summary(loads)),
        Figure(f"rerun p95, {sessions} sessions", bc.summary(reruns).get("p95", 0), "s",
               target=f"<= {TARGET_RERUN_P95_S} s (anchors 6.5)",
               met=bool(reruns) and bc.percentile(reruns, 95) <= TARGET_RERUN_P95_S,
               detail=bc.summary(reruns)),
        Figure(f"{heap}: warm baseline", base_heap[key] / MB, "MB",
               detail=_heap_detail(warm_state)),
        Figure(f"{heap}: after sessions and cleanup", end_heap[key] / MB, "MB",
               detail=_heap_detail(end_state)),
        Figure(f"{heap} growth", growth, "MB", target=f"<= +{TARGET_HEAP_GROWTH_MB:g} MB",
               met=growth <= TARGET_HEAP_GROWTH_MB),
        Figure("RSS: warm baseline", base_heap["rss_bytes"] / MB, "MB"),
        Figure("RSS: peak during sessions", max((s["rss"] for s in during), default=0) / MB, "MB",
               detail={"threads_max": max((s["threads"] or 0 for s in during), default=None)}),
        Figure("server script p95, single user", bc.summary(single_script).get("p95", 0), "s",
               detail=bc.summary(single_script)),
        Figure(f"server script p95, {sessions} sessions", bc.summary(script).get("p95", 0), "s",
               detail=bc.summary(script)),
        Figure("server CPU during sessions (avg)", _mean([s["cpu"] for s in during]) or 0,
               "% of a core", detail={"peak": max((s["cpu"] or 0 for s in during), default=None),
                                      "single_user_avg": _mean([s["cpu"] for s in alone])}),
        Figure("machine CPU during sessions (avg)", _mean([s["machine"] for s in during]) or 0,
               "% of all", detail={"cpus": os.cpu_count(),
                                   "load1_max": max((s["load1"] for s in during), default=None),
                                   "single_user_avg": _mean([s["machine"] for s in alone]),
                                   "server_cpus_busy_avg": _busy(during, server_cpus),
                                   "browser_cpus_busy_avg": _busy(during, browser_cpus)}),
        Figure("RSS: after sessions and cleanup", end_heap["rss_bytes"] / MB, "MB",
               detail={"growth_mb": round((end_heap["rss_bytes"] - base_heap["rss_bytes"]) / MB, 1),
                       "note": "reported only: the allocator keeps freed memory (issue #12120)"}),
        Figure("cache_memory_bytes total after", cache_mb, "MB",
               target=f"<= {TARGET_CACHE_MB:g} MB (anchors 6.7)", met=cache_mb <= TARGET_CACHE_MB,
               detail={"before": metrics_before, "after": metrics_after}),
        Figure("st caches without max_entries or ttl", len(unbounded), "",
               target="0", met=not unbounded, detail=unbounded),
    ]  # fmt: skip
    settings = {
        "sessions": sessions,
        "seconds": seconds,
        "timeout_s": timeout_s,
        "links": [f"{p}?{'&'.join(f'{k}={v}' for k, v in q.items())}" for p, q in LINKS],
        "server": (
            f"python -m bench.serve_traced run dashboard/app.py "
            f"--server.disconnectedSessionTTL {ttl} (lowered from 120 s for the benchmark)"
        ),
        "browsers": "one Chromium per session, each in its own spawned process",
        "cpus": (
            {"server": server_cpus, "browsers": browser_cpus}
            if server_cpus
            else "shared: server and browsers on every CPU"
        ),
        "cleanup": (
            f"heap measured after gc.collect(), {ttl + 1} s after the last session closed and "
            "after one short visit (Streamlit reaps expired sessions only on its next session "
            "write); before_any_visit is the same without that visit"
        ),
        "single_user": (
            f"{passes} links, each loaded and 2 filters changed, after a warm-up pass "
            "loading the same links"
        ),
        "loads_per_session": [len(r["loads"]) for r in results],
        "reruns_per_session": [len(r["reruns"]) for r in results],
        "heap_at_start_mb": round(started[key] / MB, 1),
    }
    return figures, settings


def _heap_detail(state: dict) -> dict:
    """The settled heap figures in MB: after one visit (the figure) and before it."""

    def mb(line: dict) -> dict:
        keys = ("heap_bytes", "pymalloc_bytes", "malloc_bytes", "traced_bytes", "rss_bytes")
        return {k: round(line[k] / MB, 1) for k in keys if line.get(k) is not None}

    return {
        "after_one_visit": mb(state["after_visit"]),
        "before_any_visit": mb(state["no_visitor"]),
    }


def _busy(samples: list[dict], cpus: list[int] | None) -> float | None:
    """How busy some CPUs were on average (% of them), by any process."""
    if not cpus:
        return None
    return _mean([_mean([s["percpu"][c] for c in cpus]) for s in samples if s.get("percpu")])


def _mean(values: list) -> float | None:
    """The mean of the values that were measured (None when none were)."""
    values = [v for v in values if v is not None]
    return round(sum(values) / len(values), 1) if values else None


def main(argv: list[str] | None = None) -> Path:
    """Command line: measure, print the table, write bench/results/concurrent.json."""
    parser = argparse.ArgumentParser(prog="python -m bench.concurrent", description=__doc__)
    parser.add_argument("--sessions", type=int, default=10, help="concurrent browsers (10)")
    parser.add_argument("--seconds", type=float, default=60, help="how long they run (60)")
    parser.add_argument("--ttl", type=int, default=5, help="disconnectedSessionTTL, s (5)")
    parser.add_argument(
        "--tracemalloc", action="store_true", help="exact Python heap; server ~4x slower"
    )
    parser.add_argument(
        "--split-cpus",
        action="store_true",
        help="pin the server to half the CPUs and the browsers to the rest",
    )
    parser.add_argument("--timeout", type=float, default=30, help="a load/rerun fails after (30)")
    parser.add_argument(
        "--quick", action="store_true", help="3 sessions for 15 s, 3-link passes (~1.5 min)"
    )
    args = parser.parse_args(argv)
    sessions, seconds = (3, 15) if args.quick else (args.sessions, args.seconds)
    passes = 3 if args.quick else len(LINKS)
    print(
        f"concurrent: {sessions} browsers for {seconds:g} s against one server "
        f"(disconnectedSessionTTL lowered to {args.ttl} s)",
        flush=True,
    )
    figures, settings = measure(
        sessions,
        seconds,
        args.ttl,
        args.timeout,
        passes,
        traced=args.tracemalloc,
        split=args.split_cpus,
    )
    return record("concurrent", figures, settings)


if __name__ == "__main__":
    main()
