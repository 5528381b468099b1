"""Concurrency (issue 7, benchmark 4; issue 14 part 4): many viewers against one server, each
opening shared links and changing filters; the server's own script times, memory and failed
sessions, at several load levels against one viewer alone in the same run.

Default: the light client (bench/load_client.py). Each viewer is a websocket session that
speaks Streamlit's protocol as the frontend does (page GET, health, host-config, websocket,
rerun_script with the link's query string; filter changes as rerun_script with the widgets'
states), without a browser, so that 10, 25 and 50 viewers fit on the server's own 2-core
machine and the figures are the server's. Levels run one after another against one server
(default 1, 10, 25, 50 viewers, 60 s each; the first, the baseline, 180 s); a viewer arrives within
the first pause, opens a link, waits 3-7 s before each of 3 filter changes, then opens the
next link in a new session. Figures per level: the server's script time p50/p95 (from
RUGZICHT_TIMING_LOG: one line per app run and per page-fragment run, on the server's clock),
its ratio to one viewer (target at 10 viewers: <= 1.5x), the client's load and filter-change
times, failed sessions (connection errors, disconnects, timeouts, exception elements, error
alerts, pages without their charts, filter changes that did not reach the URL), runs served
per second, server CPU and peak RSS; and the level where it degrades (first whose script p95
is above 1.5x one viewer's). The heap is settled before the first level and after each.

--browsers: the earlier mode, N real browsers (separate Chromium processes, one per worker
process, as Streamlit's own load tests do) for S seconds. Order: one discarded warm-up pass
over the links; a single-user pass (the baseline for the initial-load target); the heap's warm
baseline; the concurrent sessions; the heap again once Streamlit has dropped the disconnected
sessions. On a 2-core machine the browsers, not the server, then use most of the CPU (the
server used 23% of a core while ten Chromiums took the machine): the load and rerun times are
what browsers sharing the server's machine see. --split-cpus pins the server to the first half
of the CPUs and the browsers (or the light client) to the rest. (Lowering the browsers'
priority does not work: Chromium resets it.)

Both modes run the server through bench/serve_traced.py (heap in use after gc.collect() on
request; tracemalloc with --tracemalloc, which slows the server about 4x) with
``--server.disconnectedSessionTTL`` lowered (default 5 s) so that cleanup happens within the
run.

    python -m bench.concurrent [--levels 1,10,25,50] [--seconds 60] [--think 3,7] [--ttl 5]
                               [--split-cpus] [--quick]
    python -m bench.concurrent --browsers [--sessions 10] [--seconds 60] [--tracemalloc]
"""

from __future__ import annotations

import argparse
import json
import math
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
from bench import load_client as lc
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
    (
        "prevalence",
        {"sex": "total", "standard": "esp2013", "catchment": "25000", "open": "standardised"},
    ),
    ("home-working", {"series": "eurostat", "lang": "nl"}),
    ("outcomes", {"age": "60+", "period": "2024"}),
    (
        "prevalence",
        {"lang": "nl", "measure": "persons", "standard": "nl2020", "open": "standardised"},
    ),
]


def check_links() -> None:
    """Every link parameter must be one the page accepts (else the link tests nothing)."""
    from dashboard.params import link_params
    from dashboard.url_state import GLOBAL_PARAMS

    for url_path, params in LINKS:
        allowed = GLOBAL_PARAMS | link_params(url_path)
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
    opened = params.get("open", "").split(",")
    mine = [w for w in widgets if w.page == url_path and (not w.opens or w.opens in opened)]
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


# ---------------------------------------------------------------- the light client's run


LEVELS = (1, 10, 25, 50)
TARGET_SCRIPT_RATIO = 1.5  # issue 14: at 10 viewers, script p95 <= 1.5 x one viewer
TARGET_LEVEL = 10


def load_plan(timeout_s: float, think: tuple[float, float], changes: int) -> lc.Plan:
    """The viewers' links, each page's filters (its URL parameters) and expected charts."""
    from dashboard.params import PAGE_PARAMS

    check_links()
    filters = {path: frozenset(params) for path, params in PAGE_PARAMS.items()}
    return lc.Plan(tuple(LINKS), filters, bc.expected_charts(), changes, think, timeout_s)


def settle_light(base: str, heap: Heap, ttl: int) -> dict:
    """`settle` with the light client's visit instead of a browser's."""
    time.sleep(ttl + 1)
    before_visit = heap.collected()
    lc.visit(base)
    time.sleep(0.5)
    return {"no_visitor": before_visit, "after_visit": heap.collected()}


def run_level(base: str, plan: lc.Plan, viewers: int, seconds: float, timing, sampler,
              seed: int) -> dict:  # fmt: skip
    """`viewers` viewers at once for `seconds`: what the clients saw, the server's own script
    times (RUGZICHT_TIMING_LOG) and the samples of the server taken meanwhile."""
    mark, t0, cpu0 = timing.mark(), time.time(), time.process_time()
    results = lc.crowd(base, plan, viewers, seconds, seed)
    t1, cpu1 = time.time(), time.process_time()
    runs = timing.since(mark)
    during = sampler.between(t0, t1)
    return {
        "viewers": viewers,
        "wall_s": t1 - t0,
        "results": results,
        "script": [r["seconds"] for r in runs],
        "script_by_page": _by_page(runs),
        "server_cpu": _mean([x["cpu"] for x in during]),
        "server_cpu_peak": max((x["cpu"] or 0 for x in during), default=None),
        "machine_cpu": _mean([x["machine"] for x in during]),
        "load1_max": max((x["load1"] for x in during), default=None),
        "rss_peak": max((x["rss"] for x in during), default=0),
        "threads_max": max((x["threads"] or 0 for x in during), default=None),
        "client_cpu": round(100 * (cpu1 - cpu0) / max(t1 - t0, 1e-9), 1),
    }


def _by_page(runs: list[dict]) -> dict:
    pages: dict[str, list[float]] = {}
    for r in runs:
        pages.setdefault(r["page"] or "?", []).append(r["seconds"])
    return {page: bc.summary(values) for page, values in sorted(pages.items())}


def measure_load(
    levels: tuple[int, ...] = LEVELS,
    seconds: float = 60,
    baseline_seconds: float | None = None,
    ttl: int = 5,
    timeout_s: float = 30,
    think: tuple[float, float] = (3.0, 7.0),
    changes: int = 3,
    warm_up: bool | int = True,
    split: bool = False,
) -> tuple[list[Figure], dict]:
    """The light client's run: one server, a warm-up pass, then each load level in turn (the
    first is the baseline, run for `baseline_seconds`, default `seconds`, so that its p95 rests
    on enough runs), the heap settled before the first and after each. `warm_up`: the warm-up
    pass over every link (True), the first n links (an int), or none (False)."""
    plan = load_plan(timeout_s, think, changes)
    server_cpus, client_cpus = cpu_split() if split else (None, None)
    if client_cpus:
        os.sched_setaffinity(0, client_cpus)
    measured, t0 = [], time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        heap_file = Path(tmp) / "heap.jsonl"
        timing = bc.TimingLog(Path(tmp))
        command = ["-m", "bench.serve_traced", str(heap_file), "run", "dashboard/app.py"]
        flags = ["--server.disconnectedSessionTTL", str(ttl)]
        # The heap figures clear the server's caches, which the server refuses to viewers.
        env = {**timing.env, "BENCH_TRACEMALLOC": "0", "RUGZICHT_ALLOW_CLEAR_CACHE": "1"}
        if server_cpus:
            env["BENCH_SERVER_CPUS"] = ",".join(map(str, server_cpus))
        with bc.serve(command, env, flags) as (base, proc):
            heap = Heap(heap_file, proc.pid)
            sampler = Sampler(proc.pid)
            sampler.start()
            print(f"  server up after {time.monotonic() - t0:.0f} s", flush=True)
            # The heap with empty st caches, after one visit has built what lives outside
            # them (the clinic's protected source): the reference for the growth figure.
            lc.visit(base, "outcomes")
            lc.clear_caches(base)
            started = settle_light(base, heap, ttl)
            warm = lc.Viewer()
            if warm_up:
                links = len(LINKS) if warm_up is True else int(warm_up)
                warm = lc.warm_up(base, plan, links)
                print(f"  warm-up pass over {links} links done after "
                      f"{time.monotonic() - t0:.0f} s", flush=True)  # fmt: skip
            states = [settle_light(base, heap, ttl)]
            metrics_before = bc.cache_memory_bytes(base)
            for i, viewers in enumerate(levels):
                span = (baseline_seconds or seconds) if i == 0 else seconds
                print(f"  {viewers} viewer(s) for {span:g} s, from {time.monotonic() - t0:.0f} s",
                      flush=True)  # fmt: skip
                measured.append(run_level(base, plan, viewers, span, timing, sampler, i))
                states.append(settle_light(base, heap, ttl))
            metrics_after = bc.cache_memory_bytes(base)
            lc.clear_caches(base)
            cleared = settle_light(base, heap, ttl)
            sampler.stop.set()
    figures = load_figures(measured, states, metrics_before, metrics_after, (started, cleared))
    settings = {
        "client": "bench/load_client.py: websocket sessions speaking Streamlit's protocol "
        "(no browser), all viewers in one asyncio event loop in the benchmark's process",
        "levels": list(levels),
        "seconds_per_level": seconds,
        "seconds_baseline": baseline_seconds or seconds,
        "think_s": list(think),
        "changes_per_link": changes,
        "timeout_s": timeout_s,
        "links": [f"{p}?{'&'.join(f'{k}={v}' for k, v in q.items())}" for p, q in LINKS],
        "viewer": (
            f"arrives within the first {think[1]:g} s; opens a link (GET page, health, "
            f"host-config, websocket, first run), then {changes} times: waits "
            f"{think[0]:g}-{think[1]:g} s and changes one of the page's filters; then the next "
            "link in a new session"
        ),
        "server": (
            f"python -m bench.serve_traced run dashboard/app.py --server.disconnectedSessionTTL "
            f"{ttl} (lowered from 120 s for the benchmark)"
        ),
        "cpus": (
            {"server": server_cpus, "client": client_cpus}
            if server_cpus
            else "shared: server and client on every CPU"
        ),
        "warm_up_errors": warm.errors[:5],
        "script_time": "RUGZICHT_TIMING_LOG: one line per app run and per page-fragment run",
    }
    return figures, settings


def load_figures(
    measured: list[dict], states: list[dict], before: dict, after: dict, cleared: tuple
) -> list:
    """The figures of a light-client run (see `measure_load`); `cleared`: the settled heap with
    the st caches cleared at the start and at the end."""
    one = measured[0]
    one_p95 = bc.percentile(one["script"], 95) if one["script"] else math.nan
    one_loads = [x for r in one["results"] for x in r.loads]
    one_load_p50 = bc.percentile(one_loads, 50) if one_loads else math.nan
    figures, degrades = [], None
    for level, state in zip(measured, states[1:], strict=True):
        n = level["viewers"]
        results = level["results"]
        errors = [e for r in results for e in r.errors]  # at most one per session
        failed = len(errors)
        loads = [x for r in results for x in r.loads]
        reruns = [x for r in results for x in r.reruns]
        script = bc.summary(level["script"])
        sessions = sum(r.sessions for r in results)
        done = len(loads) + len(reruns)
        ratio = script.get("p95", math.nan) / one_p95 if n != one["viewers"] else 1.0
        if degrades is None and n != one["viewers"]:
            slow, lost = not ratio <= TARGET_SCRIPT_RATIO, failed > 0
            if slow or lost:
                degrades = (n, "script p95 > 1.5 x one viewer" if slow else "failed sessions")
        judged = n == TARGET_LEVEL
        figures += [
            Figure(f"{n} viewers: failed sessions", failed, "",
                   target="0" if judged else "", met=(failed == 0) if judged else None,
                   detail={"sessions": sessions, "errors": errors[:10],
                           "viewers_with_errors": sum(1 for r in results if r.errors)}),
            Figure(f"{n} viewers: server script p50", script.get("p50", 0), "s", detail=script),
            Figure(f"{n} viewers: server script p95", script.get("p95", 0), "s",
                   detail={"by_page": level["script_by_page"]}),
        ]  # fmt: skip
        if n != one["viewers"]:
            figures.append(
                Figure(f"{n} viewers: script p95 / one viewer", ratio, "x",
                       target=f"<= {TARGET_SCRIPT_RATIO:g} x one viewer ({one_p95:.3f} s)"
                       if judged else "", met=(ratio <= TARGET_SCRIPT_RATIO) if judged else None)
            )  # fmt: skip
        load_limit = TARGET_LOAD_RATIO * one_load_p50
        figures += [
            Figure(f"initial load p95, {n} sessions", bc.summary(loads).get("p95", 0), "s",
                   target=f"<= {TARGET_LOAD_RATIO:g} x one viewer's p50 ({load_limit:.2f} s)"
                   if judged else "",
                   met=(bool(loads) and bc.percentile(loads, 95) <= load_limit) if judged else None,
                   detail={**bc.summary(loads), "clock": "client: first request to the first "
                           "run's script_finished (no rendering)"}),
            Figure(f"rerun p95, {n} sessions", bc.summary(reruns).get("p95", 0), "s",
                   target=f"<= {TARGET_RERUN_P95_S} s (anchors 6.5)" if judged else "",
                   met=(bool(reruns) and bc.percentile(reruns, 95) <= TARGET_RERUN_P95_S)
                   if judged else None,
                   detail={**bc.summary(reruns), "clock": "client: filter change sent to "
                           "script_finished (no rendering)"}),
            Figure(f"{n} viewers: runs served per second", done / level["wall_s"], "/s",
                   detail={"loads": len(loads), "filter_changes": len(reruns),
                           "script_runs_logged": len(level["script"]),
                           "mb_received": round(sum(r.bytes for r in results) / MB, 1)}),
            Figure(f"{n} viewers: server CPU", level["server_cpu"] or 0, "% of a core",
                   detail={"peak": level["server_cpu_peak"], "machine_avg_pct_of_all":
                           level["machine_cpu"], "load1_max": level["load1_max"],
                           "client_pct_of_a_core": level["client_cpu"]}),
            Figure(f"{n} viewers: RSS peak", level["rss_peak"] / MB, "MB",
                   detail={"threads_max": level["threads_max"]}),
            Figure(f"{n} viewers: heap in use after cleanup", state["after_visit"]["heap_bytes"]
                   / MB, "MB", detail=_heap_detail(state)),
        ]  # fmt: skip
    base_heap, end_heap = states[0]["after_visit"], states[-1]["after_visit"]
    filled = (end_heap["heap_bytes"] - base_heap["heap_bytes"]) / MB
    first, last = (state["after_visit"] for state in cleared)
    growth = (last["heap_bytes"] - first["heap_bytes"]) / MB
    cache_mb = after["total"] / MB
    unbounded = code_scan.unbounded_caches_by_file()
    top = measured[-1]["viewers"]
    figures += [
        Figure("degrades at (script p95 > 1.5 x one viewer, or a failed session)",
               degrades[0] if degrades else 0,
               "viewers" if degrades else f"viewers (none up to {top})",
               detail={"why": degrades[1] if degrades else None}),
        Figure("heap in use: warm baseline", base_heap["heap_bytes"] / MB, "MB",
               detail=_heap_detail(states[0])),
        Figure("heap in use: after every level and cleanup", end_heap["heap_bytes"] / MB, "MB"),
        Figure("heap in use: growth with the caches filled", filled, "MB",
               detail={"note": "st caches filling with the views viewers chose (bounded by "
                       "max_entries); the growth figure below has them cleared"}),
        Figure("heap in use growth", growth, "MB",
               target=f"<= +{TARGET_HEAP_GROWTH_MB:g} MB (st caches cleared, start and end)",
               met=growth <= TARGET_HEAP_GROWTH_MB,
               detail={"start_caches_cleared": _heap_detail(cleared[0]),
                       "end_caches_cleared": _heap_detail(cleared[1])}),
        Figure("RSS: warm baseline", base_heap["rss_bytes"] / MB, "MB"),
        Figure("RSS: after every level and cleanup", end_heap["rss_bytes"] / MB, "MB",
               detail={"note": "reported only: the allocator keeps freed memory (issue #12120)"}),
        Figure("cache_memory_bytes total after", cache_mb, "MB",
               target=f"<= {TARGET_CACHE_MB:g} MB (anchors 6.7)", met=cache_mb <= TARGET_CACHE_MB,
               detail={"before": before, "after": after}),
        Figure("st caches without max_entries or ttl", len(unbounded), "",
               target="0", met=not unbounded, detail=unbounded),
    ]  # fmt: skip
    return figures


def main(argv: list[str] | None = None) -> Path:
    """Command line: measure, print the table, write bench/results/concurrent.json."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.concurrent",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--levels", default=",".join(map(str, LEVELS)),
        help="viewers at once, in turn; the first is the baseline (1,10,25,50)",
    )  # fmt: skip
    parser.add_argument("--seconds", type=float, default=60, help="per level / browser run (60)")
    parser.add_argument(
        "--baseline-seconds", type=float, default=180, help="the first level's length (180)"
    )
    parser.add_argument("--think", default="3,7", help="pause before a filter change, s (3,7)")
    parser.add_argument("--ttl", type=int, default=5, help="disconnectedSessionTTL, s (5)")
    parser.add_argument("--timeout", type=float, default=30, help="a load/rerun fails after (30)")
    parser.add_argument(
        "--split-cpus",
        action="store_true",
        help="pin the server to half the CPUs and the client (or browsers) to the rest",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="levels 1,3 for 8 s each, pauses 0.5-1.5 s, 3-link warm-up (~1.5 min)",
    )
    browsers = parser.add_argument_group("the earlier Chromium mode (issue 7)")
    browsers.add_argument("--browsers", action="store_true", help="a Chromium per viewer")
    browsers.add_argument("--sessions", type=int, default=10, help="concurrent browsers (10)")
    browsers.add_argument(
        "--tracemalloc", action="store_true", help="exact Python heap; server ~4x slower"
    )
    args = parser.parse_args(argv)
    if not args.browsers:
        levels = (1, 3) if args.quick else tuple(int(n) for n in args.levels.split(","))
        seconds = 8 if args.quick else args.seconds
        low, high = (float(x) for x in args.think.split(","))
        print(
            f"concurrent: light client, {', '.join(map(str, levels))} viewers for {seconds:g} s "
            f"each against one server (disconnectedSessionTTL lowered to {args.ttl} s)",
            flush=True,
        )
        baseline = 8 if args.quick else args.baseline_seconds
        think = (0.5, 1.5) if args.quick else (low, high)
        figures, settings = measure_load(
            levels, seconds, baseline, args.ttl, args.timeout, think,
            warm_up=3 if args.quick else True, split=args.split_cpus,
        )  # fmt: skip
        return record("concurrent", figures, settings)
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
